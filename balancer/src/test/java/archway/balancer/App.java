package archway.balancer;

import archway.platform.server.ServiceServer;
import archway.platform.telemetry.Telemetry;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A stand-in app instance: Archway's real service server with a few test routes. */
final class App implements AutoCloseable {

    final String name;
    final AtomicInteger calls = new AtomicInteger();
    /** The headers of the last request to {@code /api/v1/who}, by lower-case name. */
    final Map<String, String> lastHeaders = new ConcurrentHashMap<>();
    private final Telemetry telemetry;
    private final ServiceServer server;
    private final URI url;
    private volatile boolean stopped;

    private App(String name) {
        this.name = name;
        this.telemetry = Telemetry.create(name);
        this.server = ServiceServer.start(ServiceServer.Config.of(name, "127.0.0.1", 0), telemetry, () -> true, routes -> {
            routes.get("/api/v1/who", ctx -> {
                calls.incrementAndGet();
                lastHeaders.clear();
                ctx.headerMap().forEach((key, value) -> lastHeaders.put(key.toLowerCase(java.util.Locale.ROOT), value));
                ctx.result(name);
            });
            routes.post("/api/v1/who", ctx -> {
                calls.incrementAndGet();
                ctx.result(name);
            });
            routes.get("/api/v1/slow", ctx -> {
                calls.incrementAndGet();
                Thread.sleep(1000);
                ctx.result(name);
            });
        });
        this.url = URI.create(server.url());
    }

    static App start(String name) {
        return new App(name);
    }

    URI url() {
        return url;
    }

    @Override
    public void close() {
        if (!stopped) {
            stopped = true;
            server.close();
            telemetry.close();
        }
    }
}
