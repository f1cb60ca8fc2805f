package archway.balancer;

import archway.platform.tier.Failures;
import archway.platform.tier.Upstreams;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pool of instances: their health, the {@link Picker} of its {@link Algorithm}, passive
 * outlier ejection, draining and the retry budget.
 *
 * <p>Design notes: picking is the hot path and takes no lock. It reads an array of the
 * members that are up, replaced (copy on write) whenever a member enters or leaves
 * {@code UP}, at the pace of health checks and ejections, not of requests; the figures the
 * pickers read are atomics in each {@link Member}. Every state change holds the pool's lock,
 * so probe results, ejections, returns and scaling never interleave halfway. An ejection's
 * end needs no timer: the first pick (or look at the states) after it puts the member back.
 * A pick counts the request in flight, then checks that the member is not draining; a drain
 * marks the member, then checks its requests in flight; so either the pick goes elsewhere
 * or the drain waits for it.
 */
final class Pool implements Upstreams {

    private static final Logger LOG = LoggerFactory.getLogger(Pool.class);

    private final PoolConfig config;
    private final Clock clock;
    private final Duration drainTimeout;
    private final Picker picker;
    private final Retries budget;
    private final MeterRegistry registry;
    private final Counter retries;
    private final Counter budgetExhausted;
    private final Counter ejections;
    private final Map<URI, Member> members = new LinkedHashMap<>();
    private final Map<Member, Gauge> inFlight = new LinkedHashMap<>();
    private volatile Map<URI, Member> byUrl = Map.of();
    private volatile Member[] up = new Member[0];
    private volatile long nextReturnMillis = Long.MAX_VALUE;

    Pool(PoolConfig config, Clock clock, Duration drainTimeout, MeterRegistry registry) {
        this.config = config;
        this.clock = clock;
        this.drainTimeout = drainTimeout;
        this.picker = config.algorithm().picker(clock);
        this.budget = new Retries(config.retryBudget(), clock);
        this.registry = registry;
        Tags pool = Tags.of("pool", config.name());
        this.retries = Counter.builder("balancer.retries").tags(pool).description("requests retried on another instance")
                .register(registry);
        this.budgetExhausted = Counter.builder("balancer.retry.budget.exhausted").tags(pool)
                .description("retries refused because the pool's retry budget was spent").register(registry);
        this.ejections = Counter.builder("balancer.ejections").tags(pool)
                .description("instances taken out for a while after failed requests").register(registry);
        for (Health health : Health.values()) {
            Gauge.builder("balancer.instances", this, p -> p.count(health)).tags(pool.and("state", health.label()))
                    .description("instances by state").register(registry);
        }
        config.instances().forEach(this::add);
    }

    String name() {
        return config.name();
    }

    PoolConfig config() {
        return config;
    }

    /**
     * The member the {@link Picker} chooses among those up, skipping {@code failed}; for a
     * retry only while the retry budget lasts ({@code null} after, so the client gets the
     * first failure).
     */
    @Override
    public URI pick(Request request, URI failed) {
        returnEjectedIfDue();
        Member skip = failed == null ? null : byUrl.get(failed);
        Member chosen = take(skip);
        if (chosen == null) {
            return null;
        }
        if (failed == null) {
            budget.request();
        } else if (budget.tryRetry()) {
            retries.increment();
        } else {
            ended(chosen);
            budgetExhausted.increment();
            return null;
        }
        chosen.picks().increment();
        return chosen.url();
    }

    private Member take(Member skip) {
        while (true) {
            Member chosen = picker.pick(up, skip);
            if (chosen == null) {
                return null;
            }
            chosen.started();
            if (chosen.health() != Health.DRAINING) {
                return chosen;
            }
            ended(chosen); // drained meanwhile: the next read of the members up no longer has it
        }
    }

    /** An answer: its latency feeds the average; {@code 502}/{@code 503}/{@code 504} count as a failure. */
    @Override
    public void answered(Request request, URI upstream, int status, long nanos) {
        Member member = byUrl.get(upstream);
        if (member == null) {
            return;
        }
        member.latency().observe(nanos, PeakEwma.nanos(clock));
        if (status == 502 || status == 503 || status == 504) {
            failedAgain(member, "answered " + status);
        } else {
            member.succeeded();
        }
        ended(member);
    }

    /**
     * A failure: a connection that could not be made ejects the instance at once (nothing
     * listens there); any other (reset, timeout) counts towards the failures in a row.
     */
    @Override
    public void failed(Request request, URI upstream, Throwable failure, long nanos) {
        Member member = upstream == null ? null : byUrl.get(upstream);
        if (member == null) {
            return;
        }
        if (Failures.isConnectFailure(failure)) {
            eject(member, failure.toString());
        } else {
            failedAgain(member, failure.toString());
        }
        ended(member);
    }

    private void failedAgain(Member member, String why) {
        if (member.failedInRow(config.ejection().consecutiveFailures())) {
            eject(member, config.ejection().consecutiveFailures() + " failures in a row, the last: " + why);
        }
    }

