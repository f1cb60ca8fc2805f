package archway.gateway.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.VerboseResult;
import io.github.bucket4j.local.LocalBucket;
import io.github.bucket4j.local.LocalBucketBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;

/**
 * The rate limiter of the default run: Bucket4j token buckets in this process's memory, one
 * per key, kept in a bounded Caffeine cache.
 *
 * <h2>Design notes</h2>
 *
 * <p><b>Why local buckets.</b> A decision is a compare-and-set on a few longs (Bucket4j's
 * lock-free local bucket): no I/O, no lock, nothing to wait for when a store is slow, so the
 * limiter costs the hot path well under a microsecond and cannot fail. The price is that each
 * gateway process counts alone: behind a load balancer, {@code n} gateways let a caller
 * through up to {@code n} times its limit and daily quota, and a restart forgets the counts.
 * With one gateway, the default run, the counts are exact.
 *
 * <p><b>Shared buckets later.</b> Bucket4j's {@code ProxyManager} (over Redis with
 * {@code bucket4j-redis}, over PostgreSQL with {@code bucket4j-postgresql}) hands out a
 * {@code BucketProxy} for a key and a {@code BucketConfiguration}, with the same
 * {@code asVerbose().tryConsumeAndReturnRemaining(1)} this class calls. An adapter over it
 * implements {@link RateLimiter} with the same bandwidths and the same arithmetic of the
 * decision; the launcher picks it and the gateway does not change. Each decision then costs a
 * round trip to the store, which is why it is not the default.
 *
 * <p><b>Bounded memory.</b> Keys include client addresses, so millions of them must not
 * exhaust memory: the cache holds at most {@link Settings#maxBuckets()} buckets. A bucket
 * that is full again is the same as a new one, so a bucket is dropped once idle for
 * {@link Settings#idle()} <em>and</em> certainly full again: after {@code burst / perSecond}
 * seconds for the rate, at the next 00:00 UTC for a daily quota (otherwise waiting ten
 * minutes would hand out a fresh quota). Only when the cache is full does a bucket go
 * earlier, which errs toward letting a caller through, never toward refusing one.
 *
 * <p><b>Plan changes.</b> A bucket remembers the policy it was made with; a request under
 * another policy (a key moved to another plan) replaces it with a new, full bucket.
 *
 * <p><b>Time.</b> One {@link InstantSource} drives both Bucket4j and the cache's expiry, so
 * tests move time instead of sleeping. Bucket4j gets it as a wall-clock time meter, which
 * its refill aligned on UTC midnight requires.
 */
public final class Bucket4jRateLimiter implements RateLimiter {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long NANOS_PER_DAY = 86_400 * NANOS_PER_SECOND;

    /**
     * How many buckets the limiter keeps, and how long an idle one stays.
     *
     * @param maxBuckets the most buckets held at once, at least 1
     * @param idle       how long a bucket stays after its last request, when it is full again by then
     */
    public record Settings(long maxBuckets, Duration idle) {

        public Settings {
            if (maxBuckets < 1) {
                throw new IllegalArgumentException("rate limiter maxBuckets must be at least 1, was " + maxBuckets);
            }
            if (idle == null || idle.isNegative() || idle.isZero()) {
                throw new IllegalArgumentException("rate limiter idle time must be positive, was " + idle);
            }
        }

        /** 100 000 buckets, dropped after 10 idle minutes. */
        public static Settings defaults() {
            return new Settings(100_000, Duration.ofMinutes(10));
        }
    }

    /** A bucket and the policy it was made with. */
    private record Entry(LimitPolicy policy, LocalBucket bucket) {
    }

    private final WallClock clock;
    private final Cache<String, Entry> buckets;

    /** A limiter with the {@linkplain Settings#defaults() default settings} on the system clock. */
    public Bucket4jRateLimiter() {
        this(Settings.defaults(), Clock.systemUTC());
    }

    public Bucket4jRateLimiter(Settings settings, InstantSource time) {
        this.clock = new WallClock(Objects.requireNonNull(time, "time"));
        long idleNanos = settings.idle().toNanos();
        this.buckets = Caffeine.newBuilder()
                .maximumSize(settings.maxBuckets())
                .expireAfter(new UntilFull(idleNanos))
                .ticker(clock)
                // upkeep on the calling thread: a few nanoseconds, and no thread of the common pool involved
                .executor(Runnable::run)
                .build();
    }

