package archway.order;

import archway.bus.Event;
import archway.platform.auth.Principal;
import archway.platform.auth.TokenVerifier;
import archway.platform.problem.ProblemException;
import archway.platform.server.Bodies;
import archway.platform.server.PageRequest;
import archway.platform.server.ServiceServer;
import archway.platform.telemetry.Telemetry;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The order service's HTTP endpoints under {@code /api/v1}. Every call needs a Bearer token
 * and sees only the caller's own orders: another user's order is {@code 404}, as if it did
 * not exist, so ids cannot be probed. Answers are {@code no-store}.
 */
public final class OrderRoutes {

    /** The longest {@code Idempotency-Key} accepted. */
    public static final int MAX_KEY_LENGTH = 128;

    private final OrderApi orders;
    private final TokenVerifier verifier;

    public OrderRoutes(OrderApi orders, TokenVerifier verifier) {
        this.orders = orders;
        this.verifier = verifier;
    }

    /** Adds the endpoints to a server's routes (pass it to {@code ServiceServer.start}). */
    public void mount(RoutesConfig routes) {
        routes.post("/api/v1/orders", this::place);
        routes.get("/api/v1/orders", this::list);
        routes.get("/api/v1/orders/{id}", this::order);
    }

    private void place(Context ctx) {
        // the token first: an anonymous caller learns nothing about what else is wrong
        Principal caller = verifier.verifyAuthorization(ctx.header("Authorization"));
        String key = idempotencyKey(ctx.header("Idempotency-Key"));
        OrderRequest request = Bodies.json(ctx, OrderRequest.class);
        OrderApi.Placement placement = orders.place(caller, key, request, traceContext(ctx));
        if (!placement.created()) {
            ctx.header("Idempotent-Replayed", "true");
        }
        noStore(ctx).status(202).header("Location", "/api/v1/orders/" + placement.order().id()).json(placement.order());
    }

    private void list(Context ctx) {
        Principal caller = verifier.verifyAuthorization(ctx.header("Authorization"));
        noStore(ctx).json(orders.orders(caller, PageRequest.parse(ctx.queryParam("page"), ctx.queryParam("size"))));
    }

    private void order(Context ctx) {
        Principal caller = verifier.verifyAuthorization(ctx.header("Authorization"));
        UUID id;
        try {
            id = UUID.fromString(ctx.pathParam("id"));
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("no order with id " + abbreviate(ctx.pathParam("id")));
        }
        noStore(ctx).json(orders.order(caller, id));
    }

    static String idempotencyKey(String key) {
        if (key == null || key.isEmpty()) {
            throw ProblemException.badRequest("the Idempotency-Key header is required: a unique value per order, "
                    + "sent again unchanged when retrying the same order");
        }
        if (key.length() > MAX_KEY_LENGTH) {
            throw ProblemException.badRequest("the Idempotency-Key header must be at most " + MAX_KEY_LENGTH
                    + " characters long, was " + key.length());
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw ProblemException.badRequest("the Idempotency-Key header must be visible ASCII characters only");
            }
        }
        return key;
    }

    /** The request's trace, to continue in the workers that finish the order. */
    private static Map<String, String> traceContext(Context ctx) {
        Map<String, String> headers = new HashMap<>();
        Telemetry.inject(ServiceServer.span(ctx), headers, (carrier, name, value) -> {
            if (name.equals(Event.TRACEPARENT)) {
                carrier.put(name, value);
            }
        });
        return headers;
    }

    private static Context noStore(Context ctx) {
        return ctx.header("Cache-Control", "no-store");
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
