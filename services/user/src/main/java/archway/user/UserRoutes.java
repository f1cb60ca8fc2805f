package archway.user;

import archway.platform.auth.Principal;
import archway.platform.auth.TokenVerifier;
import archway.platform.problem.ProblemException;
import archway.platform.server.Bodies;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.UUID;

/**
 * The user service's HTTP endpoints under {@code /api/v1}. Every answer is {@code no-store}:
 * they carry personal data or tokens, which no cache on the way may keep.
 */
public final class UserRoutes {

    private final UserApi users;
    private final TokenVerifier verifier;

    public UserRoutes(UserApi users, TokenVerifier verifier) {
        this.users = users;
        this.verifier = verifier;
    }

    /** Adds the endpoints to a server's routes (pass it to {@code ServiceServer.start}). */
    public void mount(RoutesConfig routes) {
        routes.post("/api/v1/users", this::register);
        routes.post("/api/v1/auth/token", this::issueToken);
        routes.get("/api/v1/users/me", this::me);
        routes.get("/api/v1/users/{id}", this::byId);
    }

    private void register(Context ctx) {
        User user = users.register(Bodies.json(ctx, Registration.class));
        noStore(ctx).status(201).header("Location", "/api/v1/users/" + user.id()).json(user);
    }

    private void issueToken(Context ctx) {
        noStore(ctx).json(users.issueToken(Bodies.json(ctx, Credentials.class)));
    }

    private void me(Context ctx) {
        Principal caller = verifier.verifyAuthorization(ctx.header("Authorization"));
        noStore(ctx).json(users.profile(caller));
    }

    /** An account, for itself or an administrator; to anyone else it does not exist (no probing for ids). */
    private void byId(Context ctx) {
        Principal caller = verifier.verifyAuthorization(ctx.header("Authorization"));
        String id = ctx.pathParam("id");
        if (!caller.isAdmin() && !caller.subject().equals(id)) {
            throw ProblemException.notFound("no account with id " + id);
        }
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("no account with id " + id);
        }
        noStore(ctx).json(users.user(uuid));
    }

    private static Context noStore(Context ctx) {
        return ctx.header("Cache-Control", "no-store");
    }
}
