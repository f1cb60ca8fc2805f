package archway.notification;

import archway.platform.auth.TokenVerifier;
import archway.platform.server.PageRequest;
import io.javalin.config.RoutesConfig;

/** The notification service's HTTP endpoint: {@code GET /api/v1/notifications}, the caller's mail, {@code no-store}. */
public final class NotificationRoutes {

    private final NotificationApi notifications;
    private final TokenVerifier verifier;

    public NotificationRoutes(NotificationApi notifications, TokenVerifier verifier) {
        this.notifications = notifications;
        this.verifier = verifier;
    }

    /** Adds the endpoint to a server's routes (pass it to {@code ServiceServer.start}). */
    public void mount(RoutesConfig routes) {
        routes.get("/api/v1/notifications", ctx -> {
            var caller = verifier.verifyAuthorization(ctx.header("Authorization"));
            ctx.header("Cache-Control", "no-store")
                    .json(notifications.notifications(caller, PageRequest.parse(ctx.queryParam("page"), ctx.queryParam("size"))));
        });
    }
}
