package archway.balancer;

import archway.balancer.PoolConfig.Ejection;
import io.micrometer.core.instrument.Counter;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One instance in a pool: its health and the rules that move it between states, and the
 * live figures the pickers read (requests in flight, latency, failures in a row).
 *
 * <p>The state changes only under the {@link Pool}'s lock; it is volatile so that the
 * request path can read it without one. The live figures are atomics, updated on every
 * request without a lock.
 *
 * <pre>
 *   STARTING --pass--------------------------------> UP       (a new instance joins on its first pass)
 *   UP       --fail x unhealthyThreshold-----------> DOWN
 *   DOWN     --pass x healthyThreshold-------------> UP       (several passes, so a flapping instance stays out)
 *   UP       --connection refused / timed out, or
 *              consecutiveFailures in a row--------> EJECTED  (passive, within the pool's ejection cap)
 *   EJECTED  --its ejection time is over-----------> UP
 *   EJECTED  --fail--------------------------------> DOWN     (the probe confirms the ejection)
 *   any      --drain-------------------------------> DRAINING (then removed once its requests are done)
 * </pre>
 *
 * The n-th ejection lasts {@code baseTime × n} (at most {@code maxTime}); n goes down by one
 * for every {@code decayAfter} spent up since the last return.
 */
final class Member {

    private final URI url;
    private final Counter picks;
    private final AtomicInteger outstanding = new AtomicInteger();
    private final AtomicInteger failuresInRow = new AtomicInteger();
    private final PeakEwma latency = new PeakEwma();
    private volatile Health health;
    private Instant since;
    private int consecutivePasses;
    private int consecutiveFailures;
    private int ejections;
    private Instant upSince;
    private Instant ejectedUntil;
    private CompletableFuture<Void> drained;

    Member(URI url, Instant since, Counter picks) {
        this.url = url;
        this.picks = picks;
        this.health = Health.STARTING;
        this.since = since;
    }

    URI url() {
        return url;
    }

    Health health() {
        return health;
    }

    /** How many requests it was sent (a meter of its pool). */
    Counter picks() {
        return picks;
    }

    int outstanding() {
        return outstanding.get();
    }

    PeakEwma latency() {
        return latency;
    }

    InstanceState state(String pool, long nowNanos) {
        return new InstanceState(pool, url, health.label(), since, outstanding(), latency.nanos(nowNanos) / 1e6);
    }

    // ---- the request path, lock-free

    void started() {
        outstanding.incrementAndGet();
    }

    /**
     * A request ended; {@code true} when that was the last one of a draining member. Never
     * below zero: an instance removed and added again hears its old requests end too.
     */
    boolean ended() {
        int left = outstanding.updateAndGet(n -> n > 0 ? n - 1 : 0);
        return left == 0 && health == Health.DRAINING;
    }

    void succeeded() {
        if (failuresInRow.get() != 0) {
            failuresInRow.set(0);
        }
    }

    /** One more failure; {@code true} when that makes {@code threshold} in a row. */
    boolean failedInRow(int threshold) {
        return failuresInRow.incrementAndGet() >= threshold;
    }

    // ---- state changes, under the pool's lock

    /** Applies one probe's outcome; {@code true} when the state changed. */
    boolean probed(boolean passed, int unhealthyThreshold, int healthyThreshold, Instant now) {
        if (passed) {
            consecutivePasses++;
            consecutiveFailures = 0;
        } else {
            consecutiveFailures++;
            consecutivePasses = 0;
        }
        Health next = switch (health) {
            case STARTING -> passed ? Health.UP : Health.STARTING;
            case UP -> consecutiveFailures >= unhealthyThreshold ? Health.DOWN : Health.UP;
            case DOWN -> consecutivePasses >= healthyThreshold ? Health.UP : Health.DOWN;
            case EJECTED -> passed ? Health.EJECTED : Health.DOWN;
            case DRAINING -> Health.DRAINING;
        };
        return moveTo(next, now);
    }

    /** Takes an up member out; returns until when. */
    Instant eject(Ejection ejection, Instant now) {
        long forgiven = Duration.between(upSince, now).toMillis() / ejection.decayAfter().toMillis();
        ejections = (int) Math.max(0, ejections - forgiven) + 1;
        Duration time = ejection.baseTime().multipliedBy(ejections);
        ejectedUntil = now.plus(time.compareTo(ejection.maxTime()) > 0 ? ejection.maxTime() : time);
        failuresInRow.set(0);
        moveTo(Health.EJECTED, now);
        return ejectedUntil;
    }

    /** An ejected member whose time is over is up again; {@code true} when it returned. */
    boolean returnIfDue(Instant now) {
        return health == Health.EJECTED && !now.isBefore(ejectedUntil) && moveTo(Health.UP, now);
    }

    Instant ejectedUntil() {
        return health == Health.EJECTED ? ejectedUntil : null;
    }

    /** Stops new requests; the future completes when none is in flight (see {@link Pool#drain}). */
    CompletableFuture<Void> drain(Instant now) {
        if (drained == null) {
            drained = new CompletableFuture<>();
            moveTo(Health.DRAINING, now);
        }
        return drained;
    }

    CompletableFuture<Void> drained() {
        return drained;
    }

    private boolean moveTo(Health next, Instant now) {
        if (next == health) {
            return false;
        }
        health = next;
        since = now;
        consecutivePasses = 0;
        consecutiveFailures = 0;
        if (next == Health.UP) {
            upSince = now;
            failuresInRow.set(0);
        }
        return true;
    }
}
