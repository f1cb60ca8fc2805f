package archway.platform.tier;

import java.net.URI;
import org.eclipse.jetty.server.Request;

/**
 * Where a {@link Forwarder} sends each request: one fixed origin (edge), one per route
 * (gateway) or one of a pool (balancer).
 *
 * <p>Every origin {@link #pick picked} is told how its attempt ended, exactly once: either
 * {@link #answered} or {@link #failed}. So a pool can count requests in flight per member,
 * keep a latency average, and take a failing member out without waiting for its health
 * checks; a route can feed its circuit breaker.
 */
@FunctionalInterface
public interface Upstreams {

    /**
     * The origin to send {@code request} to, or {@code null} when none can take it now
     * (the client then gets {@code 503} with {@code Retry-After}). May throw a
     * {@link archway.platform.problem.ProblemException} to answer with that problem
     * instead, such as a {@code 503} of an open circuit with its own {@code Retry-After}.
     *
     * @param failed {@code null} on the first attempt; on a retry, the origin that just
     *               failed, which should not be picked again
     */
    URI pick(Request request, URI failed);

    /**
     * The attempt at {@code upstream} got its whole answer, with {@code status}, {@code nanos}
     * after it was picked (an answer the client then failed to take counts here too: the
     * upstream did its part).
     */
    default void answered(Request request, URI upstream, int status, long nanos) {
    }

    /** The attempt at {@code upstream} failed before a complete answer (see {@link Failures}), {@code nanos} after it was picked. */
    default void failed(Request request, URI upstream, Throwable failure, long nanos) {
    }

    /** Always the same origin. */
    static Upstreams fixed(URI origin) {
        return (request, failed) -> failed == null ? origin : null;
    }
}
