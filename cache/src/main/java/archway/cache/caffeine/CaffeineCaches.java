package archway.cache.caffeine;

import archway.cache.Cache;
import archway.cache.CacheSpec;
import archway.cache.Caches;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * In-process caches on Caffeine (the first level of the diagram's CACHE box). Each cache
 * reports to the registry given here: {@code cache_gets_total{result=hit|miss}},
 * {@code cache_evictions_total}, {@code cache_size}, {@code cache_load_total{result}} and
 * {@code cache_load_duration_seconds}, tagged {@code cache=<name>}.
 */
public final class CaffeineCaches implements Caches {

    private final MeterRegistry registry;
    private final Ticker ticker;
    private final Executor maintenance;
    private final Set<String> names = ConcurrentHashMap.newKeySet();

    public CaffeineCaches(MeterRegistry registry) {
        this(registry, Ticker.systemTicker());
    }

    /** With the time source given: tests move a fake ticker to expire entries without waiting. */
    public CaffeineCaches(MeterRegistry registry, Ticker ticker) {
        this(registry, ticker, null);
    }

    /**
     * With Caffeine's maintenance (evictions) on {@code maintenance} instead of its default
     * pool: tests pass the calling thread, so a size bound holds as soon as a write returns.
     */
    CaffeineCaches(MeterRegistry registry, Ticker ticker, Executor maintenance) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.maintenance = maintenance;
    }

    @Override
    public <K, V> Cache<K, V> create(String name, CacheSpec spec) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("cache name must be set");
        }
        // two caches under one name would report into the same meters and blur both
        if (!names.add(name)) {
            throw new IllegalArgumentException("a cache named " + name + " exists already");
        }
        Caffeine<Object, Object> builder = Caffeine.newBuilder()
                .maximumSize(spec.maxEntries())
                .expireAfterWrite(spec.ttl())
                .ticker(ticker)
                .recordStats();
        if (maintenance != null) {
            builder.executor(maintenance);
        }
        com.github.benmanes.caffeine.cache.Cache<K, V> cache = builder.build();
        CaffeineCacheMetrics.monitor(registry, cache, name);
        bindLoadMetrics(cache, name);
        return new CaffeineCache<>(name, cache);
    }

    /**
     * Micrometer's binder reports loads only for Caffeine's {@code LoadingCache}; cache-aside
     * loads through {@code get(key, loader)} are counted by Caffeine all the same, so they are
     * reported here under the binder's names.
     */
    private void bindLoadMetrics(com.github.benmanes.caffeine.cache.Cache<?, ?> cache, String name) {
        FunctionCounter.builder("cache.load", cache, c -> c.stats().loadSuccessCount())
                .tags("cache", name, "result", "success")
                .description("loads of missing entries that returned a value")
                .register(registry);
        FunctionCounter.builder("cache.load", cache, c -> c.stats().loadFailureCount())
                .tags("cache", name, "result", "failure")
                .description("loads of missing entries that failed")
                .register(registry);
        TimeGauge.builder("cache.load.duration", cache, TimeUnit.NANOSECONDS, c -> c.stats().totalLoadTime())
                .tags("cache", name)
                .description("time spent loading missing entries")
                .register(registry);
    }
}
