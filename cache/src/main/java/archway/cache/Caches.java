package archway.cache;

import java.util.List;
import java.util.function.Function;

/**
 * Makes the caches of a process. The composition root picks the implementation (in-process
 * Caffeine now; a shared second level later) and hands it to the services, which only see
 * this interface.
 *
 * <p>Two kinds of cache: {@link #create(String, CacheSpec)} for cache-aside reads whose
 * loader varies per call, and {@link #create(String, CacheSpec, Function)} with the loader
 * bound once. Only the second can refresh hot keys ahead of their expiry
 * ({@link CacheSpec#refreshAhead()}): the background reload happens when no caller's loader
 * is around, so the cache must own one.
 */
public interface Caches {

    /**
     * A new, empty cache.
     *
     * @param name a short name unique in this process, such as {@code catalog.products}; it
     *             tags the cache's metrics
     * @throws IllegalArgumentException when the spec asks for refresh ahead, which needs a bound loader
     */
    <K, V> Cache<K, V> create(String name, CacheSpec spec);

    /** A new, empty cache that loads with {@code loader} (which must not return {@code null}). */
    <K, V> LoadingCache<K, V> create(String name, CacheSpec spec, Function<? super K, ? extends V> loader);

    /** Every cache made here so far, in the order they were created (for the operations side). */
    List<Cache<?, ?>> all();
}
