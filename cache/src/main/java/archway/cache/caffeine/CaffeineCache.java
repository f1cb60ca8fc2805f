package archway.cache.caffeine;

import archway.cache.CacheStats;
import archway.cache.LoadingCache;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A cache over a Caffeine cache; Caffeine already loads each key once at a time. When made
 * with a bound loader it is a Caffeine {@code LoadingCache}, which is what refreshes hot keys
 * in the background.
 */
final class CaffeineCache<K, V> implements LoadingCache<K, V> {

    private final String name;
    private final com.github.benmanes.caffeine.cache.Cache<K, V> cache;
    private final com.github.benmanes.caffeine.cache.LoadingCache<K, V> loading;

    CaffeineCache(String name, com.github.benmanes.caffeine.cache.Cache<K, V> cache) {
        this.name = name;
        this.cache = cache;
        this.loading = cache instanceof com.github.benmanes.caffeine.cache.LoadingCache<K, V> l ? l : null;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public V get(K key) {
        if (loading == null) {
            throw new IllegalStateException("cache " + name + " was made without a loader: pass one to get");
        }
        return nonNull(loading.get(key), key);
    }

    @Override
    public V get(K key, Function<? super K, ? extends V> loader) {
        return nonNull(cache.get(key, loader), key);
    }

    @Override
    public Map<K, V> getAll(Collection<? extends K> keys,
                            Function<? super Set<? extends K>, ? extends Map<? extends K, ? extends V>> loader) {
        return cache.getAll(keys, loader);
    }

    private V nonNull(V value, K key) {
        if (value == null) {
            throw new IllegalStateException("the loader of cache " + name + " returned null for " + key);
        }
        return value;
    }

    @Override
    public Optional<V> getIfPresent(K key) {
        return Optional.ofNullable(cache.getIfPresent(key));
    }

    @Override
    public void put(K key, V value) {
        cache.put(key, Objects.requireNonNull(value, "value"));
    }

    @Override
    public void invalidate(K key) {
        cache.invalidate(key);
    }

    @Override
    public void invalidateAll() {
        cache.invalidateAll();
    }

    @Override
    public CacheStats stats() {
        com.github.benmanes.caffeine.cache.stats.CacheStats stats = cache.stats();
        return new CacheStats(stats.hitCount(), stats.missCount(), stats.loadCount(), stats.loadFailureCount(),
                stats.totalLoadTime(), stats.evictionCount(), cache.estimatedSize());
    }

    @Override
    public String toString() {
        return "CaffeineCache[" + name + ", " + stats() + "]";
    }
}
