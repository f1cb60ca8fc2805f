package archway.gateway;

import archway.platform.auth.Principal;
import archway.platform.tier.Problems;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Function-level authorization: a call its route lists as {@code admin} needs a user with
 * the {@code admin} role ({@code 403} problem for other users; {@link Authentication} has
 * already answered {@code 401} to callers without a token). Which data a user may see is
 * the services' business, not the gateway's.
 */
final class Authorization extends Handler.Wrapper {

    private final Counter forbidden;

    Authorization(MeterRegistry registry, Handler next) {
        super(next);
        this.forbidden = Routing.rejections(registry, "forbidden");
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        boolean adminCall = Routing.route(request).isAdminCall(request.getMethod(), Request.getPathInContext(request));
        if (adminCall && !Caller.of(request).user().map(Principal::isAdmin).orElse(false)) {
            forbidden.increment();
            Problems.write(response, callback, 403, request.getMethod() + " " + Request.getPathInContext(request)
                    + " needs the admin role");
            return true;
        }
        return super.handle(request, response, callback);
    }
}
