package archway.platform.tier;

import java.net.URI;
import org.eclipse.jetty.server.Request;

/**
 * Where a {@link Forwarder} sends each request: one fixed origin (edge, gateway route) or
 * one of a pool (balancer). The forwarder tells it about failures, so a pool can take a
 * failing member out without waiting for its health checks.
 */
@FunctionalInterface
public interface Upstreams {

    /**
     * The origin to send {@code request} to, or {@code null} when none can take it now
     * (the client then gets {@code 503} with {@code Retry-After}).
     *
     * @param failed {@code null} on the first attempt; on a retry, the origin that just
     *               failed, which should not be picked again
     */
    URI pick(Request request, URI failed);

    /** An attempt at {@code upstream} failed before a complete answer (see {@link Failures}). */
    default void failed(URI upstream, Throwable failure) {
    }

    /** Always the same origin. */
    static Upstreams fixed(URI origin) {
        return (request, failed) -> failed == null ? origin : null;
    }
}
