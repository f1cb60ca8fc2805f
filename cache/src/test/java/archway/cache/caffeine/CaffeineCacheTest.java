package archway.cache.caffeine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import archway.cache.Cache;
import archway.cache.CacheContract;
import archway.cache.CacheSpec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
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
    void reportsHitsMissesAndLoadsToTheRegistry() {
        Cache<String, String> cache = caches.create("products", CacheSpec.of(10, TTL));
        cache.get("a", key -> "A");
        cache.get("a", key -> "A");
        cache.get("b", key -> "B");

        assertThat(registry.get("cache.gets").tags("cache", "products", "result", "hit").functionCounter().count()).isEqualTo(1);
        assertThat(registry.get("cache.gets").tags("cache", "products", "result", "miss").functionCounter().count()).isEqualTo(2);
        assertThat(registry.get("cache.load").tags("cache", "products", "result", "success").functionCounter().count()).isEqualTo(2);
        assertThat(registry.get("cache.size").tags("cache", "products").gauge().value()).isEqualTo(2);
    }

    @Test
    void refusesASecondCacheUnderTheSameName() {
        caches.create("twice", CacheSpec.of(10, TTL));
        assertThatThrownBy(() -> caches.create("twice", CacheSpec.of(10, TTL))).hasMessageContaining("twice");
    }
}
