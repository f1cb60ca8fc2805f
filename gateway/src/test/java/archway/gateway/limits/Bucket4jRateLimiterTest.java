package archway.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class Bucket4jRateLimiterTest {

    private static final LimitPolicy TEN_PER_SECOND = LimitPolicy.of(10, 20);
    private static final LimitPolicy WITH_QUOTA = new LimitPolicy(10, 20, 30);

    private final ManualTime time = new ManualTime("2026-03-01T22:00:00Z");
    private final Bucket4jRateLimiter limiter = new Bucket4jRateLimiter(Bucket4jRateLimiter.Settings.defaults(), time);

    @Test
    void allowsABurstThenRefuses() {
        for (int i = 1; i <= 20; i++) {
            RateDecision decision = limiter.tryConsume("addr:203.0.113.9", TEN_PER_SECOND);
            assertThat(decision.allowed()).isTrue();
            assertThat(decision.remaining()).isEqualTo(20 - i);
        }

        RateDecision refused = limiter.tryConsume("addr:203.0.113.9", TEN_PER_SECOND);

        assertThat(refused).isEqualTo(new RateDecision(false, 20, 0, 2, 1));
    }

    @Test
    void keepsEachKeyInItsOwnBucket() {
        consume("addr:203.0.113.9", TEN_PER_SECOND, 20);

        assertThat(limiter.tryConsume("addr:203.0.113.9", TEN_PER_SECOND).allowed()).isFalse();
        assertThat(limiter.tryConsume("addr:198.51.100.7", TEN_PER_SECOND).allowed()).isTrue();
    }

    @Test
    void refillsAtTheRatePerSecond() {
        consume("k", TEN_PER_SECOND, 20);
        assertThat(limiter.tryConsume("k", TEN_PER_SECOND).allowed()).isFalse();

        time.advance(Duration.ofMillis(100));
        assertThat(limiter.tryConsume("k", TEN_PER_SECOND).allowed()).isTrue();
        assertThat(limiter.tryConsume("k", TEN_PER_SECOND).allowed()).isFalse();

        time.advance(Duration.ofSeconds(2));
        assertThat(consume("k", TEN_PER_SECOND, 25)).isEqualTo(20);
    }

    @Test
    void saysWhenARefusedCallerMayRetry() {
        LimitPolicy onePerSecond = LimitPolicy.of(1, 1);
        limiter.tryConsume("k", onePerSecond);

        RateDecision refused = limiter.tryConsume("k", onePerSecond);
        assertThat(refused.retryAfterSeconds()).isEqualTo(1);

        time.advance(Duration.ofMillis(999));
        assertThat(limiter.tryConsume("k", onePerSecond).allowed()).isFalse();
        time.advance(Duration.ofMillis(1));
        assertThat(limiter.tryConsume("k", onePerSecond).allowed()).isTrue();
    }

    @Test
    void reportsTheBurstAndWhenItIsFullAgain() {
        RateDecision first = limiter.tryConsume("k", TEN_PER_SECOND);
        assertThat(first).isEqualTo(new RateDecision(true, 20, 19, 1, 0));

        consume("k", TEN_PER_SECOND, 14);
        // 15 taken: full again after 1.5 s
        assertThat(limiter.tryConsume("k", TEN_PER_SECOND)).isEqualTo(new RateDecision(true, 20, 4, 2, 0));
    }

    @Test
    void reportsTheDailyQuotaOnceItIsCloserThanTheBurst() {
        consume("k", WITH_QUOTA, 5);
        RateDecision burstBinds = limiter.tryConsume("k", WITH_QUOTA);
        assertThat(burstBinds.limit()).isEqualTo(20);
        assertThat(burstBinds.remaining()).isEqualTo(14);

        time.advance(Duration.ofSeconds(2));
        consume("k", WITH_QUOTA, 10);
        time.advance(Duration.ofSeconds(2));
        RateDecision quotaBinds = limiter.tryConsume("k", WITH_QUOTA);

        // the burst is full again (19 left), the quota has 13 left until 00:00 UTC, 2 hours less 4 s away
        assertThat(quotaBinds).isEqualTo(new RateDecision(true, 30, 13, 7196, 0));
    }

    @Test
    void refusesUntilMidnightUtcOnceTheDailyQuotaIsUsedUp() {
        consume("k", WITH_QUOTA, 20);
        time.advance(Duration.ofSeconds(2));
        consume("k", WITH_QUOTA, 10);
        time.advance(Duration.ofHours(1));

        RateDecision refused = limiter.tryConsume("k", WITH_QUOTA);
        assertThat(refused).isEqualTo(new RateDecision(false, 30, 0, 3598, 3598));

        time.advance(Duration.ofSeconds(3597));
        assertThat(limiter.tryConsume("k", WITH_QUOTA).allowed()).isFalse();
        time.advance(Duration.ofSeconds(1));
        assertThat(consume("k", WITH_QUOTA, 25)).isEqualTo(20);
    }

    @Test
    void keepsAUsedUpQuotaThroughIdleTime() {
        consume("k", WITH_QUOTA, 20);
        time.advance(Duration.ofSeconds(2));
        consume("k", WITH_QUOTA, 10);

        time.advance(Duration.ofMinutes(30));

        assertThat(limiter.tryConsume("k", WITH_QUOTA).allowed()).isFalse();
    }

    @Test
    void dropsIdleBucketsThatAreFullAgain() {
        limiter.tryConsume("addr:203.0.113.9", TEN_PER_SECOND);
        assertThat(limiter.buckets()).isEqualTo(1);

        time.advance(Duration.ofMinutes(10).plusSeconds(1));

        assertThat(limiter.buckets()).isZero();
    }

    @Test
    void holdsNoMoreBucketsThanItsBound() {
        var bounded = new Bucket4jRateLimiter(new Bucket4jRateLimiter.Settings(100, Duration.ofMinutes(10)), time);

        for (int i = 0; i < 1_000; i++) {
            bounded.tryConsume("addr:10.0." + (i / 256) + "." + (i % 256), TEN_PER_SECOND);
        }

        assertThat(bounded.buckets()).isLessThanOrEqualTo(100);
    }

    @Test
    void replacesTheBucketWhenTheKeysPolicyChanges() {
        consume("key:ak_1", TEN_PER_SECOND, 20);
        assertThat(limiter.tryConsume("key:ak_1", TEN_PER_SECOND).allowed()).isFalse();

        LimitPolicy larger = LimitPolicy.of(100, 200);
        RateDecision decision = limiter.tryConsume("key:ak_1", larger);

        assertThat(decision).isEqualTo(new RateDecision(true, 200, 199, 1, 0));
        assertThat(limiter.buckets()).isEqualTo(1);
    }

    @Test
    void allowsExactlyTheBurstToManyThreadsAtOnce() throws Exception {
        int threads = 8;
        int attemptsEach = 50;
        LimitPolicy policy = LimitPolicy.of(50, 100);
        AtomicInteger allowed = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> runs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                runs.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < attemptsEach; i++) {
                        if (limiter.tryConsume("hot", policy).allowed()) {
                            allowed.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> run : runs) {
                run.get();
            }
        }

        assertThat(allowed.get()).isEqualTo(100);
    }

    /** Asks {@code times} times; the number allowed. */
    private int consume(String key, LimitPolicy policy, int times) {
        int allowed = 0;
        for (int i = 0; i < times; i++) {
            if (limiter.tryConsume(key, policy).allowed()) {
                allowed++;
            }
        }
        return allowed;
    }
}
