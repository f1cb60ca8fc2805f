package archway.cache;

/**
 * What a cache has done since it was created.
 *
 * @param hits         reads answered from the cache
 * @param misses       reads that had to load (or, for {@code getIfPresent}, found nothing)
 * @param loads        loader calls, successful or not (background refreshes included)
 * @param loadFailures loader calls that threw
 * @param loadNanos    time spent in loaders, in nanoseconds
 * @param evictions    entries removed for size or age (not explicit invalidations)
 * @param size         entries held now (approximate)
 */
public record CacheStats(long hits, long misses, long loads, long loadFailures, long loadNanos, long evictions,
                         long size) {

    /** Hits over all reads, {@code 1.0} when there were no reads yet. */
    public double hitRatio() {
        long reads = hits + misses;
        return reads == 0 ? 1.0 : (double) hits / reads;
    }
}
