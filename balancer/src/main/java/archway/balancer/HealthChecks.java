package archway.balancer;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Active health checks: every interval, one probe per instance, results into the {@link Pool}.
 *
 * <p>A round only sends the probes and returns; results arrive on the HTTP client's
 * threads. So one slow instance delays nobody else's check, and the single scheduler
 * thread never waits on the network.
 */
final class HealthChecks implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HealthChecks.class);

    /** Checks one instance: completes with whether it is healthy, never exceptionally. */
    @FunctionalInterface
    interface Probe {
        CompletableFuture<Boolean> check(URI instance);
    }

    private final Pool pool;
    private final Probe probe;
    private ScheduledExecutorService scheduler;

    HealthChecks(Pool pool, Probe probe) {
        this.pool = pool;
        this.probe = probe;
    }

    /** Probes every instance once; the future completes when all results are in the pool. */
    CompletableFuture<Void> runOnce() {
        List<URI> instances = pool.urls();
        CompletableFuture<?>[] results = new CompletableFuture<?>[instances.size()];
        for (int i = 0; i < results.length; i++) {
            URI instance = instances.get(i);
            results[i] = probe.check(instance)
                    .exceptionally(failure -> false)
                    .thenAccept(passed -> pool.probed(instance, passed));
        }
        return CompletableFuture.allOf(results);
    }

    /** Runs a round every {@code interval} from now on, on a daemon thread. */
    synchronized void start(Duration interval) {
        scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("balancer-health").daemon().factory());
        scheduler.scheduleWithFixedDelay(this::runSafely, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void runSafely() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            // a failing round must not cancel the schedule
            LOG.warn("health check round failed: {}", e.toString());
        }
    }

    @Override
    public synchronized void close() {
        if (scheduler == null) {
            return;
        }
        scheduler.shutdownNow();
        try {
            if (!scheduler.awaitTermination(2, TimeUnit.SECONDS)) {
                LOG.warn("health checks did not stop within 2 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        scheduler = null;
    }
}
