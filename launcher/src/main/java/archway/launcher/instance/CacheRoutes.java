package archway.launcher.instance;

import archway.cache.Cache;
import archway.cache.CacheStats;
import archway.cache.Caches;
import archway.platform.auth.Principal;
import archway.platform.auth.TokenVerifier;
import archway.platform.problem.ProblemException;
import archway.platform.server.Bodies;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;

/**
 * The instance's own cache controls, for the operations side: {@code GET /caches} (each
 * cache's counts) and {@code POST /caches/{name}/invalidate} (one key with
 * {@code {"key": 42}}, everything without a body), administrators only. Not under
 * {@code /api/}, so the gateway - which routes only {@code /api/} to the instances - never
 * lets the public reach them; an operator calls each instance directly.
 *
 * <p>A key is matched as the cache holds it: a JSON number as a product id ({@code Long}), a
 * string as a string. Caches keyed by a query (the pages) can only be invalidated whole.
 */
final class CacheRoutes {

    private final Caches caches;
    private final TokenVerifier verifier;

    CacheRoutes(Caches caches, TokenVerifier verifier) {
        this.caches = caches;
        this.verifier = verifier;
    }

    /** One cache as {@code GET /caches} lists it. */
    record CacheView(String name, long hits, long misses, double hitRatio, long loads, long loadFailures,
                     double loadSeconds, long evictions, long size) {

        static CacheView of(Cache<?, ?> cache) {
            CacheStats s = cache.stats();
            return new CacheView(cache.name(), s.hits(), s.misses(), s.hitRatio(), s.loads(), s.loadFailures(),
                    s.loadNanos() / 1e9, s.evictions(), s.size());
        }
    }

    record CacheList(List<CacheView> items) {
    }

    /** What {@code POST /caches/{name}/invalidate} dropped: one key, or every entry ({@code key} absent). */
    record Invalidated(String cache, Object key) {
    }

    void mount(RoutesConfig routes) {
        routes.get("/caches", this::list);
        routes.post("/caches/{name}/invalidate", this::invalidate);
    }

    private void list(Context ctx) {
        admin(ctx);
        noStore(ctx).json(new CacheList(caches.all().stream().map(CacheView::of).toList()));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void invalidate(Context ctx) {
        admin(ctx);
        String name = ctx.pathParam("name");
        Cache cache = caches.all().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> ProblemException.notFound("no cache named '" + abbreviate(name) + "' in this instance"));
        Object key = ctx.bodyAsBytes().length == 0 ? null : key(Bodies.json(ctx, JsonNode.class));
        if (key == null) {
            cache.invalidateAll();
        } else {
            cache.invalidate(key);
        }
        noStore(ctx).json(new Invalidated(name, key));
    }

    private static Object key(JsonNode body) {
        if (!body.isObject() || body.size() > 1 || (body.size() == 1 && !body.has("key"))) {
            throw ProblemException.badRequest("the body is {\"key\": <number or string>}, or empty to drop every entry");
        }
        JsonNode key = body.get("key");
        if (key == null) {
            return null;
        }
        if (key.isIntegralNumber() && key.canConvertToLong()) {
            return key.asLong();
        }
        if (key.isTextual()) {
            return key.asText();
        }
        throw ProblemException.badRequest("key must be a whole number or a string");
    }

    private Principal admin(Context ctx) {
        Principal caller = verifier.verifyAuthorization(ctx.header("Authorization"));
        if (!caller.isAdmin()) {
            throw ProblemException.forbidden("only an administrator may look at or drop caches");
        }
        return caller;
    }

    private static Context noStore(Context ctx) {
        return ctx.header("Cache-Control", "no-store");
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