    @Override
    public RateDecision tryConsume(String key, LimitPolicy policy) {
        VerboseResult<ConsumptionProbe> result = bucketOf(key, policy).asVerbose().tryConsumeAndReturnRemaining(1);
        return decision(policy, result);
    }

    /** How many buckets are held now (after pending evictions), for tests and metrics. */
    public long buckets() {
        buckets.cleanUp();
        return buckets.estimatedSize();
    }

    private LocalBucket bucketOf(String key, LimitPolicy policy) {
        Entry entry = buckets.get(key, k -> newEntry(policy));
        if (!entry.policy().equals(policy)) {
            entry = buckets.asMap().compute(key, (k, old) -> old != null && old.policy().equals(policy) ? old : newEntry(policy));
        }
        return entry.bucket();
    }

    private Entry newEntry(LimitPolicy policy) {
        LocalBucketBuilder builder = Bucket.builder()
                .withCustomTimePrecision(clock)
                .addLimit(Bandwidth.builder().capacity(policy.burst())
                        .refillGreedy(policy.perSecond(), Duration.ofSeconds(1)).build());
        if (policy.dailyQuota() > 0) {
            // aligned on the epoch, a UTC midnight: the whole quota comes back at every 00:00 UTC
            builder.addLimit(Bandwidth.builder().capacity(policy.dailyQuota())
                    .refillIntervallyAligned(policy.dailyQuota(), Duration.ofDays(1), Instant.EPOCH).build());
        }
        return new Entry(policy, builder.build());
    }

    /** The decision as the bandwidth with the fewest tokens left sees it: that one binds. */
    private static RateDecision decision(LimitPolicy policy, VerboseResult<ConsumptionProbe> result) {
        ConsumptionProbe probe = result.getValue();
        long[] left = result.getDiagnostics().getAvailableTokensPerEachBandwidth();
        // on a tie the daily quota binds: it is the one that takes longer to come back
        boolean dailyBinds = left.length > 1 && left[1] <= left[0];
        long remaining = Math.max(0, dailyBinds ? left[1] : left[0]);
        long limit = dailyBinds ? policy.dailyQuota() : policy.burst();
        long reset = dailyBinds
                ? secondsUntilMidnight(result.getOperationTimeNanos())
                : Math.ceilDiv(policy.burst() - remaining, policy.perSecond());
        long retryAfter = probe.isConsumed() ? 0 : Math.ceilDiv(probe.getNanosToWaitForRefill(), NANOS_PER_SECOND);
        return new RateDecision(probe.isConsumed(), limit, remaining, reset, retryAfter);
    }

    private static long secondsUntilMidnight(long epochNanos) {
        return Math.ceilDiv(nanosUntilMidnight(epochNanos), NANOS_PER_SECOND);
    }

    private static long nanosUntilMidnight(long epochNanos) {
        return NANOS_PER_DAY - Math.floorMod(epochNanos, NANOS_PER_DAY);
    }

    /** The time source as nanoseconds since the epoch, for Bucket4j and for Caffeine. */
    private record WallClock(InstantSource time) implements TimeMeter, Ticker {

        @Override
        public long currentTimeNanos() {
            Instant now = time.instant();
            return now.getEpochSecond() * NANOS_PER_SECOND + now.getNano();
        }

        @Override
        public boolean isWallClockBased() {
            return true;
        }

        @Override
        public long read() {
            return currentTimeNanos();
        }
    }

    /** Keeps a bucket after each use until it is idle and certainly full again (see the design notes). */
    private record UntilFull(long idleNanos) implements Expiry<String, Entry> {

        @Override
        public long expireAfterCreate(String key, Entry entry, long now) {
            return keep(entry.policy(), now);
        }

        @Override
        public long expireAfterUpdate(String key, Entry entry, long now, long currentDuration) {
            return keep(entry.policy(), now);
        }

        @Override
        public long expireAfterRead(String key, Entry entry, long now, long currentDuration) {
            return keep(entry.policy(), now);
        }

        private long keep(LimitPolicy policy, long now) {
            long refill = Math.ceilDiv(policy.burst(), policy.perSecond()) * NANOS_PER_SECOND;
            long quota = policy.dailyQuota() > 0 ? nanosUntilMidnight(now) : 0;
            return Math.max(idleNanos, Math.max(refill, quota));
        }
    }
}
