package archway.cache.caffeine;

import archway.cache.Cache;
import archway.cache.CacheStats;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/** A {@link Cache} over a Caffeine cache; Caffeine already loads each key once at a time. */
final class CaffeineCache<K, V> implements Cache<K, V> {

    private final String name;
    private final com.github.benmanes.caffeine.cache.Cache<K, V> cache;

    CaffeineCache(String name, com.github.benmanes.caffeine.cache.Cache<K, V> cache) {
        this.name = name;
        this.cache = cache;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public V get(K key, Function<? super K, ? extends V> loader) {
        V value = cache.get(key, loader);
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
        return new CacheStats(stats.hitCount(), stats.missCount(), stats.loadCount(), stats.evictionCount(),
                cache.estimatedSize());
    }

    @Override
    public String toString() {
        return "CaffeineCache[" + name + ", " + stats() + "]";
    }
}
