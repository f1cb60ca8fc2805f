package archway.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetriesTest {

    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
    private final MutableClock clock = new MutableClock(T0);

    private static int retriesAllowed(Retries retries) {
        int n = 0;
        while (retries.tryRetry()) {
            n++;
        }
        return n;
    }

    @Test
    void allowsAShareOfTheRequestsPlusTheFloorAndRefusesBeyond() {
        Retries retries = new Retries(new PoolConfig.RetryBudget(20, 10, Duration.ofSeconds(10)), clock);
        for (int i = 0; i < 1000; i++) {
            retries.request();
        }

        assertThat(retriesAllowed(retries)).as("20%% of 1000, plus 10/s over 10 s").isEqualTo(300);
        assertThat(retries.tryRetry()).isFalse();

        for (int i = 0; i < 10; i++) {
            retries.request();
        }
        assertThat(retriesAllowed(retries)).as("each 5 more requests earn one").isEqualTo(2);
    }

    @Test
    void refillsAsTheWindowMovesOn() {
        Retries retries = new Retries(new PoolConfig.RetryBudget(20, 1, Duration.ofSeconds(10)), clock);
        for (int i = 0; i < 100; i++) {
            retries.request();
        }
        assertThat(retriesAllowed(retries)).isEqualTo(30);

        clock.advance(Duration.ofSeconds(5));
        assertThat(retries.tryRetry()).as("the retries are still in the window").isFalse();

        clock.advance(Duration.ofSeconds(5));
        assertThat(retriesAllowed(retries)).as("requests and retries both left the window: the floor is back").isEqualTo(10);
    }

    @Test
    void aPoolRefusesARetryWhenItsBudgetIsSpentAndCountsIt() {
        URI a = URI.create("http://127.0.0.1:9001");
        URI b = URI.create("http://127.0.0.1:9002");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Pool pool = new Pool(PoolConfig.of("app", List.of(a, b)).withRetryBudget(new PoolConfig.RetryBudget(0, 1, Duration.ofSeconds(2))),
                clock, Duration.ofSeconds(30), registry);
        pool.probed(a, true);
        pool.probed(b, true);

        assertThat(pool.pick(null, a)).isEqualTo(b);
        assertThat(pool.pick(null, a)).isEqualTo(b);
        assertThat(pool.pick(null, a)).isNull();

        assertThat(registry.get("balancer.retries").tag("pool", "app").counter().count()).isEqualTo(2);
        assertThat(registry.get("balancer.retry.budget.exhausted").tag("pool", "app").counter().count()).isEqualTo(1);
        assertThat(pool.states()).extracting(InstanceState::outstanding).containsExactly(0, 2);
    }
}
