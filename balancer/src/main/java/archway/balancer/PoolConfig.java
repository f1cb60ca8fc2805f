package archway.balancer;

import archway.platform.tier.ConfigCheck;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;

/**
 * One pool of instances that serve the same thing, and how the balancer treats them.
 *
 * @param name        how routes, metrics and {@link Balancer#add(String, URI)} name it
 * @param instances   the instances' origins ({@code http://host:port}); may be empty, see {@link Balancer#add}
 * @param algorithm   how an instance is chosen per request
 * @param health      the active health checks
 * @param ejection    the passive outlier ejection
 * @param retryBudget how many retries the pool takes on top of its requests
 */
public record PoolConfig(String name, List<URI> instances, Algorithm algorithm, HealthCheck health, Ejection ejection,
                         RetryBudget retryBudget) {

    public PoolConfig {
        if (name == null || !name.matches("[a-z0-9][a-z0-9-]*")) {
            throw new IllegalArgumentException("balancer pool name must be lower-case letters, digits and '-', was " + name);
        }
        String setting = "balancer.pools." + name;
        if (instances == null) {
            throw new IllegalArgumentException(setting + ".instances must be a list (possibly empty), was null");
        }
        instances = List.copyOf(instances);
        for (URI instance : instances) {
            ConfigCheck.origin(setting + ".instances", instance);
        }
        if (new HashSet<>(instances).size() != instances.size()) {
            throw new IllegalArgumentException(setting + ".instances must not repeat an instance, was " + instances);
        }
        require(setting + ".algorithm", algorithm);
        require(setting + ".health", health);
        require(setting + ".ejection", ejection);
        require(setting + ".retryBudget", retryBudget);
    }

    /** A pool with round-robin and the default health checks, ejection and retry budget. */
    public static PoolConfig of(String name, List<URI> instances) {
        return new PoolConfig(name, instances, Algorithm.ROUND_ROBIN, HealthCheck.DEFAULT, Ejection.DEFAULT, RetryBudget.DEFAULT);
    }

    public PoolConfig withAlgorithm(Algorithm algorithm) {
        return new PoolConfig(name, instances, algorithm, health, ejection, retryBudget);
    }

    public PoolConfig withHealth(HealthCheck health) {
        return new PoolConfig(name, instances, algorithm, health, ejection, retryBudget);
    }

    public PoolConfig withEjection(Ejection ejection) {
        return new PoolConfig(name, instances, algorithm, health, ejection, retryBudget);
    }

    public PoolConfig withRetryBudget(RetryBudget retryBudget) {
        return new PoolConfig(name, instances, algorithm, health, ejection, retryBudget);
    }

    private static void require(String setting, Object value) {
        if (value == null) {
            throw new IllegalArgumentException(setting + " must be set, was null");
        }
    }

    /**
     * Active health checks.
     *
     * @param path               the path each instance is probed on; {@code 200} means healthy
     * @param interval           the time between two rounds of probes
     * @param timeout            the longest a probe may take before it counts as failed; shorter than the interval
     * @param unhealthyThreshold consecutive failed probes that take a healthy instance out
     * @param healthyThreshold   consecutive passed probes that bring a down instance back
     */
    public record HealthCheck(String path, Duration interval, Duration timeout, int unhealthyThreshold, int healthyThreshold) {

        public static final HealthCheck DEFAULT = new HealthCheck("/ready", Duration.ofSeconds(1), Duration.ofMillis(500), 2, 2);

        public HealthCheck {
            if (path == null || !path.startsWith("/")) {
                throw new IllegalArgumentException("balancer.healthPath must start with '/', was " + path);
            }
            ConfigCheck.positive("balancer.healthInterval", interval);
            ConfigCheck.positive("balancer.healthTimeout", timeout);
            if (timeout.compareTo(interval) >= 0) {
                throw new IllegalArgumentException("balancer.healthTimeout must be shorter than balancer.healthInterval ("
                        + interval + "), was " + timeout);
            }
            ConfigCheck.positive("balancer.unhealthyThreshold", unhealthyThreshold);
            ConfigCheck.positive("balancer.healthyThreshold", healthyThreshold);
        }
    }

    /**
     * Passive outlier ejection: an instance is taken out for a while after a connection to
     * it could not be made, or after {@code consecutiveFailures} failures in a row (errors,
     * timeouts, {@code 502}/{@code 503}/{@code 504} answers). The n-th ejection in a row lasts
     * {@code baseTime × n}, at most {@code maxTime}; n goes down by one for each
     * {@code decayAfter} the instance stays in.
     *
     * @param consecutiveFailures failures in a row that eject
     * @param baseTime            how long a first ejection lasts
     * @param maxTime             the longest an ejection lasts
     * @param decayAfter          time in the pool that forgives one past ejection
     * @param maxEjectedPercent   the largest share of the pool ejected at once (the last instance up is never ejected)
     */
    public record Ejection(int consecutiveFailures, Duration baseTime, Duration maxTime, Duration decayAfter, int maxEjectedPercent) {

        public static final Ejection DEFAULT = new Ejection(5, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(10), 50);

        public Ejection {
            ConfigCheck.positive("balancer.ejection.consecutiveFailures", consecutiveFailures);
            ConfigCheck.positive("balancer.ejection.baseTime", baseTime);
            ConfigCheck.positive("balancer.ejection.maxTime", maxTime);
            if (maxTime.compareTo(baseTime) < 0) {
                throw new IllegalArgumentException("balancer.ejection.maxTime must be at least baseTime (" + baseTime + "), was " + maxTime);
            }
            ConfigCheck.positive("balancer.ejection.decayAfter", decayAfter);
            if (maxEjectedPercent < 0 || maxEjectedPercent > 100) {
                throw new IllegalArgumentException("balancer.ejection.maxEjectedPercent must be 0-100, was " + maxEjectedPercent);
            }
        }
    }

    /**
     * How many retries a pool allows (Finagle's retry budget): {@code percent} of the
     * requests of the last {@code window}, plus {@code minPerSecond × window} so that a
     * quiet pool can still retry.
     *
     * @param percent      retries allowed per 100 requests, 0-100
     * @param minPerSecond retries allowed per second of the window whatever the traffic
     * @param window       how long a request counts towards the budget, whole seconds
     */
    public record RetryBudget(int percent, int minPerSecond, Duration window) {

        public static final RetryBudget DEFAULT = new RetryBudget(20, 10, Duration.ofSeconds(10));

        public RetryBudget {
            if (percent < 0 || percent > 100) {
                throw new IllegalArgumentException("balancer.retryBudget.percent must be 0-100, was " + percent);
            }
            if (minPerSecond < 0) {
                throw new IllegalArgumentException("balancer.retryBudget.minPerSecond must be 0 or more, was " + minPerSecond);
            }
            ConfigCheck.positive("balancer.retryBudget.window", window);
            if (window.toMillis() % 1000 != 0 || window.toSeconds() > 600) {
                throw new IllegalArgumentException("balancer.retryBudget.window must be whole seconds, at most 600, was " + window);
            }
        }
    }
}
