package archway.balancer;

import archway.platform.tier.Failures;
import archway.platform.tier.Upstreams;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The balancer's instances: their health, and round-robin over those that are up.
 *
 * <p>Design notes: picking is the hot path and takes no lock; it reads an array of the up
 * instances that is replaced (copy on write) whenever an instance enters or leaves
 * {@code UP}, which happens at the pace of health checks, not of requests. Every state
 * change holds the pool's lock, so probe results, passive ejections and scaling never
 * interleave halfway.
 */
final class Pool implements Upstreams {

    private static final Logger LOG = LoggerFactory.getLogger(Pool.class);

    private final int unhealthyThreshold;
    private final int healthyThreshold;
    private final Clock clock;
    private final Map<URI, Member> members = new LinkedHashMap<>();
    private final AtomicInteger turn = new AtomicInteger();
    private final Counter retries;
    private final Counter ejections;
    private volatile URI[] up = new URI[0];

    Pool(List<URI> instances, int unhealthyThreshold, int healthyThreshold, Clock clock, MeterRegistry registry) {
        this.unhealthyThreshold = unhealthyThreshold;
        this.healthyThreshold = healthyThreshold;
        this.clock = clock;
        instances.forEach(this::add);
        this.retries = Counter.builder("balancer.retries").description("requests retried on another instance").register(registry);
        this.ejections = Counter.builder("balancer.ejections").description("instances taken out after a failed connection")
                .register(registry);
        for (Health health : Health.values()) {
            Gauge.builder("balancer.instances", this, pool -> pool.count(health)).tag("state", health.label())
                    .description("instances by state").register(registry);
        }
    }

    /** Round-robin over the instances that are up, skipping the one that just failed. */
    @Override
    public URI pick(Request request, URI failed) {
        URI[] candidates = up;
        int n = candidates.length;
        if (n == 0) {
            return null;
        }
        int i = Math.floorMod(turn.getAndIncrement(), n);
        if (failed == null) {
            return candidates[i];
        }
        retries.increment();
        if (!candidates[i].equals(failed)) {
            return candidates[i];
        }
        return n == 1 ? null : candidates[(i + 1) % n];
    }

    /** A connection that could not be made takes the instance out now, without waiting for probes. */
    @Override
    public void failed(Request request, URI upstream, Throwable failure, long nanos) {
        if (upstream != null && Failures.isConnectFailure(failure)) {
            synchronized (this) {
                Member member = members.get(upstream);
                if (member != null && member.connectFailed(clock.instant())) {
                    ejections.increment();
                    LOG.warn("instance {} ejected: {}", upstream, failure.toString());
                    refreshUp();
                }
            }
        }
    }

    synchronized void probed(URI instance, boolean passed) {
        Member member = members.get(instance);
        if (member == null) {
            return; // removed while its probe was out
        }
        Health before = member.health();
        if (member.probed(passed, unhealthyThreshold, healthyThreshold, clock.instant())) {
            LOG.info("instance {} {} -> {}", instance, before.label(), member.health().label());
            refreshUp();
        }
    }

    /** Adds an instance; it takes traffic once a health check passes. {@code false} if it was there already. */
    synchronized boolean add(URI instance) {
        if (members.containsKey(instance)) {
            return false;
        }
        members.put(instance, new Member(instance, Health.STARTING, clock.instant()));
        return true;
    }

    /** Stops sending new requests to an instance; those under way finish. */
    synchronized boolean remove(URI instance) {
        boolean removed = members.remove(instance) != null;
        if (removed) {
            refreshUp();
        }
        return removed;
    }

    synchronized List<URI> urls() {
        return List.copyOf(members.keySet());
    }

    synchronized List<InstanceState> states() {
        List<InstanceState> states = new ArrayList<>(members.size());
        members.values().forEach(member -> states.add(member.state()));
        return states;
    }

    boolean hasUp() {
        return up.length > 0;
    }

    private synchronized int count(Health health) {
        int n = 0;
        for (Member member : members.values()) {
            if (member.health() == health) {
                n++;
            }
        }
        return n;
    }

    private void refreshUp() {
        up = members.values().stream().filter(m -> m.health() == Health.UP).map(Member::url).toArray(URI[]::new);
    }
}
