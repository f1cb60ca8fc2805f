package archway.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class OutlierEjectionTest {

    private static final URI A = URI.create("http://127.0.0.1:9001");
    private static final URI B = URI.create("http://127.0.0.1:9002");
    private static final URI C = URI.create("http://127.0.0.1:9003");
    private static final URI D = URI.create("http://127.0.0.1:9004");
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
    private static final ConnectException REFUSED = new ConnectException("Connection refused");

    private final MutableClock clock = new MutableClock(T0);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    /** A pool whose instances are all up; ejections last 1 s × n, at most 3 s, one forgiven per 10 s up. */
    private Pool pool(URI... instances) {
        PoolConfig config = PoolConfig.of("app", List.of(instances)).withEjection(
                new PoolConfig.Ejection(5, Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ofSeconds(10), 50));
        Pool pool = new Pool(config, clock, Duration.ofSeconds(30), registry);
        for (URI instance : instances) {
            pool.probed(instance, true);
        }
        return pool;
    }

    private static String stateOf(Pool pool, URI instance) {
        return pool.states().stream().filter(s -> s.url().equals(instance)).findFirst().orElseThrow().state();
    }

    private static void refuse(Pool pool, URI instance) {
        pool.failed(null, instance, REFUSED, 0);
    }

    @Test
    void fiveFailuresInARowEjectAndASuccessBetweenRestartsTheCount() {
        Pool pool = pool(A, B);
        for (int i = 0; i < 4; i++) {
            pool.answered(null, A, 503, 1_000_000);
        }
        pool.answered(null, A, 200, 1_000_000);
        for (int i = 0; i < 4; i++) {
            pool.failed(null, A, new TimeoutException("Total timeout 5000 ms elapsed"), 0);
        }
        assertThat(stateOf(pool, A)).isEqualTo(InstanceState.UP);

        pool.failed(null, A, new IOException("Connection reset"), 0);

        assertThat(stateOf(pool, A)).isEqualTo(InstanceState.EJECTED);
        assertThat(registry.get("balancer.ejections").tag("pool", "app").counter().count()).isEqualTo(1);
    }

    @Test
    void answersThatAreNotGatewayErrorsDoNotCount() {
        Pool pool = pool(A, B);
        for (int i = 0; i < 10; i++) {
            pool.answered(null, A, 500, 1_000_000);
            pool.answered(null, A, 404, 1_000_000);
        }

        assertThat(stateOf(pool, A)).isEqualTo(InstanceState.UP);
    }

    @Test
    void anEjectedInstanceReturnsByItselfAfterItsTime() {
        Pool pool = pool(A, B);
        refuse(pool, A);
        assertThat(stateOf(pool, A)).isEqualTo(InstanceState.EJECTED);

        clock.advance(Duration.ofMillis(999));
        assertThat(pool.pick(null, null)).isEqualTo(B);
        assertThat(pool.pick(null, null)).isEqualTo(B);

        clock.advance(Duration.ofMillis(1));
        assertThat(stateOf(pool, A)).isEqualTo(InstanceState.UP);
        assertThat(List.of(pool.pick(null, null), pool.pick(null, null))).containsExactlyInAnyOrder(A, B);
    }

    @Test
    void eachEjectionInARowLastsLongerUpToTheMaximum() {
        Pool pool = pool(A, B);
        for (int n = 1; n <= 4; n++) {
            refuse(pool, A);
            Duration expected = Duration.ofSeconds(Math.min(n, 3));
            clock.advance(expected.minusMillis(1));
            assertThat(stateOf(pool, A)).as("ejection %d, before %s", n, expected).isEqualTo(InstanceState.EJECTED);
            clock.advance(Duration.ofMillis(1));
            assertThat(stateOf(pool, A)).as("ejection %d, after %s", n, expected).isEqualTo(InstanceState.UP);
        }
    }

    @Test
    void timeSpentUpForgivesPastEjections() {
        Pool pool = pool(A, B);
        refuse(pool, A);
        clock.advance(Duration.ofSeconds(1));
        refuse(pool, A);
        clock.advance(Duration.ofSeconds(2));
        assertThat(stateOf(pool, A)).isEqualTo(InstanceState.UP);

        clock.advance(Duration.ofSeconds(10)); // one of the two forgiven: the next counts as the second
        refuse(pool, A);
        clock.advance(Duration.ofMillis(1999));
        assertThat(stateOf(pool, A)).isEqualTo(InstanceState.EJECTED);
        clock.advance(Duration.ofMillis(1));
        assertThat(stateOf(pool, A)).isEqualTo(InstanceState.UP);

        clock.advance(Duration.ofSeconds(60)); // all forgiven: back to the base time
        refuse(pool, A);
        clock.advance(Duration.ofSeconds(1));
        assertThat(stateOf(pool, A)).isEqualTo(InstanceState.UP);
    }

    @Test
    void atMostTheCappedShareOfThePoolIsEjectedAtOnce() {
        Pool pool = pool(A, B, C, D);
        refuse(pool, A);
        refuse(pool, B);
        refuse(pool, C);

        assertThat(pool.states()).extracting(InstanceState::state)
                .containsExactly(InstanceState.EJECTED, InstanceState.EJECTED, InstanceState.UP, InstanceState.UP);

        clock.advance(Duration.ofSeconds(1));
        refuse(pool, C);
        assertThat(stateOf(pool, C)).as("A and B returned, so there is room again").isEqualTo(InstanceState.EJECTED);
    }

    @Test
    void ofTwoInstancesOneMayBeEjectedAndTheLastOneUpNever() {
        Pool pool = pool(A, B);
        refuse(pool, A);
        refuse(pool, B);

        assertThat(stateOf(pool, A)).isEqualTo(InstanceState.EJECTED);
        assertThat(stateOf(pool, B)).isEqualTo(InstanceState.UP);

        Pool single = pool(C);
        refuse(single, C);
        assertThat(stateOf(single, C)).isEqualTo(InstanceState.UP);
    }

    @Test
    void activeChecksThatFailDuringAnEjectionKeepTheInstanceOutAfterIt() {
        Pool pool = pool(A, B);
        refuse(pool, A);
        pool.probed(A, true);
        assertThat(stateOf(pool, A)).as("a pass does not cut the ejection short").isEqualTo(InstanceState.EJECTED);

        pool.probed(A, false);
        clock.advance(Duration.ofSeconds(5));

        assertThat(stateOf(pool, A)).isEqualTo(InstanceState.DOWN);
    }
}
