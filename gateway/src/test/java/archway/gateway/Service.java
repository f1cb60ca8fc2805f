package archway.gateway;

import archway.platform.server.ServiceServer;
import archway.platform.telemetry.Telemetry;
import io.javalin.http.Context;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A stand-in service behind the gateway that remembers what reached it. */
final class Service implements AutoCloseable {

    final AtomicInteger calls = new AtomicInteger();
    /** The headers of the last request that reached the service, by lower-case name. */
    final Map<String, String> lastHeaders = new ConcurrentHashMap<>();
    /** The status {@code /api/v1/flaky} answers with. */
    final AtomicInteger flakyStatus = new AtomicInteger(500);
    private final Telemetry telemetry = Telemetry.create("service");
    private final ServiceServer server;

    Service() {
        server = ServiceServer.start(ServiceServer.Config.of("service", "127.0.0.1", 0), telemetry, () -> true, routes -> {
            routes.get("/api/v1/users/me", this::echo);
            routes.get("/api/v1/products", ctx -> {
                echo(ctx);
                ctx.header("Cache-Control", "public, max-age=60");
                ctx.header("Link", "</api/v1/products?page=2>; rel=\"next\"");
            });
            routes.get("/api/v1/products/{id}", ctx -> {
                echo(ctx);
                ctx.header("Cache-Control", "public, max-age=60");
            });
            routes.patch("/api/v1/products/{id}", this::echo);
            routes.put("/api/v1/inventory/{id}", this::echo);
            routes.get("/api/v1/orders", this::echo);
            routes.post("/api/v1/uploads", ctx -> {
                echo(ctx);
                ctx.result("received " + ctx.bodyAsBytes().length + " bytes");
            });
            routes.get("/api/v1/varying", ctx -> {
                echo(ctx);
                ctx.header("Vary", "Accept-Encoding");
            });
            routes.get("/api/v1/noisy", ctx -> {
                echo(ctx);
                ctx.header("X-Archway-Instance", "instance-3");
                ctx.header("X-Powered-By", "Javalin");
                ctx.header("Keep-Alive", "timeout=5");
                ctx.header("Proxy-Agent", "squid");
                ctx.header("X-Kept", "yes");
            });
            routes.get("/api/v1/flaky", ctx -> {
                echo(ctx);
                ctx.status(flakyStatus.get());
            });
            routes.get("/api/v1/slow", ctx -> {
                echo(ctx);
                Thread.sleep(1000);
            });
        });
    }

    private void echo(Context ctx) {
        calls.incrementAndGet();
        lastHeaders.clear();
        ctx.headerMap().forEach((name, value) -> lastHeaders.put(name.toLowerCase(Locale.ROOT), value));
        ctx.result("ok");
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
