package archway.balancer;

import archway.platform.tier.ConfigCheck;
import archway.platform.tier.ForwardedHeaders;
import archway.platform.tier.Forwarder;
import archway.platform.tier.TierServer;
import archway.platform.telemetry.Telemetry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The diagram's BALANCER: an L7 load balancer in front of the app instances.
 *
 * <p>Round-robin over the instances that are up; active health checks take an instance
 * out after consecutive failures and bring it back after consecutive passes; a connection
 * that cannot be made takes it out at once (passive), and a body-less {@code GET} or
 * {@code HEAD} that fails before any answer went out is retried once on another instance,
 * so the loss of an instance costs its in-flight writes, not a burst of errors. With no
 * instance up, clients get {@code 503} with {@code Retry-After: 1}.
 */
public final class Balancer implements AutoCloseable {

    private final TierServer server;
    private final Pool pool;
    private final HealthChecks checks;
    private final Duration upstreamTimeout;

    private Balancer(TierServer server, Pool pool, HealthChecks checks, Duration upstreamTimeout) {
        this.server = server;
        this.pool = pool;
        this.checks = checks;
        this.upstreamTimeout = upstreamTimeout;
    }

    /**
     * Starts the balancer: binds its port, probes every instance once (so instances that are
     * already up take traffic from the first request), then keeps probing every interval.
     */
    public static Balancer start(BalancerConfig config, Telemetry telemetry) {
        return start(config, telemetry, Clock.systemUTC());
    }

    static Balancer start(BalancerConfig config, Telemetry telemetry, Clock clock) {
        Pool pool = new Pool(config.instances(), config.unhealthyThreshold(), config.healthyThreshold(), clock, telemetry.registry());
        Forwarder forwarder = new Forwarder(telemetry, pool,
                Forwarder.Settings.of(config.upstreamTimeout(), ForwardedHeaders.PASS).withRetryOfIdempotentRequests());
        TierServer server = TierServer.start(config.host(), config.port(), telemetry, pool::hasUp, forwarder);
        HealthChecks checks = new HealthChecks(pool, new HttpProbe(forwarder.client(), config.healthPath(), config.healthTimeout()));
        try {
            checks.runOnce().get(config.healthTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // the schedule below keeps probing; instances join when they pass
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.close();
            throw new IllegalStateException("interrupted while probing the balancer's instances", e);
        }
        checks.start(config.healthInterval());
        return new Balancer(server, pool, checks, config.upstreamTimeout());
    }

    public int port() {
        return server.port();
    }

    public String url() {
        return server.url();
    }

    /** Every instance with its state, in the order they were added (for {@code /topology}). */
    public List<InstanceState> instances() {
        return pool.states();
    }

    /**
     * Adds an instance (scaling out). It starts as {@code starting} and takes traffic once a
     * health check passes. {@code false} when it was already there.
     */
    public boolean add(URI instance) {
        return pool.add(ConfigCheck.origin("balancer instance", instance));
    }

    /** Removes an instance (scaling in): no new requests go to it. {@code false} when it was not there. */
    public boolean remove(URI instance) {
        return pool.remove(instance);
    }

    /**
     * Takes an instance out of the pool for good (scaling in): no new requests go to it at
     * once, and the future completes when the requests already sent to it have finished, so
     * the instance can then be stopped without failing any of them. Requests under way end
     * within the upstream timeout, so that is the longest the future waits.
     */
    public CompletableFuture<Void> drain(URI instance) {
        remove(instance);
        return CompletableFuture.runAsync(() -> { },
                CompletableFuture.delayedExecutor(upstreamTimeout.toMillis(), TimeUnit.MILLISECONDS));
    }

    @Override
    public void close() {
        checks.close();
        server.close();
    }

    @Override
    public String toString() {
        return "balancer at " + url();
    }
}
