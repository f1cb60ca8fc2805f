package archway.cache;

/**
 * Makes the caches of a process. The composition root picks the implementation (in-process
 * Caffeine now; a shared second level later) and hands it to the services, which only see
 * this interface.
 */
public interface Caches {

    /**
     * A new, empty cache.
     *
     * @param name a short name unique in this process, such as {@code catalog.products}; it
     *             tags the cache's metrics
     */
    <K, V> Cache<K, V> create(String name, CacheSpec spec);
}
