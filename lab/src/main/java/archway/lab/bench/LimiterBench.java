package archway.lab.bench;

import archway.gateway.limits.Bucket4jRateLimiter;
import archway.gateway.limits.LimitPolicy;
import archway.gateway.limits.RateDecision;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * Decisions per second of the gateway's rate limiter: one hot key (every request from one
 * caller: all threads race on one bucket) and 10 000 keys in turn (many callers: a cache
 * lookup per decision, little contention), on one and two threads.
 *
 * <p>The policy is generous enough that decisions are a mix of allowed and refused under
 * load, as they would be in a flood; both cost the same path. Run with
 * {@code lab/limiter-bench.sh}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class LimiterBench {

    private static final int KEYS = 10_000;
    private static final LimitPolicy POLICY = new LimitPolicy(1_000, 2_000, 1_000_000);

    /** One limiter shared by every thread of a run, with its keys made once. */
    @State(Scope.Benchmark)
    public static class Limiter {
        final Bucket4jRateLimiter limiter = new Bucket4jRateLimiter();
        final String[] keys = new String[KEYS];

        @Setup(Level.Trial)
        public void makeKeys() {
            for (int i = 0; i < KEYS; i++) {
                keys[i] = "products|addr:10.0." + (i / 256) + "." + (i % 256);
            }
        }
    }

    /** Each thread's place in the round of keys. */
    @State(Scope.Thread)
    public static class Turn {
        int next;
    }

    @Benchmark
    @Threads(1)
    public RateDecision hotKey1Thread(Limiter state) {
        return state.limiter.tryConsume("products|addr:203.0.113.9", POLICY);
    }

    @Benchmark
    @Threads(2)
    public RateDecision hotKey2Threads(Limiter state) {
        return state.limiter.tryConsume("products|addr:203.0.113.9", POLICY);
    }

    @Benchmark
    @Threads(1)
    public RateDecision manyKeys1Thread(Limiter state, Turn turn) {
        return roundRobin(state, turn);
    }

    @Benchmark
    @Threads(2)
    public RateDecision manyKeys2Threads(Limiter state, Turn turn) {
        return roundRobin(state, turn);
    }

    private static RateDecision roundRobin(Limiter state, Turn turn) {
        int i = turn.next;
        turn.next = i + 1 == KEYS ? 0 : i + 1;
        return state.limiter.tryConsume(state.keys[i], POLICY);
    }
}
