package archway.inventory;

import archway.platform.auth.Principal;
import archway.platform.auth.TokenVerifier;
import archway.platform.problem.ProblemException;
import archway.platform.server.Bodies;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.regex.Pattern;

/**
 * The inventory service's HTTP endpoints under {@code /api/v1}: a product's stock for
 * anyone, and setting it for administrators. Answers are {@code no-store}: stock changes
 * with every order.
 */
public final class InventoryRoutes {

    private static final Pattern ID = Pattern.compile("[1-9][0-9]{0,17}");

    private final InventoryApi inventory;
    private final TokenVerifier verifier;

    public InventoryRoutes(InventoryApi inventory, TokenVerifier verifier) {
        this.inventory = inventory;
        this.verifier = verifier;
    }

    /** The body of {@code PUT /api/v1/inventory/{id}}. */
    record StockChange(int available) {
    }

    /** Adds the endpoints to a server's routes (pass it to {@code ServiceServer.start}). */
    public void mount(RoutesConfig routes) {
        routes.get("/api/v1/inventory/{id}", ctx -> noStore(ctx).json(inventory.stock(id(ctx))));
        routes.put("/api/v1/inventory/{id}", this::set);
    }

    private void set(Context ctx) {
        Principal caller = verifier.verifyAuthorization(ctx.header("Authorization"));
        long id = id(ctx);
        StockChange change = Bodies.json(ctx, StockChange.class);
        noStore(ctx).json(inventory.setAvailable(caller, id, change.available()));
    }

    private static long id(Context ctx) {
        String id = ctx.pathParam("id");
        if (!ID.matcher(id).matches()) {
            throw ProblemException.badRequest("a product id is a positive whole number");
        }
        return Long.parseLong(id);
    }

    private static Context noStore(Context ctx) {
        return ctx.header("Cache-Control", "no-store");
    }
}
