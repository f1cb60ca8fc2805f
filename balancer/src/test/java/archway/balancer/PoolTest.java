package archway.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class PoolTest {

    private static final URI A = URI.create("http://127.0.0.1:9001");
    private static final URI B = URI.create("http://127.0.0.1:9002");
    private static final URI C = URI.create("http://127.0.0.1:9003");
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    private final MutableClock clock = new MutableClock(T0);

    private Pool pool(URI... instances) {
        return new Pool(PoolConfig.of("app", List.of(instances)), clock, Duration.ofSeconds(30), new SimpleMeterRegistry());
    }

    private static Map<URI, Integer> picks(Pool pool, int n) {
        Map<URI, Integer> counts = new HashMap<>();
        for (int i = 0; i < n; i++) {
            counts.merge(pool.pick(null, null), 1, Integer::sum);
        }
        return counts;
    }

    private static String stateOf(Pool pool, URI instance) {
        return pool.states().stream().filter(s -> s.url().equals(instance)).findFirst().orElseThrow().state();
    }

    @Test
    void spreadsPicksEvenlyOverTheInstancesThatAreUp() {
        Pool pool = pool(A, B, C);
        pool.probed(A, true);
        pool.probed(B, true);
        pool.probed(C, true);

        assertThat(picks(pool, 3000)).containsOnly(Map.entry(A, 1000), Map.entry(B, 1000), Map.entry(C, 1000));
    }

    @Test
    void sendsNothingToInstancesThatHaveNotPassedACheck() {
        Pool pool = pool(A, B);
        pool.probed(A, true);

        assertThat(picks(pool, 10)).containsOnlyKeys(A);
        assertThat(stateOf(pool, B)).isEqualTo(InstanceState.STARTING);
    }

    @Test
    void picksNothingWhenNoInstanceIsUp() {
        Pool pool = pool(A);

        assertThat(pool.pick(null, null)).isNull();
        assertThat(pool.hasUp()).isFalse();
    }

    @Test
    void takesAnInstanceDownAfterConsecutiveFailedChecksAndBackAfterConsecutivePasses() {
        Pool pool = pool(A, B);
        pool.probed(A, true);
        pool.probed(B, true);
        assertThat(stateOf(pool, A)).isEqualTo(InstanceState.UP);

        clock.advance(Duration.ofSeconds(1));
        pool.probed(A, false);
        assertThat(stateOf(pool, A)).as("one failure is below the threshold of 2").isEqualTo(InstanceState.UP);

        clock.advance(Duration.ofSeconds(1));
        pool.probed(A, false);
        assertThat(pool.states().getFirst()).extracting(InstanceState::state, InstanceState::since)
                .containsExactly(InstanceState.DOWN, T0.plusSeconds(2));
        assertThat(picks(pool, 10)).containsOnlyKeys(B);

        clock.advance(Duration.ofSeconds(1));
        pool.probed(A, true);
        assertThat(stateOf(pool, A)).as("one pass is below the threshold of 2").isEqualTo(InstanceState.DOWN);

        clock.advance(Duration.ofSeconds(1));
        pool.probed(A, true);
        assertThat(pool.states().getFirst()).extracting(InstanceState::state, InstanceState::since)
                .containsExactly(InstanceState.UP, T0.plusSeconds(4));
        assertThat(picks(pool, 10)).containsOnlyKeys(A, B);
    }

    @Test
    void aFailureBetweenPassesRestartsTheCount() {
        Pool pool = pool(A);
        pool.probed(A, true);
        pool.probed(A, false);
        pool.probed(A, true);
        pool.probed(A, false);

        assertThat(stateOf(pool, A)).isEqualTo(InstanceState.UP);
    }

    @Test
    void ejectsAnInstanceAtOnceWhenAConnectionToItFails() {
        Pool pool = pool(A, B);
        pool.probed(A, true);
        pool.probed(B, true);

        clock.advance(Duration.ofMillis(300));
        pool.failed(null, A, new ConnectException("Connection refused"), 0);

        assertThat(pool.states().getFirst()).extracting(InstanceState::state, InstanceState::since)
                .containsExactly(InstanceState.EJECTED, T0.plusMillis(300));
        assertThat(picks(pool, 10)).containsOnlyKeys(B);
    }

    @Test
    void keepsAnInstanceThatWasMerelySlow() {
        Pool pool = pool(A);
        pool.probed(A, true);

        pool.failed(null, A, new TimeoutException("Total timeout 5000 ms elapsed"), 0);

        assertThat(stateOf(pool, A)).isEqualTo(InstanceState.UP);
    }

    @Test
    void anEjectedInstanceFailingItsCheckIsDownAndNeedsConsecutivePassesToReturn() {
        Pool pool = pool(A, B);
        pool.probed(A, true);
        pool.probed(B, true);
        pool.failed(null, A, new ConnectException("Connection refused"), 0);

        pool.probed(A, false);
        assertThat(stateOf(pool, A)).isEqualTo(InstanceState.DOWN);

        clock.advance(Duration.ofMinutes(1));
        assertThat(stateOf(pool, A)).as("down, not merely ejected: the ejection's end does not bring it back").isEqualTo(InstanceState.DOWN);
        pool.probed(A, true);
        pool.probed(A, true);
        assertThat(stateOf(pool, A)).isEqualTo(InstanceState.UP);
    }

    @Test
    void aRetryGoesToAnotherInstanceThanTheOneThatFailed() {
        Pool pool = pool(A, B);
        pool.probed(A, true);
        pool.probed(B, true);

        for (int i = 0; i < 10; i++) {
            assertThat(pool.pick(null, A)).isEqualTo(B);
        }
    }

    @Test
    void aRetryFindsNoInstanceWhenTheFailedOneIsTheOnlyOneUp() {
        Pool pool = pool(A);
        pool.probed(A, true);

        assertThat(pool.pick(null, A)).isNull();
    }

    @Test
    void removedInstancesGetNoTrafficAndAddedOnesJoinOnTheirFirstPass() {
        Pool pool = pool(A, B);
        pool.probed(A, true);
        pool.probed(B, true);

        pool.remove(A);
        pool.add(C);
        assertThat(picks(pool, 10)).containsOnlyKeys(B);

        pool.probed(C, true);
        assertThat(picks(pool, 10)).containsOnlyKeys(B, C);
        assertThat(pool.states()).extracting(InstanceState::url).containsExactly(B, C);
    }
}
