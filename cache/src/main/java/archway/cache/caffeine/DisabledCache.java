package archway.cache.caffeine;

import archway.cache.CacheStats;
import archway.cache.LoadingCache;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A cache turned off: every read is a miss that calls the loader, writes keep nothing. It
 * still counts, so the metrics show what the store takes without the layer.
 */
final class DisabledCache<K, V> implements LoadingCache<K, V> {

    private final String name;
    private final Function<? super K, ? extends V> loader;
    private final LongAdder misses = new LongAdder();
    private final LongAdder loads = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder loadNanos = new LongAdder();

    DisabledCache(String name, Function<? super K, ? extends V> loader) {
        this.name = name;
        this.loader = loader;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public V get(K key) {
        if (loader == null) {
            throw new IllegalStateException("cache " + name + " was made without a loader: pass one to get");
        }
        return get(key, loader);
    }

    @Override
    public V get(K key, Function<? super K, ? extends V> load) {
        V value = load(1, () -> load.apply(key));
        if (value == null) {
            throw new IllegalStateException("the loader of cache " + name + " returned null for " + key);
        }
        return value;
    }

    @Override
    public Map<K, V> getAll(Collection<? extends K> keys,
                            Function<? super Set<? extends K>, ? extends Map<? extends K, ? extends V>> load) {
        Set<? extends K> wanted = Set.copyOf(keys);
        if (wanted.isEmpty()) {
            return Map.of();
        }
        Map<K, V> loaded = new HashMap<>(load(wanted.size(), () -> load.apply(wanted)));
        loaded.keySet().retainAll(wanted);
        return loaded;
    }

    /** One load of {@code misses} keys, counted as Caffeine counts them. */
    private <T> T load(int keys, Supplier<T> load) {
        misses.add(keys);
        loads.increment();
        long started = System.nanoTime();
        try {
            return load.get();
        } catch (RuntimeException e) {
            failures.increment();
            throw e;
        } finally {
            loadNanos.add(System.nanoTime() - started);
        }
    }

    @Override
    public Optional<V> getIfPresent(K key) {
        misses.increment();
        return Optional.empty();
    }

    @Override
    public void put(K key, V value) {
        Objects.requireNonNull(value, "value");
    }

    @Override
    public void invalidate(K key) {
        // nothing is kept
    }

    @Override
    public void invalidateAll() {
        // nothing is kept
    }

    @Override
    public CacheStats stats() {
        long failed = failures.sum();
        return new CacheStats(0, misses.sum(), loads.sum(), failed, loadNanos.sum(), 0, 0);
    }

    @Override
    public String toString() {
        return "DisabledCache[" + name + ", " + stats() + "]";
    }
}
