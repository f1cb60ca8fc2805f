package archway.launcher.ops;

import archway.bus.DeadLetter;
import archway.gateway.keys.IssuedApiKey;
import archway.gateway.keys.UsagePlans;
import archway.launcher.ArchwaySystem;
import archway.launcher.Component;
import archway.platform.auth.JwtKeys;
import archway.platform.auth.KeyRing;
import archway.platform.auth.Principal;
import archway.platform.auth.TokenVerifier;
import archway.platform.problem.Problem;
import archway.platform.problem.ProblemException;
import archway.platform.server.Bodies;
import archway.platform.server.ServiceServer;
import archway.platform.telemetry.Telemetry;
import archway.provider.Settings;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/**
 * The operations entry (loopback only): {@code /health}, {@code /ready}, {@code /metrics}
 * of the launcher; {@code /topology}, the live list of every component; {@code /verify}, the
 * business invariants; the dead letters of the bus and their replay; the payment provider's
 * chaos settings; the app instances and their number ({@code PUT /instances} scales them);
 * the access-token key ids and their rotation ({@code /keys}); the gateway's API keys for
 * machine clients ({@code /api-keys}); purges of the HTTP caches ({@code POST /cache/purge}) and
 * the app instances' caches ({@code /caches}). Reading is open to whoever can reach loopback; every change needs an
 * administrator's Bearer token.
 */
public final class OpsServer implements AutoCloseable {

    /** The usage plans an API key can be issued on. */
    private static final UsagePlans PLANS = UsagePlans.defaults();

    private final ServiceServer server;

    private OpsServer(ServiceServer server) {
        this.server = server;
    }

    /**
     * @param keys     the access-token keys of the run, rotated by {@code POST /keys/rotate}
     * @param verifier checks the administrator's token on every change
     */
    public static OpsServer start(String host, int port, ArchwaySystem system, KeyRing keys, TokenVerifier verifier,
                                  Telemetry telemetry) {
        Verifier invariants = new Verifier(system.opsStore());
        ServiceServer server = ServiceServer.start(ServiceServer.Config.of("operations", host, port), telemetry,
                () -> allUp(system.components()),
                routes -> {
                    routes.get("/", ctx -> ctx.json(Map.of(
                            "name", "Archway operations",
                            "endpoints", List.of("/topology", "/instances", "/verify", "/dead-letters", "/payment-provider/settings",
                                    "/keys", "/api-keys", "/cache/purge", "/caches", "/health", "/ready", "/metrics"))));
                    routes.get("/topology", ctx -> ctx.json(new Topology(system.components())));
                    routes.get("/verify", ctx -> ctx.header("Cache-Control", "no-store").json(invariants.verify()));
                    routes.get("/dead-letters", ctx -> ctx.json(new DeadLetters(system.bus().deadLetters())));
                    routes.post("/dead-letters/{id}/replay", ctx -> {
                        requireAdmin(ctx, verifier);
                        String id = ctx.pathParam("id");
                        if (!system.bus().replay(id)) {
                            throw ProblemException.notFound("no dead letter " + id + " waiting for a replay");
                        }
                        ctx.json(Map.of("replayed", id));
                    });
                    routes.get("/instances", ctx -> ctx.json(instances(system)));
                    routes.put("/instances", ctx -> {
                        requireAdmin(ctx, verifier);
                        Scale scale = Bodies.json(ctx, Scale.class);
                        if (scale.count() == null) {
                            throw ProblemException.badRequest("field 'count' is missing: the number of app instances to run");
                        }
                        scale(system, scale.count());
                        ctx.json(instances(system));
                    });
                    routes.get("/payment-provider/settings", ctx -> ctx.json(system.paymentProvider().settings()));
                    routes.put("/payment-provider/settings", ctx -> {
                        requireAdmin(ctx, verifier);
                        Settings settings = Bodies.json(ctx, Settings.class);
                        system.paymentProvider().update(settings);
                        ctx.json(system.paymentProvider().settings());
                    });
                    routes.get("/api-keys", ctx -> ctx.header("Cache-Control", "no-store").json(new ApiKeyViews.Keys(
                            system.apiKeys().list().stream().map(ApiKeyViews.Key::of).toList(),
                            PLANS.all().stream().map(ApiKeyViews.Plan::of).toList())));
                    routes.post("/api-keys", ctx -> {
                        requireAdmin(ctx, verifier);
                        ApiKeyViews.Request request = Bodies.json(ctx, ApiKeyViews.Request.class);
                        IssuedApiKey issued;
                        try {
                            issued = system.apiKeys().create(request.client(), PLANS.named(request.plan()));
                        } catch (IllegalArgumentException e) {
                            throw ProblemException.badRequest(e.getMessage());
                        }
                        ctx.status(201).header("Cache-Control", "no-store").json(ApiKeyViews.Issued.of(issued));
                    });
                    routes.delete("/api-keys/{id}", ctx -> {
                        requireAdmin(ctx, verifier);
                        if (!system.apiKeys().revoke(ctx.pathParam("id"))) {
                            throw ProblemException.notFound("no live API key " + ctx.pathParam("id"));
                        }
                        ctx.status(204);
                    });
                    routes.post("/cache/purge", ctx -> {
                        requireAdmin(ctx, verifier);
                        ctx.header("Cache-Control", "no-store").json(CacheViews.purge(ctx, system));
                    });
                    routes.get("/caches", ctx -> ctx.header("Cache-Control", "no-store")
                            .json(CacheViews.InstanceAnswers.of(system.instanceCaches().stats())));
                    routes.post("/caches/{name}/invalidate", ctx -> {
                        requireAdmin(ctx, verifier);
                        String cache = ctx.pathParam("name");
                        if (!cache.matches("[a-z][a-z0-9.-]{0,60}")) {
                            throw ProblemException.badRequest("a cache name is lower-case letters, digits, '.' and '-'");
                        }
                        CacheViews.InstanceAnswers answers = CacheViews.InstanceAnswers.of(system.instanceCaches()
                                .invalidate(cache, CacheViews.Invalidation.keyOf(ctx)));
                        if (answers.allSaid(404)) {
                            throw ProblemException.notFound("no app instance has a cache named " + cache);
                        }
                        ctx.header("Cache-Control", "no-store").json(answers);
                    });
                    routes.get("/keys", ctx -> ctx.header("Cache-Control", "no-store").json(KeyIds.of(keys.keys())));
                    routes.post("/keys/rotate", ctx -> {
                        requireAdmin(ctx, verifier);
                        ctx.header("Cache-Control", "no-store").json(KeyIds.of(keys.rotate()));
                    });
                });
        return new OpsServer(server);
    }