    private void ended(Member member) {
        if (member.ended()) {
            member.drained().complete(null);
        }
    }

    private synchronized void eject(Member member, String why) {
        returnEjectedIfDue(); // an ejection that is over frees its place under the cap first
        if (member.health() != Health.UP || members.get(member.url()) != member) {
            return;
        }
        if (!mayEjectOneMore()) {
            LOG.debug("instance {} of pool {} not ejected ({}): the pool's ejection cap is reached", member.url(), name(), why);
            return;
        }
        Instant until = member.eject(config.ejection(), clock.instant());
        ejections.increment();
        nextReturnMillis = Math.min(nextReturnMillis, until.toEpochMilli());
        LOG.warn("instance {} of pool {} ejected until {}: {}", member.url(), name(), until, why);
        refreshUp();
    }

    /** Within the share of the pool that may be out at once, and never the last member up. */
    private boolean mayEjectOneMore() {
        int ejected = count(Health.EJECTED);
        return up.length > 1 && (ejected + 1) * 100 <= members.size() * config.ejection().maxEjectedPercent();
    }

    private void returnEjectedIfDue() {
        if (clock.millis() >= nextReturnMillis) {
            returnEjected();
        }
    }

    private synchronized void returnEjected() {
        Instant now = clock.instant();
        long next = Long.MAX_VALUE;
        boolean changed = false;
        for (Member member : members.values()) {
            if (member.returnIfDue(now)) {
                LOG.info("instance {} of pool {} back after its ejection", member.url(), name());
                changed = true;
            } else if (member.ejectedUntil() != null) {
                next = Math.min(next, member.ejectedUntil().toEpochMilli());
            }
        }
        nextReturnMillis = next;
        if (changed) {
            refreshUp();
        }
    }

    synchronized void probed(URI instance, boolean passed) {
        Member member = members.get(instance);
        if (member == null) {
            return; // removed while its probe was out
        }
        Health before = member.health();
        PoolConfig.HealthCheck health = config.health();
        if (member.probed(passed, health.unhealthyThreshold(), health.healthyThreshold(), clock.instant())) {
            LOG.info("instance {} of pool {} {} -> {}", instance, name(), before.label(), member.health().label());
            refreshUp();
            if (member.health() != Health.EJECTED) {
                returnEjected(); // recomputes when the next ejection ends
            }
        }
    }

    /** Adds an instance; it takes traffic once a health check passes. {@code false} if it was there already. */
    synchronized boolean add(URI instance) {
        if (members.containsKey(instance)) {
            return false;
        }
        Tags tags = Tags.of("pool", name(), "instance", instance.toString());
        Member member = new Member(instance, clock.instant(),
                Counter.builder("balancer.picks").tags(tags).description("requests sent to the instance").register(registry));
        members.put(instance, member);
        inFlight.put(member, Gauge.builder("balancer.in.flight", member, Member::outstanding).tags(tags)
                .description("requests the instance is working on").register(registry));
        byUrl = Map.copyOf(members);
        return true;
    }

    /** Stops sending new requests to an instance at once; those under way finish. {@code false} when it was not there. */
    synchronized boolean remove(URI instance) {
        Member member = members.remove(instance);
        if (member == null) {
            return false;
        }
        registry.remove(member.picks());
        registry.remove(inFlight.remove(member));
        byUrl = Map.copyOf(members);
        refreshUp();
        return true;
    }

    /**
     * Sends no new request to the instance, and removes it once its requests in flight are
     * done, or after the drain timeout whatever is left. The future completes when it is
     * removed; at once when it is not in the pool.
     */
    synchronized CompletableFuture<Void> drain(URI instance) {
        Member member = members.get(instance);
        if (member == null) {
            return CompletableFuture.completedFuture(null);
        }
        if (member.drained() != null) {
            return member.drained().thenRun(() -> { });
        }
        CompletableFuture<Void> drained = member.drain(clock.instant());
        refreshUp();
        LOG.info("instance {} of pool {} draining, {} requests in flight", instance, name(), member.outstanding());
        if (member.outstanding() == 0) {
            drained.complete(null);
        }
        CompletableFuture.delayedExecutor(drainTimeout.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
            if (drained.complete(null)) {
                LOG.warn("instance {} of pool {} still had {} requests in flight after the drain timeout of {}; removed anyway",
                        instance, name(), member.outstanding(), drainTimeout);
            }
        });
        return drained.thenRun(() -> removeDrained(member));
    }

    private synchronized void removeDrained(Member member) {
        if (members.get(member.url()) == member) {
            remove(member.url());
        }
    }

    synchronized List<URI> urls() {
        return List.copyOf(members.keySet());
    }

    List<InstanceState> states() {
        returnEjectedIfDue();
        long now = PeakEwma.nanos(clock);
        synchronized (this) {
            List<InstanceState> states = new ArrayList<>(members.size());
            members.values().forEach(member -> states.add(member.state(name(), now)));
            return states;
        }
    }

    boolean hasUp() {
        returnEjectedIfDue();
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
        up = members.values().stream().filter(m -> m.health() == Health.UP).toArray(Member[]::new);
    }
}
