package archway.launcher.ops;

import archway.launcher.ArchwaySystem;
import archway.launcher.Component;
import archway.platform.server.ServiceServer;
import archway.platform.telemetry.Telemetry;
import java.util.List;
import java.util.Map;

/**
 * The operations entry (loopback only): {@code /health}, {@code /ready}, {@code /metrics}
 * of the launcher and {@code /topology}, the live list of every component. Later storeys add
 * the console, {@code /verify}, chaos and drills here.
 */
public final class OpsServer implements AutoCloseable {

    private final ServiceServer server;

    private OpsServer(ServiceServer server) {
        this.server = server;
    }

    public static OpsServer start(String host, int port, ArchwaySystem system, Telemetry telemetry) {
        ServiceServer server = ServiceServer.start(ServiceServer.Config.of("operations", host, port), telemetry,
                () -> allUp(system.components()),
                routes -> {
                    routes.get("/", ctx -> ctx.json(Map.of(
                            "name", "Archway operations",
                            "endpoints", List.of("/topology", "/health", "/ready", "/metrics"))));
                    routes.get("/topology", ctx -> ctx.json(new Topology(system.components())));
                });
        return new OpsServer(server);
    }

    record Topology(List<Component> components) {
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
