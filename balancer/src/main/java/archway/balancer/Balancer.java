package archway.balancer;

import archway.platform.tier.ConfigCheck;
import archway.platform.tier.ForwardedHeaders;
import archway.platform.tier.Forwarder;
import archway.platform.tier.TierServer;
import archway.platform.telemetry.Telemetry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The diagram's BALANCER: an L7 load balancer in front of the app instances.
 *
 * <p>For each request, in order:
 * <ol>
 *   <li><b>Route.</b> The most specific {@link Route} (host, then path prefix) names the
 *       pool; no route matches: {@code 404}.</li>
 *   <li><b>Pick.</b> The pool's {@link Algorithm} chooses among the instances that are up:
 *       round-robin, least outstanding requests, or power of two choices on peak-EWMA
 *       latency. None up: {@code 503} with {@code Retry-After: 1}.</li>
 *   <li><b>Forward</b> over pooled connections, within the connect and request timeouts.</li>
 *   <li><b>Learn.</b> Each attempt's end updates the instance's requests in flight and
 *       latency average. A connection that cannot be made ejects the instance at once;
 *       {@code consecutiveFailures} failures or {@code 502}/{@code 503}/{@code 504} answers in a row
 *       eject it too. An ejection lasts longer each time it recurs, and at most a share of
 *       the pool (never its last instance up) is out at once.</li>
 *   <li><b>Retry</b> on another instance a body-less {@code GET}/{@code HEAD} that failed before
 *       any byte went to the client, or any request whose connection could not be made, while
 *       the pool's retry budget lasts (then the client gets the failure).</li>
 * </ol>
 * Beside the requests, active health checks take an instance out after consecutive failed
 * probes and bring it back after consecutive passes. Instances are added, removed at once,
 * or drained (no new requests, then removed once those in flight are done) while traffic
 * flows, without failing a request.
 */
public final class Balancer implements AutoCloseable {

    private final TierServer server;
    private final Map<String, Pool> pools;
    private final Pool defaultPool;
    private final List<HealthChecks> checks;

    private Balancer(TierServer server, Map<String, Pool> pools, List<HealthChecks> checks) {
        this.server = server;
        this.pools = pools;
        this.defaultPool = pools.values().iterator().next();
        this.checks = checks;
    }

    /**
     * Starts the balancer: binds its port, probes every instance once (so instances that are
     * already up take traffic from the first request), then keeps probing every interval.
     */
    public static Balancer start(BalancerConfig config, Telemetry telemetry) {
        return start(config, telemetry, Clock.systemUTC());
    }

    static Balancer start(BalancerConfig config, Telemetry telemetry, Clock clock) {
        Map<String, Pool> pools = new LinkedHashMap<>();
        for (PoolConfig pool : config.pools()) {
            pools.put(pool.name(), new Pool(pool, clock, config.drainTimeout(), telemetry.registry()));
        }
        Router router = new Router(config.routes(), pools);
        Forwarder forwarder = new Forwarder(telemetry, router, Forwarder.Settings.of(config.upstreamTimeout(), ForwardedHeaders.PASS)
                .withRetryOfIdempotentRequests()
                .withConnections(config.connectTimeout(), config.maxConnectionsPerInstance()));
        TierServer server = TierServer.start(config.host(), config.port(), telemetry, router::ready, forwarder);
        List<HealthChecks> checks = new ArrayList<>();
        List<CompletableFuture<Void>> firstRounds = new ArrayList<>();
        Duration longestProbe = Duration.ZERO;
        for (Pool pool : pools.values()) {
            PoolConfig.HealthCheck health = pool.config().health();
            HealthChecks poolChecks = new HealthChecks(pool, new HttpProbe(forwarder.client(), health.path(), health.timeout()));
            checks.add(poolChecks);
            firstRounds.add(poolChecks.runOnce());
            longestProbe = health.timeout().compareTo(longestProbe) > 0 ? health.timeout() : longestProbe;
        }
        try {
            CompletableFuture.allOf(firstRounds.toArray(CompletableFuture[]::new))
                    .get(longestProbe.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // the schedules below keep probing; instances join when they pass
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.close();
            throw new IllegalStateException("interrupted while probing the balancer's instances", e);
        }
        for (int i = 0; i < checks.size(); i++) {
            checks.get(i).start(config.pools().get(i).health().interval());
        }
        return new Balancer(server, pools, checks);
    }

    public int port() {
        return server.port();
    }

    public String url() {
        return server.url();
    }

    /** Every instance of every pool with its state, pool by pool in the order they were added (for {@code /topology}). */
    public List<InstanceState> instances() {
        List<InstanceState> states = new ArrayList<>();
        pools.values().forEach(pool -> states.addAll(pool.states()));
        return states;
    }

    /** The instances of one pool with their state, in the order they were added. */
    public List<InstanceState> instances(String pool) {
        return pool(pool).states();
    }

    /**
     * Adds an instance to the default pool (scaling out). It starts as {@code starting} and
     * takes traffic once a health check passes. {@code false} when it was already there.
     */
    public boolean add(URI instance) {
        return add(defaultPool.name(), instance);
    }

    /** Adds an instance to {@code pool}, as {@link #add(URI)} does to the default one. */
    public boolean add(String pool, URI instance) {
        return pool(pool).add(ConfigCheck.origin("balancer instance", instance));
    }

    /** Removes an instance of the default pool at once (scaling in). {@code false} when it was not there. */
    public boolean remove(URI instance) {
        return remove(defaultPool.name(), instance);
    }

    /** Removes an instance of {@code pool} at once: no new requests go to it, those under way finish. */
    public boolean remove(String pool, URI instance) {
        return pool(pool).remove(instance);
    }

    /**
     * Drains an instance of the default pool: it gets no new requests from now on, and is
     * removed once its requests in flight are done (or after the drain timeout, whatever is
     * left). The future completes when it is removed; at once when it was not there.
     */
    public CompletableFuture<Void> drain(URI instance) {
        return drain(defaultPool.name(), instance);
    }

    /** Drains an instance of {@code pool}, as {@link #drain(URI)} does in the default one. */
    public CompletableFuture<Void> drain(String pool, URI instance) {
        return pool(pool).drain(instance);
    }

    private Pool pool(String name) {
        Pool pool = pools.get(name);
        if (pool == null) {
            throw new IllegalArgumentException("the balancer has no pool '" + name + "'; its pools are " + pools.keySet());
        }
        return pool;
    }

    @Override
    public void close() {
        checks.forEach(HealthChecks::close);
        server.close();
    }

    @Override
    public String toString() {
        return "balancer at " + url();
    }
}
