package archway.edge;

import archway.platform.server.ServiceServer;
import archway.platform.telemetry.Telemetry;
import io.javalin.http.Context;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** A stand-in API origin behind the edge, answering with the caching headers a test needs. */
final class Origin implements AutoCloseable {

    /** Calls that reached the origin, by path. */
    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    /** The headers of the last request, by lower-case name. */
    final Map<String, String> lastHeaders = new ConcurrentHashMap<>();
    /** The answers of the scripted paths ({@code /api/v1/t/...}), by path. */
    private final Map<String, Script> scripts = new ConcurrentHashMap<>();
    private final Telemetry telemetry = Telemetry.create("origin");
    private final FakeTicker ticker;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ServiceServer server;

    /** What a scripted path answers to its {@code call}-th request (from 1). */
    @FunctionalInterface
    interface Script {
        void answer(Context ctx, int call) throws Exception;
    }

    Origin() {
        this(null);
    }

    /** An origin whose {@code Date} follows {@code ticker}, as the edge's clock does (so ages stay what a test sets). */
    Origin(FakeTicker ticker) {
        this.ticker = ticker;
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
            for (String path : new String[] {"/api/v1/t/*"}) {
                routes.get(path, this::scripted);
                routes.post(path, this::scripted);
                routes.put(path, this::scripted);
                routes.delete(path, this::scripted);
            }
            // an origin that encodes for clients that ask, without saying Vary: Accept-Encoding
            routes.get("/api/v1/encoded", ctx -> {
                answer(ctx, "public, max-age=60");
                if (String.valueOf(ctx.header("Accept-Encoding")).contains("x-test")) {
                    ctx.header("Content-Encoding", "x-test").result("encoded");
                }
            });
        });
    }

    /** Makes {@code path} (under {@code /api/v1/t/}) answer as {@code script} says. */
    void script(String path, Script script) {
        scripts.put(path, script);
    }

    /** The wall-clock time the origin stamps as {@code Date}. */
    Instant now() {
        return ticker == null ? Instant.now() : Instant.now().plusNanos(ticker.read() - FakeTicker.START);
    }

    /** An HTTP date {@code seconds} from {@link #now()}. */
    String date(long seconds) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(now().plusSeconds(seconds).atZone(ZoneOffset.UTC));
    }

    private void scripted(Context ctx) throws Exception {
        Script script = scripts.get(ctx.path());
        if (script == null) {
            ctx.status(404);
            return;
        }
        answer(ctx, null);
        script.answer(ctx, callsTo(ctx.path()));
    }

    private Context answer(Context ctx, String cacheControl) {
        calls.computeIfAbsent(ctx.path(), path -> new AtomicInteger()).incrementAndGet();
        lastHeaders.clear();
        ctx.headerMap().forEach((name, value) -> lastHeaders.put(name.toLowerCase(Locale.ROOT), value));
        ctx.header("Date", date(0));
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

    /** Stops the origin (a test of an unreachable origin calls it early; the second call does nothing). */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            server.close();
            telemetry.close();
        }
    }
}
