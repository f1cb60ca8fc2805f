package archway.cache;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The application-cache port (the diagram's CACHE box), used cache-aside: a service asks
 * the cache and, on a miss, the cache calls the service's loader (which reads the store)
 * and keeps the result for next time. Entries expire after the cache's time-to-live, and
 * the least useful go when it is full, so a service must treat the cache as a copy that can
 * lag the store by at most the TTL - and losing it costs speed, never correctness.
 *
 * <p>Implementations are thread-safe.
 *
 * @param <K> the key type, with value-based {@code equals} and {@code hashCode} (records fit)
 * @param <V> the value type; values should be immutable, since every reader shares them
 */
public interface Cache<K, V> {

    /** The cache's name, as it appears in metrics. */
    String name();

    /**
     * The value for {@code key}, loading it with {@code loader} on a miss. Concurrent misses
     * on the same key call the loader once and share its result (no stampede on the store).
     * The loader must not return {@code null}; what it throws reaches the caller, and nothing
     * is cached.
     */
    V get(K key, Function<? super K, ? extends V> loader);

    /**
     * The values for {@code keys}, loading the missing ones together with one call of
     * {@code loader} (one query for a page of products instead of one per product). The
     * loader gets the keys not cached and returns a value for each of them; a key it leaves
     * out is missing from the answer and not cached.
     */
    Map<K, V> getAll(Collection<? extends K> keys, Function<? super Set<? extends K>, ? extends Map<? extends K, ? extends V>> loader);

    /** The cached value for {@code key}, without loading it. */
    Optional<V> getIfPresent(K key);

    /** Stores {@code value} for {@code key}, replacing what was there (write-through). */
    void put(K key, V value);

    /** Drops {@code key}, so the next read loads it again. */
    void invalidate(K key);

    /** Drops every entry. */
    void invalidateAll();

    /** Counts since the cache was created. */
    CacheStats stats();
}
