package archway.gateway;

import archway.gateway.GatewayConfig.Route;
import archway.gateway.limits.LimitPolicy;
import archway.gateway.limits.RateDecision;
import archway.gateway.limits.RateLimitHeaders;
import archway.gateway.limits.RateLimiter;
import archway.platform.tier.HeadersAtCommit;
import archway.platform.tier.Problems;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One token bucket per route and caller, through the {@link RateLimiter} port: a machine
 * client by its API key and the key's plan ({@code key:<id>}), else a user by the
 * subject of a valid token and the route's {@code per_user} policy ({@code user:<sub>}),
 * else the {@link ClientAddress} and the route's {@code per_address} policy
 * ({@code addr:<address>}). The bucket key is {@code <route>|<identity>}.
 *
 * <p>Every answer on the route carries {@code RateLimit-Limit}, {@code RateLimit-Remaining}
 * and {@code RateLimit-Reset} (set at commit, so a cached answer never replays another
 * caller's figures); a refusal is a {@code 429} problem with {@code Retry-After}.
 */
final class RateLimiting extends Handler.Wrapper {

    private final RateLimiter limiter;
    private final ClientAddress addresses;
    private final Counter limited;

    RateLimiting(RateLimiter limiter, ClientAddress addresses, MeterRegistry registry, Handler next) {
        super(next);
        this.limiter = limiter;
        this.addresses = addresses;
        this.limited = Routing.rejections(registry, "rate_limited");
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Route route = Routing.route(request);
        Caller caller = Caller.of(request);
        String identity;
        String subject;
        LimitPolicy policy;
        if (caller.key().isPresent()) {
            identity = "key:" + caller.key().get().id();
            subject = "API key " + caller.key().get().id();
            policy = caller.key().get().plan().limit();
        } else if (caller.user().isPresent()) {
            identity = "user:" + caller.user().get().subject();
            subject = "this user on " + route.name();
            policy = route.rateLimit().perUser();
        } else {
            String address = addresses.of(request);
            identity = "addr:" + address;
            subject = "this client address on " + route.name();
            policy = route.rateLimit().perAddress();
        }
        RateDecision decision = limiter.tryConsume(route.name() + "|" + identity, policy);
        if (!decision.allowed()) {
            limited.increment();
            RateDecision refusal = decision.retryAfterSeconds() > 0 ? decision
                    : new RateDecision(false, decision.limit(), decision.remaining(), decision.resetSeconds(), 1);
            Problems.write(response, callback, RateLimitHeaders.tooManyRequests(refusal, policy, subject));
            return true;
        }
        return super.handle(request, new Counted(request, response, decision), callback);
    }

    /** Tells the caller how much of its limit is left. */
    private static final class Counted extends HeadersAtCommit {
        private final RateDecision decision;

        Counted(Request request, Response wrapped, RateDecision decision) {
            super(request, wrapped);
            this.decision = decision;
        }

        @Override
        protected void atCommit(HttpFields.Mutable headers) {
            RateLimitHeaders.write(headers, decision);
        }
    }
}
