package archway.edge;

import archway.platform.server.ServiceServer;
import archway.platform.telemetry.Telemetry;
import io.javalin.http.Context;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A stand-in API origin behind the edge, answering with the caching headers a test needs. */
final class Origin implements AutoCloseable {

    /** Calls that reached the origin, by path. */
    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    /** The headers of the last request, by lower-case name. */
    final Map<String, String> lastHeaders = new ConcurrentHashMap<>();
    private final Telemetry telemetry = Telemetry.create("origin");
    private final ServiceServer server;

    Origin() {
        server = ServiceServer.start(ServiceServer.Config.of("origin", "127.0.0.1", 0), telemetry, () -> true, routes -> {
            routes.get("/api/v1/products/1", ctx -> answer(ctx, "public, max-age=60").header("ETag", "\"p1-v1\""));
            routes.post("/api/v1/products/1", ctx -> answer(ctx, "no-store"));
            routes.get("/api/v1/shared", ctx -> answer(ctx, "max-age=0, s-maxage=30"));
            routes.get("/api/v1/aged", ctx -> answer(ctx, "max-age=60").header("Age", "50"));
            routes.get("/api/v1/private", ctx -> answer(ctx, "private, max-age=60"));
            routes.get("/api/v1/no-store", ctx -> answer(ctx, "no-store"));
            routes.get("/api/v1/no-cache", ctx -> answer(ctx, "no-cache, max-age=60"));
            routes.get("/api/v1/unmarked", ctx -> answer(ctx, null));
            routes.get("/api/v1/cookie", ctx -> answer(ctx, "public, max-age=60").header("Set-Cookie", "session=abc"));
            routes.get("/api/v1/missing", ctx -> answer(ctx, "public, max-age=60").status(404));
            routes.get("/api/v1/by-language", ctx -> answer(ctx, "public, max-age=60")
                    .header("Vary", "Accept-Language").result("in " + ctx.header("Accept-Language")));
            routes.get("/api/v1/big", ctx -> answer(ctx, "public, max-age=60").result("x".repeat(5000)));
            // an origin that encodes for clients that ask, without saying Vary: Accept-Encoding
            routes.get("/api/v1/encoded", ctx -> {
                answer(ctx, "public, max-age=60");
                if (String.valueOf(ctx.header("Accept-Encoding")).contains("x-test")) {
                    ctx.header("Content-Encoding", "x-test").result("encoded");
                }
            });
        });
    }

    private Context answer(Context ctx, String cacheControl) {
        calls.computeIfAbsent(ctx.path(), path -> new AtomicInteger()).incrementAndGet();
        lastHeaders.clear();
        ctx.headerMap().forEach((name, value) -> lastHeaders.put(name.toLowerCase(Locale.ROOT), value));
        if (cacheControl != null) {
            ctx.header("Cache-Control", cacheControl);
        }
        return ctx.result("answer " + calls.get(ctx.path()).get() + " for " + ctx.path());
    }

    int callsTo(String path) {
        AtomicInteger n = calls.get(path);
        return n == null ? 0 : n.get();
    }

    URI url() {
        return URI.create(server.url());
    }

    @Override
    public void close() {
        server.close();
        telemetry.close();
    }
}
