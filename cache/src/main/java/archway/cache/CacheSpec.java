package archway.cache;

import java.time.Duration;
import java.util.Objects;

/**
 * How big a cache may grow, how long an entry may live, and how the cache treats misses and
 * hot keys.
 *
 * @param maxEntries   the most entries kept; beyond it the least useful are evicted
 * @param ttl          how long after it was written an entry expires: the bound on how stale a read can be
 * @param negativeTtl  how long a cached "not found" ({@link java.util.Optional#empty()} as the value) lives:
 *                     short, so a product created or restored shows up soon, yet long enough that a flood of
 *                     requests for an id that does not exist reaches the store once per period
 * @param refreshAhead the fraction of {@code ttl} after which a read of an entry reloads it once in the
 *                     background while readers keep the current value ({@code 0} = never): hot keys never
 *                     expire under their readers, so they never all miss at once. Needs a loader bound at
 *                     creation ({@link Caches#create(String, CacheSpec, java.util.function.Function)})
 * @param enabled      {@code false} turns the cache off: every read loads, nothing is kept (to measure what
 *                     the layer is worth)
 */
public record CacheSpec(long maxEntries, Duration ttl, Duration negativeTtl, double refreshAhead, boolean enabled) {

    /** The negative TTL unless one is given: a "not found" is kept this long at most. */
    public static final Duration DEFAULT_NEGATIVE_TTL = Duration.ofSeconds(5);

    public CacheSpec {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("cache maxEntries must be at least 1, was " + maxEntries);
        }
        Objects.requireNonNull(ttl, "cache ttl must be set");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("cache ttl must be positive, was " + ttl);
        }
        Objects.requireNonNull(negativeTtl, "cache negativeTtl must be set");
        if (negativeTtl.isNegative() || negativeTtl.isZero()) {
            throw new IllegalArgumentException("cache negativeTtl must be positive, was " + negativeTtl);
        }
        if (!(refreshAhead >= 0 && refreshAhead < 1)) {
            throw new IllegalArgumentException("cache refreshAhead must be 0 (off) or a fraction below 1, was " + refreshAhead);
        }
    }

    /** Enabled, "not found" kept for {@link #DEFAULT_NEGATIVE_TTL} (or {@code ttl} when shorter), no refresh ahead. */
    public static CacheSpec of(long maxEntries, Duration ttl) {
        return new CacheSpec(maxEntries, ttl, ttl.compareTo(DEFAULT_NEGATIVE_TTL) < 0 ? ttl : DEFAULT_NEGATIVE_TTL, 0, true);
    }

    public CacheSpec withNegativeTtl(Duration newNegativeTtl) {
        return new CacheSpec(maxEntries, ttl, newNegativeTtl, refreshAhead, enabled);
    }

    public CacheSpec withRefreshAhead(double fraction) {
        return new CacheSpec(maxEntries, ttl, negativeTtl, fraction, enabled);
    }

    public CacheSpec withEnabled(boolean on) {
        return new CacheSpec(maxEntries, ttl, negativeTtl, refreshAhead, on);
    }

    /** After how long a read triggers the background reload, when {@link #refreshAhead} is set. */
    public Duration refreshAfter() {
        return Duration.ofNanos((long) (ttl.toNanos() * refreshAhead));
    }
}
