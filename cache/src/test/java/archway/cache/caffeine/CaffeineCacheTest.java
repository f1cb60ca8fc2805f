package archway.cache.caffeine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import archway.cache.Cache;
import archway.cache.CacheContract;
import archway.cache.CacheSpec;
import archway.cache.LoadingCache;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class CaffeineCacheTest extends CacheContract {

    private final AtomicLong nanos = new AtomicLong();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final CaffeineCaches caches = new CaffeineCaches(registry, nanos::get, Runnable::run);
    private int created;

    @Override
    protected Cache<String, String> cache(long maxEntries) {
        return caches.create("test-" + ++created, CacheSpec.of(maxEntries, TTL));
    }

    @Override
    protected void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    @Test
    void reportsHitsMissesLoadsAndTheHitRatioToTheRegistry() {
        Cache<String, String> cache = caches.create("products", CacheSpec.of(10, TTL));
        cache.get("a", key -> "A");
        cache.get("a", key -> "A");
        cache.get("a", key -> "A");
        cache.get("b", key -> "B");

        assertThat(registry.get("cache.gets").tags("cache", "products", "result", "hit").functionCounter().count()).isEqualTo(2);
        assertThat(registry.get("cache.gets").tags("cache", "products", "result", "miss").functionCounter().count()).isEqualTo(2);
        assertThat(registry.get("cache.load").tags("cache", "products", "result", "success").functionCounter().count()).isEqualTo(2);
        assertThat(registry.get("cache.size").tags("cache", "products").gauge().value()).isEqualTo(2);
        assertThat(registry.get("cache.hit.ratio").tags("cache", "products").gauge().value()).isEqualTo(0.5);
        assertThat(registry.get("cache.load.duration").tags("cache", "products").timeGauge()).isNotNull();
        assertThat(registry.get("cache.evictions").tags("cache", "products").functionCounter().count()).isZero();
    }

    @Test
    void refusesASecondCacheUnderTheSameName() {
        caches.create("twice", CacheSpec.of(10, TTL));
        assertThatThrownBy(() -> caches.create("twice", CacheSpec.of(10, TTL))).hasMessageContaining("twice");
    }

    @Test
    void keepsANotFoundOnlyForTheNegativeTimeToLive() {
        Cache<Long, Optional<String>> cache = caches.create("negative", CacheSpec.of(10, TTL).withNegativeTtl(Duration.ofSeconds(5)));
        AtomicInteger loads = new AtomicInteger();
        cache.get(1L, id -> {
            loads.incrementAndGet();
            return Optional.empty();
        });
        cache.put(2L, Optional.of("found"));

        advance(Duration.ofSeconds(4));
        assertThat(cache.getIfPresent(1L)).contains(Optional.empty());
        advance(Duration.ofSeconds(2));
        assertThat(cache.getIfPresent(1L)).isEmpty();
        assertThat(cache.getIfPresent(2L)).contains(Optional.of("found"));
        assertThat(loads).hasValue(1);
    }

    @Test
    void reloadsAHotKeyOnceInTheBackgroundWhileReadersKeepTheCurrentValue() {
        Queue<Runnable> background = new ArrayDeque<>();
        CaffeineCaches queued = new CaffeineCaches(new SimpleMeterRegistry(), nanos::get, background::add);
        AtomicInteger loads = new AtomicInteger();
        LoadingCache<String, String> cache = queued.create("hot", CacheSpec.of(10, TTL).withRefreshAhead(0.8),
                key -> key + " v" + loads.incrementAndGet());
        assertThat(cache.get("k")).isEqualTo("k v1");

        advance(Duration.ofSeconds(25)); // past 80 % of the 30 s TTL
        // the readers are answered at once with what is cached; the reload waits for the background
        assertThat(cache.get("k")).isEqualTo("k v1");
        assertThat(cache.get("k")).isEqualTo("k v1");
        assertThat(cache.get("k")).isEqualTo("k v1");
        assertThat(loads).hasValue(1);

        runAll(background);
        assertThat(loads).hasValue(2);
        assertThat(cache.get("k")).isEqualTo("k v2");
        runAll(background);
        assertThat(loads).hasValue(2);
    }

    @Test
    void refusesRefreshAheadWithoutABoundLoader() {
        assertThatThrownBy(() -> caches.create("no-loader", CacheSpec.of(10, TTL).withRefreshAhead(0.8)))
                .hasMessageContaining("no-loader").hasMessageContaining("loader");
    }

    @Test
    void loadsEveryReadWhenTurnedOff() {
        LoadingCache<String, String> cache = caches.create("off", CacheSpec.of(10, TTL).withEnabled(false), key -> "value");
        AtomicInteger loads = new AtomicInteger();
        cache.get("a", key -> "A" + loads.incrementAndGet());
        cache.get("a", key -> "A" + loads.incrementAndGet());
        cache.put("b", "B");

        assertThat(loads).hasValue(2);
        assertThat(cache.getIfPresent("b")).isEmpty();
        assertThat(cache.get("c")).isEqualTo("value");
        assertThat(cache.stats().hits()).isZero();
        assertThat(registry.get("cache.gets").tags("cache", "off", "result", "miss").functionCounter().count()).isEqualTo(4);
        assertThat(registry.get("cache.load").tags("cache", "off", "result", "success").functionCounter().count()).isEqualTo(3);
        assertThat(registry.get("cache.hit.ratio").tags("cache", "off").gauge().value()).isZero();
    }

    @Test
    void loadsOnlyTheMissingKeysOfABulkReadAndInOneCall() {
        Cache<Integer, String> cache = caches.create("bulk", CacheSpec.of(100, TTL));
        cache.put(1, "one");
        List<Set<? extends Integer>> calls = new ArrayList<>();
        Function<Set<? extends Integer>, Map<Integer, String>> loader = keys -> {
            calls.add(Set.copyOf(keys));
            Map<Integer, String> found = new HashMap<>();
            keys.stream().filter(key -> key != 4).forEach(key -> found.put(key, "#" + key)); // 4 does not exist
            return found;
        };

        assertThat(cache.getAll(List.of(1, 2, 3, 4), loader)).containsExactlyInAnyOrderEntriesOf(Map.of(1, "one", 2, "#2", 3, "#3"));
        assertThat(calls).containsExactly(Set.of(2, 3, 4));
        assertThat(cache.getAll(List.of(2, 3), loader)).hasSize(2);
        assertThat(calls).as("answered from the cache").hasSize(1);
    }

    @Test
    void loadsEveryKeyOfABulkReadWhenTurnedOff() {
        Cache<Integer, String> cache = caches.create("bulk-off", CacheSpec.of(100, TTL).withEnabled(false));
        AtomicInteger calls = new AtomicInteger();

        for (int i = 0; i < 2; i++) {
            assertThat(cache.getAll(List.of(1, 2), keys -> {
                calls.incrementAndGet();
                return Map.of(1, "a", 2, "b", 3, "not asked for");
            })).containsOnlyKeys(1, 2);
        }
        assertThat(calls).hasValue(2);
        assertThat(cache.stats().misses()).isEqualTo(4);
    }

    @Test
    void listsTheCachesItMade() {
        caches.create("first", CacheSpec.of(10, TTL));
        caches.create("second", CacheSpec.of(10, TTL).withEnabled(false));

        assertThat(caches.all()).extracting(Cache::name).containsExactly("first", "second");
    }

    private static void runAll(Queue<Runnable> tasks) {
        for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
            task.run();
        }
    }
}