    record Topology(List<Component> components) {
    }

    record DeadLetters(List<DeadLetter> items) {
    }

    /** Which keys sign and verify access tokens, by kid only: key material never leaves the key file. */
    record KeyIds(String signingKid, List<String> kids) {

        static KeyIds of(JwtKeys keys) {
            return new KeyIds(keys.signingKid(), keys.kids());
        }
    }

    /** The body of {@code PUT /instances}. */
    record Scale(Integer count) {
    }

    record InstanceView(String name, String url, Long pid, String state) {
    }

    record Instances(List<InstanceView> items) {
    }

    private static Instances instances(ArchwaySystem system) {
        return new Instances(system.components().stream()
                .filter(component -> component.role().equals("instance"))
                .map(component -> new InstanceView(component.name(), component.url(), component.pid(), component.state()))
                .toList());
    }

    /**
     * Scales the app instances; requests for a count the system cannot run are the caller's
     * mistake (400), an instance that fails to start is not (500, saying why).
     */
    private static void scale(ArchwaySystem system, int count) {
        try {
            system.scaleInstances(count);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(e.getMessage());
        } catch (IllegalStateException e) {
            throw new ProblemException(Problem.of(500, "scaling to " + count + " app instances failed: " + e.getMessage()));
        }
    }

    private static void requireAdmin(Context ctx, TokenVerifier verifier) {
        Principal caller = verifier.verifyAuthorization(ctx.header("Authorization"));
        if (!caller.isAdmin()) {
            throw ProblemException.forbidden("changing the running system needs an administrator's token");
        }
    }

    private static boolean allUp(List<Component> components) {
        return components.stream().allMatch(c -> c.state().equals("up"));
    }

    public String url() {
        return server.url();
    }

    @Override
    public void close() {
        server.close();
    }
}
