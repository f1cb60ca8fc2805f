package archway.catalog;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Product views, written behind: a view is counted in memory at once, and a flusher writes
 * the sums to the store every flush interval, one batch for all products viewed since the
 * last flush - so a burst of views on one product costs one row update, not one per view.
 *
 * <p>What it costs: the counts of the current interval live only in this process. A clean
 * {@link #close()} flushes them; a crash (a kill, the machine going away) loses what was
 * counted since the last flush - at most one flush interval of views - and nothing before.
 * A flush the store refuses puts its sums back, to go with the next one.
 *
 * <p>Counting takes the read side of a lock and the flush the write side only to swap the
 * pending map, so counting never waits for the store; a view counted during the swap goes
 * into the new map. Reading a total waits for a flush under way instead.
 */
final class ViewCounter implements AutoCloseable {

    /** Writes a batch of sums to the store: product id to views to add. */
    @FunctionalInterface
    interface Sink {
        void add(Map<Long, Long> views);
    }

    private static final Logger LOG = LoggerFactory.getLogger(ViewCounter.class);

    private final Sink sink;
    private final ReadWriteLock swap = new ReentrantReadWriteLock();
    /** Held while a batch is written, so {@link #total} never sees it twice or not at all. */
    private final Object writing = new Object();
    private final ScheduledExecutorService flusher;
    private final Counter flushes;
    private final DistributionSummary rows;
    private final Timer duration;
    private volatile Map<Long, LongAdder> pending = new ConcurrentHashMap<>();

    /**
     * @param interval how often to flush; {@link Duration#ZERO} writes every view at once (write-behind off)
     */
    ViewCounter(Sink sink, Duration interval, MeterRegistry registry) {
        this.sink = sink;
        Gauge.builder("catalog.views.pending", this, ViewCounter::pendingViews)
                .description("views counted in memory, not yet written to the store").register(registry);
        this.flushes = Counter.builder("catalog.views.flushes").description("batches of views written").register(registry);
        this.rows = DistributionSummary.builder("catalog.views.flush.rows").description("products per batch").register(registry);
        this.duration = Timer.builder("catalog.views.flush.duration").description("time to write a batch").register(registry);
        if (interval.isZero()) {
            this.flusher = null;
            return;
        }
        this.flusher = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("view-flusher").factory());
        flusher.scheduleWithFixedDelay(this::flushQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Counts one view of {@code productId}. */
    void count(long productId) {
        if (flusher == null) {
            synchronized (writing) {
                write(Map.of(productId, 1L));
            }
            return;
        }
        swap.readLock().lock();
        try {
            pending.computeIfAbsent(productId, id -> new LongAdder()).increment();
        } finally {
            swap.readLock().unlock();
        }
    }

    /**
     * The views of {@code productId}: {@code stored} (read from the store) plus what is counted
     * here and not written yet. Waits for a flush under way, so a batch on its way to the store
     * is counted exactly once.
     */
    long total(long productId, LongSupplier stored) {
        synchronized (writing) {
            return stored.getAsLong() + sum(pending, productId);
        }
    }

    private static long sum(Map<Long, LongAdder> counts, long productId) {
        LongAdder views = counts.get(productId);
        return views == null ? 0 : views.sum();
    }

    long pendingViews() {
        return pending.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Writes what was counted since the last flush; on failure the sums stay pending. */
    void flush() {
        synchronized (writing) {
            flushPending();
        }
    }

    private void flushPending() {
        Map<Long, LongAdder> taken;
        swap.writeLock().lock();
        try {
            taken = pending;
            pending = new ConcurrentHashMap<>();
        } finally {
            swap.writeLock().unlock();
        }
        if (taken.isEmpty()) {
            return;
        }
        Map<Long, Long> sums = new HashMap<>();
        taken.forEach((id, views) -> sums.put(id, views.sum()));
        try {
            write(sums);
        } catch (RuntimeException e) {
            putBack(sums);
            throw e;
        }
    }

    private void write(Map<Long, Long> sums) {
        duration.record(() -> sink.add(sums));
        flushes.increment();
        rows.record(sums.size());
    }

    private void putBack(Map<Long, Long> sums) {
        swap.readLock().lock();
        try {
            sums.forEach((id, views) -> pending.computeIfAbsent(id, key -> new LongAdder()).add(views));
        } finally {
            swap.readLock().unlock();
        }
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warn("could not write {} pending views; they go with the next flush: {}", pendingViews(), e.getMessage());
        }
    }

    /** Stops the flusher without writing what is pending: what a crash does (for tests). */
    void abandon() {
        if (flusher != null) {
            flusher.shutdownNow();
        }
    }

    /** Stops the flusher, then writes what is pending. */
    @Override
    public void close() {
        if (flusher == null) {
            return;
        }
        flusher.shutdown();
        try {
            if (!flusher.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("the view flusher did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flushQuietly();
    }
}
