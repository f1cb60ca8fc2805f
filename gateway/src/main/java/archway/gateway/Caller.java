package archway.gateway;

import archway.gateway.keys.ApiKey;
import archway.platform.auth.Principal;
import java.util.Optional;
import org.eclipse.jetty.server.Request;

/**
 * Who is calling, as {@link Authentication} found out, for the handlers after it.
 *
 * @param user the user of a valid Bearer token, if one came
 * @param key  the machine client's API key, if a valid one came (a key is never a user)
 */
record Caller(Optional<Principal> user, Optional<ApiKey> key) {

    private static final String ATTRIBUTE = "archway.gateway.caller";

    static final Caller ANONYMOUS = new Caller(Optional.empty(), Optional.empty());

    /** The caller of a request {@link Authentication} has seen. */
    static Caller of(Request request) {
        return request.getAttribute(ATTRIBUTE) instanceof Caller caller ? caller : ANONYMOUS;
    }

    void attachTo(Request request) {
        request.setAttribute(ATTRIBUTE, this);
    }
}
