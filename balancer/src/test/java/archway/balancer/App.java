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
    /** Milliseconds every {@code /api/v1/who} waits before answering: the switch that makes an instance slow. */
    final AtomicInteger extraLatencyMs = new AtomicInteger();
    /** The bodies of the {@code POST /api/v1/who} requests, in arrival order. */
    final java.util.Queue<String> postedBodies = new java.util.concurrent.ConcurrentLinkedQueue<>();
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
                pause();
                lastHeaders.clear();
                ctx.headerMap().forEach((key, value) -> lastHeaders.put(key.toLowerCase(java.util.Locale.ROOT), value));
                ctx.result(name);
            });
            routes.post("/api/v1/who", ctx -> {
                calls.incrementAndGet();
                postedBodies.add(ctx.body());
                pause();
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

    private void pause() throws InterruptedException {
        int ms = extraLatencyMs.get();
        if (ms > 0) {
            Thread.sleep(ms);
        }
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
