package archway.cache;

import java.time.Duration;
import java.util.Objects;

/**
 * How big a cache may grow and how long an entry may live.
 *
 * @param maxEntries the most entries kept; beyond it the least useful are evicted
 * @param ttl        how long after it was written an entry expires: the bound on how stale a read can be
 */
public record CacheSpec(long maxEntries, Duration ttl) {

    public CacheSpec {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("cache maxEntries must be at least 1, was " + maxEntries);
        }
        Objects.requireNonNull(ttl, "cache ttl must be set");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("cache ttl must be positive, was " + ttl);
        }
    }

    public static CacheSpec of(long maxEntries, Duration ttl) {
        return new CacheSpec(maxEntries, ttl);
    }
}
