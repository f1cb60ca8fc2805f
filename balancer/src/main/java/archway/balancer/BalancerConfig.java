package archway.balancer;

import archway.platform.tier.ConfigCheck;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Settings of the load balancer, checked at start.
 *
 * @param host                      the address to bind
 * @param port                      the port to bind, {@code 0} for any free one
 * @param pools                     the pools, the first being the default one of {@link Balancer#add(URI)} and kin
 * @param routes                    which pool takes which requests (most specific first, see {@link Route});
 *                                  a request no route matches gets {@code 404}
 * @param connectTimeout            the longest wait for a connection to an instance ({@code 502} after)
 * @param upstreamTimeout           the longest wait for an instance's complete answer ({@code 504} after)
 * @param maxConnectionsPerInstance the most connections pooled to one instance; requests beyond wait for one
 * @param drainTimeout              the longest {@link Balancer#drain} waits for an instance's requests in flight
 */
public record BalancerConfig(String host, int port, List<PoolConfig> pools, List<Route> routes, Duration connectTimeout,
                             Duration upstreamTimeout, int maxConnectionsPerInstance, Duration drainTimeout) {

    /** The name of the one pool of {@link #of}. */
    public static final String DEFAULT_POOL = "app";
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(1);
    public static final Duration DEFAULT_UPSTREAM_TIMEOUT = Duration.ofSeconds(5);
    public static final int DEFAULT_MAX_CONNECTIONS_PER_INSTANCE = 256;
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);

    public BalancerConfig {
        ConfigCheck.host("balancer.host", host);
        ConfigCheck.port("balancer.port", port);
        pools = List.copyOf(ConfigCheck.notEmpty("balancer.pools", pools));
        Set<String> names = new HashSet<>();
        for (PoolConfig pool : pools) {
            if (!names.add(pool.name())) {
                throw new IllegalArgumentException("balancer.pools must not repeat a name, '" + pool.name() + "' is there twice");
            }
        }
        routes = List.copyOf(ConfigCheck.notEmpty("balancer.routes", routes));
        Set<String> matches = new HashSet<>();
        for (Route route : routes) {
            if (!names.contains(route.pool())) {
                throw new IllegalArgumentException("balancer.routes names pool '" + route.pool() + "', which is not one of " + names);
            }
            if (!matches.add(route.host() + route.pathPrefix())) {
                throw new IllegalArgumentException("balancer.routes has two routes for host " + route.host() + " and prefix "
                        + route.pathPrefix());
            }
        }
        ConfigCheck.positive("balancer.connectTimeout", connectTimeout);
        ConfigCheck.positive("balancer.upstreamTimeout", upstreamTimeout);
        ConfigCheck.positive("balancer.maxConnectionsPerInstance", maxConnectionsPerInstance);
        ConfigCheck.positive("balancer.drainTimeout", drainTimeout);
    }

    /** A balancer over {@code instances}: one round-robin pool {@value #DEFAULT_POOL} that takes every request. */
    public static BalancerConfig of(String host, int port, List<URI> instances) {
        return of(host, port, List.of(PoolConfig.of(DEFAULT_POOL, instances)), List.of(Route.all(DEFAULT_POOL)));
    }

    /** A balancer over several pools, with the default timeouts and connection limit. */
    public static BalancerConfig of(String host, int port, List<PoolConfig> pools, List<Route> routes) {
        return new BalancerConfig(host, port, pools, routes, DEFAULT_CONNECT_TIMEOUT, DEFAULT_UPSTREAM_TIMEOUT,
                DEFAULT_MAX_CONNECTIONS_PER_INSTANCE, DEFAULT_DRAIN_TIMEOUT);
    }

    /** The default pool: the first. */
    public PoolConfig defaultPool() {
        return pools.getFirst();
    }

    /** The same health checks, at {@code path} every {@code interval}, for every pool. */
    public BalancerConfig withHealthChecks(String path, Duration interval, Duration timeout) {
        return withEveryPool(pool -> pool.withHealth(new PoolConfig.HealthCheck(path, interval, timeout,
                pool.health().unhealthyThreshold(), pool.health().healthyThreshold())));
    }

    /** The same thresholds for every pool's health checks. */
    public BalancerConfig withThresholds(int unhealthy, int healthy) {
        return withEveryPool(pool -> pool.withHealth(new PoolConfig.HealthCheck(pool.health().path(), pool.health().interval(),
                pool.health().timeout(), unhealthy, healthy)));
    }

    public BalancerConfig withAlgorithm(Algorithm algorithm) {
        return withEveryPool(pool -> pool.withAlgorithm(algorithm));
    }

    public BalancerConfig withEveryPool(UnaryOperator<PoolConfig> change) {
        return new BalancerConfig(host, port, pools.stream().map(change).toList(), routes, connectTimeout, upstreamTimeout,
                maxConnectionsPerInstance, drainTimeout);
    }

    public BalancerConfig withUpstreamTimeout(Duration timeout) {
        return new BalancerConfig(host, port, pools, routes, connectTimeout, timeout, maxConnectionsPerInstance, drainTimeout);
    }

    public BalancerConfig withConnections(Duration connect, int maxPerInstance) {
        return new BalancerConfig(host, port, pools, routes, connect, upstreamTimeout, maxPerInstance, drainTimeout);
    }

    public BalancerConfig withDrainTimeout(Duration timeout) {
        return new BalancerConfig(host, port, pools, routes, connectTimeout, upstreamTimeout, maxConnectionsPerInstance, timeout);
    }
}
