package archway.balancer;

import java.net.URI;
import java.time.Instant;

/**
 * One instance's health and the rules that move it between states. Not thread-safe: the
 * {@link Pool} holds its lock around every call.
 *
 * <pre>
 *   STARTING --pass--------------------------------> UP      (a new instance joins on its first pass)
 *   UP       --fail x unhealthyThreshold-----------> DOWN
 *   UP       --connection refused / timed out------> EJECTED (passive: no need to wait for probes)
 *   DOWN, EJECTED --pass x healthyThreshold--------> UP      (several passes, so a flapping instance stays out)
 *   EJECTED  --fail--------------------------------> DOWN    (the probe confirms the ejection)
 * </pre>
 */
final class Member {

    private final URI url;
    private Health health;
    private Instant since;
    private int consecutivePasses;
    private int consecutiveFailures;

    Member(URI url, Health health, Instant since) {
        this.url = url;
        this.health = health;
        this.since = since;
    }

    URI url() {
        return url;
    }

    Health health() {
        return health;
    }

    InstanceState state() {
        return new InstanceState(url, health.label(), since);
    }

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
            case EJECTED -> passed ? (consecutivePasses >= healthyThreshold ? Health.UP : Health.EJECTED) : Health.DOWN;
        };
        return moveTo(next, now);
    }

    /** A forwarded request could not connect; {@code true} when that took the instance out. */
    boolean connectFailed(Instant now) {
        return health == Health.UP && moveTo(Health.EJECTED, now);
    }

    private boolean moveTo(Health next, Instant now) {
        if (next == health) {
            return false;
        }
        health = next;
        since = now;
        consecutivePasses = 0;
        consecutiveFailures = 0;
        return true;
    }
}
