package archway.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class HealthChecksTest {

    private static final URI A = URI.create("http://127.0.0.1:9001");
    private static final URI B = URI.create("http://127.0.0.1:9002");
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final Map<URI, Boolean> healthy = new ConcurrentHashMap<>(Map.of(A, true, B, true));
    private final Pool pool = new Pool(PoolConfig.of("app", List.of(A, B)), clock, Duration.ofSeconds(30), new SimpleMeterRegistry());
    private final HealthChecks checks = new HealthChecks(pool, instance -> CompletableFuture.completedFuture(healthy.get(instance)));

    private void round() {
        clock.advance(Duration.ofSeconds(1));
        checks.runOnce().join();
    }

    private InstanceState stateOf(URI instance) {
        return pool.states().stream().filter(s -> s.url().equals(instance)).findFirst().orElseThrow();
    }

    @Test
    void movesInstancesThroughTheirStatesRoundByRound() {
        round();
        assertThat(pool.states()).extracting(InstanceState::state).containsExactly(InstanceState.UP, InstanceState.UP);

        healthy.put(A, false);
        round();
        assertThat(stateOf(A).state()).isEqualTo(InstanceState.UP);
        round();
        assertThat(stateOf(A)).extracting(InstanceState::state, InstanceState::since).containsExactly(InstanceState.DOWN, T0.plusSeconds(3));

        healthy.put(A, true);
        round();
        round();
        assertThat(stateOf(A)).extracting(InstanceState::state, InstanceState::since).containsExactly(InstanceState.UP, T0.plusSeconds(5));
        assertThat(stateOf(B)).extracting(InstanceState::state, InstanceState::since).containsExactly(InstanceState.UP, T0.plusSeconds(1));
    }

    @Test
    void countsAProbeThatFailsOutrightAsAFailedCheck() {
        HealthChecks failing = new HealthChecks(pool, instance -> instance.equals(A)
                ? CompletableFuture.failedFuture(new IllegalStateException("probe broke"))
                : CompletableFuture.completedFuture(true));
        failing.runOnce().join();

        assertThat(stateOf(A).state()).isEqualTo(InstanceState.STARTING);
        assertThat(stateOf(B).state()).isEqualTo(InstanceState.UP);
    }
}
