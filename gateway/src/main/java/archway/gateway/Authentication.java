package archway.gateway;

import archway.gateway.GatewayConfig.Route;
import archway.gateway.keys.ApiKey;
import archway.gateway.keys.ApiKeyAuthenticator;
import archway.platform.auth.Principal;
import archway.platform.auth.TokenVerifier;
import archway.platform.problem.Problem;
import archway.platform.problem.ProblemException;
import archway.platform.tier.Problems;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Finds out who calls, and turns away calls that need a user but have none.
 *
 * <ul>
 *   <li><b>API keys.</b> An {@code X-Api-Key} names a machine client, rate limited by its
 *       plan. An unknown or revoked key is a {@code 401} problem with
 *       {@code WWW-Authenticate: ApiKey realm="archway"} on every route: a client that
 *       presents a key wants to be known by it. The key is not forwarded (services never
 *       need the secret), and it is not a user: a call that needs a user still needs a
 *       Bearer token.</li>
 *   <li><b>Bearer tokens.</b> On a call the route lists as {@code authenticated} or
 *       {@code admin}, a missing or invalid token is a {@code 401} problem, before anything
 *       is forwarded. Elsewhere a valid token names the user (for rate limiting), and an
 *       invalid one is ignored: the call is anonymous, so a stale token a browser still
 *       holds never breaks browsing a public catalogue. The token is forwarded unchanged;
 *       the services check it again.</li>
 * </ul>
 */
final class Authentication extends Handler.Wrapper {

    static final String API_KEY = "X-Api-Key";
    private static final Map<String, String> API_KEY_CHALLENGE = Map.of("WWW-Authenticate", "ApiKey realm=\"archway\"");

    private final TokenVerifier verifier;
    private final ApiKeyAuthenticator apiKeys;
    private final Counter unauthorized;

    Authentication(TokenVerifier verifier, ApiKeyAuthenticator apiKeys, MeterRegistry registry, Handler next) {
        super(next);
        this.verifier = verifier;
        this.apiKeys = apiKeys;
        this.unauthorized = Routing.rejections(registry, "unauthorized");
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Optional<ApiKey> key = Optional.empty();
        String secret = request.getHeaders().get(API_KEY);
        if (secret != null) {
            key = apiKeys.authenticate(secret.strip());
            if (key.isEmpty()) {
                unauthorized.increment();
                Problems.write(response, callback, Problem.of(401, "the API key is unknown or revoked"), API_KEY_CHALLENGE);
                return true;
            }
        }
        Route route = Routing.route(request);
        String authorization = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        Optional<Principal> user;
        if (route.needsUser(request.getMethod(), Request.getPathInContext(request))) {
            try {
                user = Optional.of(verifier.verifyAuthorization(authorization));
            } catch (ProblemException e) {
                unauthorized.increment();
                Problems.write(response, callback, e);
                return true;
            }
        } else {
            user = userIfValid(authorization);
        }
        new Caller(user, key).attachTo(request);
        Request forwarded = key.isEmpty() ? request : FilteredRequest.without(request, field -> field.is(API_KEY));
        return super.handle(forwarded, response, callback);
    }

    private Optional<Principal> userIfValid(String authorization) {
        if (authorization == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(verifier.verifyAuthorization(authorization));
        } catch (ProblemException e) {
            return Optional.empty();
        }
    }
}
