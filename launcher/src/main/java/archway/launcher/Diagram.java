package archway.launcher;

import java.util.List;

/** The start-up picture: the source document's diagram with the address of every box. */
final class Diagram {

    private Diagram() {
    }

    static String render(ArchwaySystem system, long startMillis) {
        SystemConfig config = system.config();
        List<ArchwaySystem.Instance> instances = system.instances();
        StringBuilder out = new StringBuilder();
        out.append("\nArchway is up: monolith topology, one region, ready in ")
                .append(String.format("%.1f s", startMillis / 1000.0)).append("\n\n");
        out.append("  browser\n");
        out.append("     |\n");
        line(out, "EDGE", system.edgeUrl(), "CDN: storefront from object storage, HTTP cache");
        out.append("     |\n");
        line(out, "GATEWAY", system.gatewayUrl(), "route table, JWT and API keys, rate limits, CORS, cache, circuit breakers");
        out.append("     |\n");
        line(out, "BALANCER", system.balancerUrl(), "P2C on peak EWMA, health checks, outlier ejection, retry budget");
        for (int i = 0; i < instances.size(); i++) {
            ArchwaySystem.Instance instance = instances.get(i);
            String branch = i == instances.size() - 1 ? "     `-- " : "     |-- ";
            out.append(branch).append(String.format("%-8s %-26s pid %d, every service and worker%n",
                    instance.name(), instance.url(), instance.process().pid()));
        }
        out.append("            |\n");
        line(out, "  CACHE", "in each instance", "Caffeine, cache-aside");
        line(out, "  STORE", system.jdbcUrl(), config.externalPostgres().isPresent()
                ? "external PostgreSQL" : "embedded PostgreSQL, data in " + config.runFolder().postgres());
        line(out, "  OBJECTS", config.runFolder().objects().toString(), "buckets: web, images");
        line(out, "  BUS", system.kafkaBootstrap(), config.externalKafka().isPresent()
                ? "external Kafka" : "embedded Kafka (KRaft), data in " + config.runFolder().kafka());
        out.append("            |\n");
        line(out, "  WORKERS", "in each instance", "order saga: reserve stock -> charge -> confirm -> notify");
        line(out, "  PAYMENTS", system.paymentProvider().url(), "simulated external card processor");
        out.append("\n");
        out.append("  services: user, catalog, order, inventory, payment, notification, analytics\n\n");
        line(out, "operations", system.opsUrl(), "/topology /verify /dead-letters /health /ready /metrics");
        line(out, "logs", config.runFolder().logs().toString(), "one file per process");
        out.append(String.format("  %-11s %s (password: ARCHWAY_ADMIN_PASSWORD or %s)%n", "admin", RunFolder.ADMIN_EMAIL,
                config.runFolder().root().resolve("admin-password")));
        out.append("\nOpen ").append(system.edgeUrl()).append("/ in a browser. Ctrl-C stops everything.\n");
        return out.toString();
    }

    private static void line(StringBuilder out, String box, String address, String note) {
        out.append(String.format("  %-11s %-32s %s%n", box, address, note));
    }
}
