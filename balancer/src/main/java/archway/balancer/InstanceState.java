package archway.balancer;

import java.net.URI;
import java.time.Instant;

/**
 * One app instance as the balancer sees it now.
 *
 * @param pool        the pool it is in
 * @param url         the instance's origin
 * @param state       {@value #UP}, {@value #DOWN} (failing health checks), {@value #EJECTED}
 *                    (taken out for a while after failed requests), {@value #DRAINING} (finishing
 *                    its requests in flight before it leaves) or {@value #STARTING} (not yet
 *                    passed a health check)
 * @param since       when it entered that state
 * @param outstanding its requests in flight
 * @param latencyMs   its peak-EWMA latency in milliseconds, {@code 0} before its first answer
 */
public record InstanceState(String pool, URI url, String state, Instant since, int outstanding, double latencyMs) {

    public static final String UP = "up";
    public static final String DOWN = "down";
    public static final String EJECTED = "ejected";
    public static final String DRAINING = "draining";
    public static final String STARTING = "starting";

    /** Whether the balancer sends it new requests. */
    public boolean isUp() {
        return UP.equals(state);
    }
}
