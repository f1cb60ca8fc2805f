package archway.balancer;

import archway.platform.tier.ConfigCheck;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;

/**
 * Settings of the load balancer, checked at start.
 *
 * @param host               the address to bind
 * @param port               the port to bind, {@code 0} for any free one
 * @param instances          the app instances' origins ({@code http://host:port}); may be empty, see {@link Balancer#add}
 * @param healthPath         the path each instance is probed on; {@code 200} means healthy
 * @param healthInterval     the time between two rounds of probes
 * @param healthTimeout      the longest a probe may take before it counts as failed; shorter than the interval
 * @param unhealthyThreshold consecutive failed probes that take a healthy instance out
 * @param healthyThreshold   consecutive passed probes that bring a down or ejected instance back
 * @param upstreamTimeout    the longest wait for an instance's complete answer ({@code 504} after)
 */
public record BalancerConfig(String host, int port, List<URI> instances, String healthPath, Duration healthInterval,
                             Duration healthTimeout, int unhealthyThreshold, int healthyThreshold, Duration upstreamTimeout) {

    public static final String DEFAULT_HEALTH_PATH = "/ready";
    public static final Duration DEFAULT_HEALTH_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_HEALTH_TIMEOUT = Duration.ofMillis(500);
    public static final int DEFAULT_UNHEALTHY_THRESHOLD = 2;
    public static final int DEFAULT_HEALTHY_THRESHOLD = 2;
    public static final Duration DEFAULT_UPSTREAM_TIMEOUT = Duration.ofSeconds(5);

    public BalancerConfig {
        ConfigCheck.host("balancer.host", host);
        ConfigCheck.port("balancer.port", port);
        if (instances == null) {
            throw new IllegalArgumentException("balancer.instances must be a list (possibly empty), was null");
        }
        instances = List.copyOf(instances);
        for (URI instance : instances) {
            ConfigCheck.origin("balancer.instances", instance);
        }
        if (new HashSet<>(instances).size() != instances.size()) {
            throw new IllegalArgumentException("balancer.instances must not repeat an instance, was " + instances);
        }
        if (healthPath == null || !healthPath.startsWith("/")) {
            throw new IllegalArgumentException("balancer.healthPath must start with '/', was " + healthPath);
        }
        ConfigCheck.positive("balancer.healthInterval", healthInterval);
        ConfigCheck.positive("balancer.healthTimeout", healthTimeout);
        if (healthTimeout.compareTo(healthInterval) >= 0) {
            throw new IllegalArgumentException("balancer.healthTimeout must be shorter than balancer.healthInterval ("
                    + healthInterval + "), was " + healthTimeout);
        }
        ConfigCheck.positive("balancer.unhealthyThreshold", unhealthyThreshold);
        ConfigCheck.positive("balancer.healthyThreshold", healthyThreshold);
        ConfigCheck.positive("balancer.upstreamTimeout", upstreamTimeout);
    }

    /** A balancer over {@code instances} with the default health checks and timeouts. */
    public static BalancerConfig of(String host, int port, List<URI> instances) {
        return new BalancerConfig(host, port, instances, DEFAULT_HEALTH_PATH, DEFAULT_HEALTH_INTERVAL, DEFAULT_HEALTH_TIMEOUT,
                DEFAULT_UNHEALTHY_THRESHOLD, DEFAULT_HEALTHY_THRESHOLD, DEFAULT_UPSTREAM_TIMEOUT);
    }

    public BalancerConfig withHealthChecks(String path, Duration interval, Duration timeout) {
        return new BalancerConfig(host, port, instances, path, interval, timeout, unhealthyThreshold, healthyThreshold, upstreamTimeout);
    }

    public BalancerConfig withThresholds(int unhealthy, int healthy) {
        return new BalancerConfig(host, port, instances, healthPath, healthInterval, healthTimeout, unhealthy, healthy, upstreamTimeout);
    }

    public BalancerConfig withUpstreamTimeout(Duration timeout) {
        return new BalancerConfig(host, port, instances, healthPath, healthInterval, healthTimeout, unhealthyThreshold,
                healthyThreshold, timeout);
    }
}
