package archway.lab.load;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;

/**
 * What the open loop sends: one request per scheduled slot, and what to learn from the
 * answers. The loop sets the timeout and measures; a workload only says what to ask.
 */
interface Workload {

    /** The request for the next slot. Called on the scheduling thread only, in slot order. */
    Request next(HttpClient client);

    /** Whether {@link #answered} needs response bodies (they are discarded otherwise). */
    default boolean readsBodies() {
        return false;
    }

    /**
     * A measured request got an answer (any status). Called on the client's threads, so it
     * must be thread-safe and quick; {@code body} is empty unless {@link #readsBodies()}.
     */
    default void answered(Request request, Response response, byte[] body) {
    }
}
