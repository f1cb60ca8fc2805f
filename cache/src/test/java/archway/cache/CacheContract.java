package archway.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What every adapter of the {@link Cache} port must do, run against each by a subclass. */
public abstract class CacheContract {

    protected static final Duration TTL = Duration.ofSeconds(30);
    private static final int READERS = 100;

    /** A fresh cache with the given bound and {@link #TTL}. */
    protected abstract Cache<String, String> cache(long maxEntries);

    /** Moves the cache's clock forward. */
    protected abstract void advance(Duration duration);

    private final AtomicInteger loads = new AtomicInteger();

    private String load(String key) {
        loads.incrementAndGet();
        return "value of " + key;
    }

    @Test
    void loadsOnAMissAndAnswersTheNextReadFromTheCache() {
        Cache<String, String> cache = cache(100);

        assertThat(cache.get("a", this::load)).isEqualTo("value of a");
        assertThat(cache.get("a", this::load)).isEqualTo("value of a");

        assertThat(loads).hasValue(1);
        assertThat(cache.stats().hits()).isEqualTo(1);
        assertThat(cache.stats().misses()).isEqualTo(1);
        assertThat(cache.stats().hitRatio()).isEqualTo(0.5);
    }

    @Test
    void callsTheLoaderOnceForAHundredConcurrentMissesOnOneKey() throws Exception {
        Cache<String, String> cache = cache(100);
        CountDownLatch loaderEntered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch readersStarted = new CountDownLatch(READERS);
        try (ExecutorService pool = Executors.newFixedThreadPool(READERS)) {
            List<Future<String>> reads = new ArrayList<>();
            for (int i = 0; i < READERS; i++) {
                reads.add(pool.submit(() -> {
                    readersStarted.countDown();
                    return cache.get("hot", key -> {
                        loaderEntered.countDown();
                        await(release);
                        return load(key);
                    });
                }));
            }
            // the loader holds the first reader until every reader is on its way to the same key
            assertThat(readersStarted.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(loaderEntered.await(10, TimeUnit.SECONDS)).isTrue();
            release.countDown();
            for (Future<String> read : reads) {
                assertThat(read.get(10, TimeUnit.SECONDS)).isEqualTo("value of hot");
            }
        }
        assertThat(loads).hasValue(1);
    }

    @Test
    void expiresAnEntryOnceItsTimeToLiveHasPassed() {
        Cache<String, String> cache = cache(100);
        cache.get("a", this::load);

        advance(TTL.minusSeconds(1));
        assertThat(cache.getIfPresent("a")).contains("value of a");

        advance(Duration.ofSeconds(2));
        assertThat(cache.getIfPresent("a")).isEmpty();
        cache.get("a", this::load);
        assertThat(loads).hasValue(2);
    }

    @Test
    void keepsNoMoreEntriesThanItsBound() {
        Cache<String, String> cache = cache(10);
        for (int i = 0; i < 100; i++) {
            cache.put("k" + i, "v" + i);
        }

        assertThat(cache.stats().size()).isLessThanOrEqualTo(10);
        assertThat(cache.stats().evictions()).isGreaterThanOrEqualTo(90);
    }

    @Test
    void forgetsInvalidatedEntries() {
        Cache<String, String> cache = cache(100);
        cache.put("a", "1");
        cache.put("b", "2");
        cache.put("c", "3");

        cache.invalidate("a");
        assertThat(cache.getIfPresent("a")).isEmpty();
        assertThat(cache.getIfPresent("b")).contains("2");

        cache.invalidateAll();
        assertThat(cache.getIfPresent("b")).isEmpty();
        assertThat(cache.getIfPresent("c")).isEmpty();
    }

    @Test
    void cachesNothingWhenTheLoaderFails() {
        Cache<String, String> cache = cache(100);

        assertThatThrownBy(() -> cache.get("a", key -> {
            throw new IllegalStateException("store down");
        })).hasMessage("store down");

        assertThat(cache.get("a", this::load)).isEqualTo("value of a");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
