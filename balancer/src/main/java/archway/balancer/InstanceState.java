package archway.balancer;

import java.net.URI;
import java.time.Instant;

/**
 * One app instance as the balancer sees it now.
 *
 * @param url   the instance's origin
 * @param state {@value #UP}, {@value #DOWN} (failing health checks), {@value #EJECTED}
 *              (taken out after a failed connection, until health checks bring it back) or
 *              {@value #STARTING} (not yet passed a health check)
 * @param since when it entered that state
 */
public record InstanceState(URI url, String state, Instant since) {

    public static final String UP = "up";
    public static final String DOWN = "down";
    public static final String EJECTED = "ejected";
    public static final String STARTING = "starting";

    /** Whether the balancer sends it traffic. */
    public boolean isUp() {
        return UP.equals(state);
    }
}
