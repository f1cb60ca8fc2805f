package archway.cache.caffeine;

import archway.cache.Cache;
import archway.cache.CacheSpec;
import archway.cache.CacheStats;
import archway.cache.Caches;
import archway.cache.LoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * In-process caches on Caffeine (the first level of the diagram's CACHE box). Each cache
 * reports to the registry given here, tagged {@code cache=<name>}:
 * {@code cache_gets_total{result=hit|miss}}, {@code cache_hit_ratio},
 * {@code cache_evictions_total}, {@code cache_size}, {@code cache_load_total{result=success|failure}}
 * and {@code cache_load_duration_seconds} (time spent in loaders, background refreshes included).
 * A cache turned off ({@link CacheSpec#enabled()}) reports under the same names: all misses.
 */
public final class CaffeineCaches implements Caches {

    private final MeterRegistry registry;
    private final Ticker ticker;
    private final Executor executor;
    private final List<Cache<?, ?>> caches = new CopyOnWriteArrayList<>();

    public CaffeineCaches(MeterRegistry registry) {
        this(registry, Ticker.systemTicker());
    }

    /** With the time source given: tests move a fake ticker to expire entries without waiting. */
    public CaffeineCaches(MeterRegistry registry, Ticker ticker) {
        this(registry, ticker, null);
    }

    /**
     * With Caffeine's maintenance (evictions) and background refreshes on {@code executor}
     * instead of its default pool: tests pass the calling thread, so a size bound holds as soon
     * as a write returns, or a queue they run themselves, to see a refresh happen after the read.
     */
    CaffeineCaches(MeterRegistry registry, Ticker ticker, Executor executor) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.executor = executor;
    }

    @Override
    public <K, V> Cache<K, V> create(String name, CacheSpec spec) {
        if (spec.refreshAhead() > 0) {
            throw new IllegalArgumentException("cache " + name + " refreshes ahead, which needs a loader: "
                    + "create it with one");
        }
        return make(name, spec, null);
    }

    @Override
    public <K, V> LoadingCache<K, V> create(String name, CacheSpec spec, Function<? super K, ? extends V> loader) {
        return make(name, spec, Objects.requireNonNull(loader, "loader"));
    }

    @Override
    public List<Cache<?, ?>> all() {
        return List.copyOf(caches);
    }

    private <K, V> LoadingCache<K, V> make(String name, CacheSpec spec, Function<? super K, ? extends V> loader) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("cache name must be set");
        }
        // two caches under one name would report into the same meters and blur both
        if (caches.stream().anyMatch(c -> c.name().equals(name))) {
            throw new IllegalArgumentException("a cache named " + name + " exists already");
        }
        LoadingCache<K, V> cache = spec.enabled() ? caffeine(name, spec, loader) : new DisabledCache<>(name, loader);
        caches.add(cache);
        bindMetrics(cache);
        return cache;
    }

    private <K, V> CaffeineCache<K, V> caffeine(String name, CacheSpec spec, Function<? super K, ? extends V> loader) {
        Caffeine<K, V> builder = Caffeine.newBuilder()
                .maximumSize(spec.maxEntries())
                .expireAfter(new TtlExpiry<K, V>(spec.ttl().toNanos(), spec.negativeTtl().toNanos()))
                .ticker(ticker)
                .recordStats();
        if (executor != null) {
            builder.executor(executor);
        }
        if (spec.refreshAhead() > 0) {
            builder.refreshAfterWrite(spec.refreshAfter());
        }
        return new CaffeineCache<>(name, loader == null ? builder.build() : builder.build(loader::apply));
    }

    /**
     * Every entry lives the TTL from its last write; a cached "not found" (an empty
     * {@link Optional}) only the negative TTL, so an id that starts to exist shows up soon.
     */
    private record TtlExpiry<K, V>(long ttlNanos, long negativeNanos) implements Expiry<K, V> {

        private long lifetime(V value) {
            return value instanceof Optional<?> optional && optional.isEmpty() ? negativeNanos : ttlNanos;
        }

        @Override
        public long expireAfterCreate(K key, V value, long currentTime) {
            return lifetime(value);
        }

        @Override
        public long expireAfterUpdate(K key, V value, long currentTime, long currentDuration) {
            return lifetime(value);
        }

        @Override
        public long expireAfterRead(K key, V value, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }

    /**
     * The meters of a cache, read from its {@link CacheStats} whether it is a Caffeine cache or
     * one turned off, under the names Micrometer's Caffeine binder uses (so dashboards keep
     * working), plus the hit ratio and the load time the binder leaves out for cache-aside loads.
     */
    private void bindMetrics(Cache<?, ?> cache) {
        String name = cache.name();
        counter(cache, "cache.gets", CacheStats::hits, "reads answered from the cache", "result", "hit");
        counter(cache, "cache.gets", CacheStats::misses, "reads that had to load", "result", "miss");
        counter(cache, "cache.evictions", CacheStats::evictions, "entries removed for size or age");
        counter(cache, "cache.load", s -> s.loads() - s.loadFailures(), "loads that returned a value", "result", "success");
        counter(cache, "cache.load", CacheStats::loadFailures, "loads that failed", "result", "failure");
        Gauge.builder("cache.size", cache, c -> c.stats().size()).tags("cache", name)
                .description("entries held now").register(registry);
        Gauge.builder("cache.hit.ratio", cache, c -> c.stats().hitRatio()).tags("cache", name)
                .description("hits over all reads since start (1 before any read)").register(registry);
        TimeGauge.builder("cache.load.duration", cache, TimeUnit.NANOSECONDS, c -> c.stats().loadNanos())
                .tags("cache", name).description("time spent loading entries").register(registry);
    }

    private void counter(Cache<?, ?> cache, String meter, ToDoubleFunction<CacheStats> value, String description,
                         String... tags) {
        FunctionCounter.builder(meter, cache, c -> value.applyAsDouble(c.stats()))
                .tags("cache", cache.name()).tags(tags)
                .description(description)
                .register(registry);
    }
}
