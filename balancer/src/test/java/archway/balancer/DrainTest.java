package archway.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class DrainTest {

    private static final URI A = URI.create("http://127.0.0.1:9001");
    private static final URI B = URI.create("http://127.0.0.1:9002");
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
    private final MutableClock clock = new MutableClock(T0);

    private Pool pool(Duration drainTimeout) {
        Pool pool = new Pool(PoolConfig.of("app", List.of(A, B)), clock, drainTimeout, new SimpleMeterRegistry());
        pool.probed(A, true);
        pool.probed(B, true);
        return pool;
    }

    @Test
    void aDrainingInstanceGetsNoNewRequestsFinishesItsOwnAndLeaves() {
        Pool pool = pool(Duration.ofSeconds(30));
        URI first = pool.pick(null, null);
        URI second = pool.pick(null, null);
        assertThat(List.of(first, second)).containsExactlyInAnyOrder(A, B);

        CompletableFuture<Void> drained = pool.drain(A);

        assertThat(pool.states()).extracting(InstanceState::state, InstanceState::outstanding)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(InstanceState.DRAINING, 1), org.assertj.core.groups.Tuple.tuple(InstanceState.UP, 1));
        for (int i = 0; i < 10; i++) {
            assertThat(pool.pick(null, null)).isEqualTo(B);
        }
        assertThat(drained).isNotDone();

        pool.answered(null, A, 200, 1_000_000);

        assertThat(drained).isCompleted();
        assertThat(pool.urls()).containsExactly(B);
    }

    @Test
    void anIdleInstanceIsDrainedAtOnceAndAnUnknownOneIsNothingToDrain() {
        Pool pool = pool(Duration.ofSeconds(30));

        assertThat(pool.drain(A)).isCompleted();
        assertThat(pool.urls()).containsExactly(B);
        assertThat(pool.drain(URI.create("http://127.0.0.1:9999"))).isCompleted();
    }

    @Test
    void theDrainEndsAfterItsTimeoutWhateverIsStillInFlight() {
        Pool pool = pool(Duration.ofMillis(50));
        URI busy = pool.pick(null, null);

        pool.drain(busy).join();

        assertThat(pool.urls()).doesNotContain(busy).hasSize(1);
    }

    @Test
    void aSecondDrainOfTheSameInstanceWaitsForTheSameEnd() {
        Pool pool = pool(Duration.ofSeconds(30));
        URI busy = pool.pick(null, null);
        CompletableFuture<Void> first = pool.drain(busy);
        CompletableFuture<Void> second = pool.drain(busy);

        pool.failed(null, busy, new IllegalStateException("client went away"), 0);

        assertThat(first).isCompleted();
        assertThat(second).isCompleted();
    }
}
