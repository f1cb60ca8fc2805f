package archway.cache;

/**
 * A cache that knows how to load its own entries: the loader is bound when the cache is
 * created ({@link Caches#create(String, CacheSpec, java.util.function.Function)}), which is
 * what refreshing a hot key ahead of its expiry needs - the reload runs in the background,
 * after the reader that triggered it has left with the current value, so no reader's loader
 * is at hand any more.
 */
public interface LoadingCache<K, V> extends Cache<K, V> {

    /**
     * The value for {@code key}, loading it with the bound loader on a miss (one load per key
     * at a time); an entry older than the spec's refresh point is reloaded in the background,
     * once, while this read gets the current value.
     */
    V get(K key);
}
