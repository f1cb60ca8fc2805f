package archway.launcher;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./archway up}: the whole architecture on this machine, until Ctrl-C or SIGTERM. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Start the whole architecture on this machine (monolith topology, one region).")
final class UpCommand implements java.util.concurrent.Callable<Integer> {

    @Option(names = "--run-dir", description = "Folder for data, logs and keys (default: ${DEFAULT-VALUE}).", defaultValue = "var")
    Path runDir;

    @Option(names = "--instances", description = "App instances, each its own process (default: ${DEFAULT-VALUE}).", defaultValue = "2")
    int instances;

    @Option(names = "--host", description = "Address every component binds (default: ${DEFAULT-VALUE}).", defaultValue = "127.0.0.1")
    String host;

    @Option(names = "--edge-port", defaultValue = "8080", description = "Public entry (default: ${DEFAULT-VALUE}).")
    int edgePort;

    @Option(names = "--gateway-port", defaultValue = "8081", description = "API gateway (default: ${DEFAULT-VALUE}).")
    int gatewayPort;

    @Option(names = "--balancer-port", defaultValue = "8082", description = "Load balancer (default: ${DEFAULT-VALUE}).")
    int balancerPort;

    @Option(names = "--ops-port", defaultValue = "8089", description = "Operations entry, loopback only (default: ${DEFAULT-VALUE}).")
    int opsPort;

    @Option(names = "--instance-port", defaultValue = "8091", description = "Port of app-1; app-N uses the next ones (default: ${DEFAULT-VALUE}).")
    int instancePort;

    @Option(names = "--postgres-port", defaultValue = "54329", description = "Embedded PostgreSQL (default: ${DEFAULT-VALUE}).")
    int postgresPort;

    @Option(names = "--kafka-port", defaultValue = "29092", description = "Embedded Kafka broker (default: ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(names = "--provider-port", defaultValue = "8099", description = "Simulated payment provider (default: ${DEFAULT-VALUE}).")
    int providerPort;

    @Option(names = "--balancer-algorithm", defaultValue = "PEAK_EWMA",
            description = "How the balancer picks an instance: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    archway.balancer.Algorithm balancerAlgorithm;

    @Option(names = "--kafka-bootstrap", description = "Use this Kafka cluster (host:port[,host:port]) instead of the embedded broker.")
    String kafkaBootstrap;

    @Option(names = "--postgres-url", description = "Use this PostgreSQL (jdbc:postgresql://host:port/db) instead of the embedded one.")
    String postgresUrl;

    @Option(names = "--postgres-user", defaultValue = "postgres", description = "User for --postgres-url (password: ARCHWAY_POSTGRES_PASSWORD).")
    String postgresUser;

    @Option(names = "--cache", paramLabel = "SETTING",
            description = "How a data type is cached, repeatable: TYPE=STRATEGY (cache-aside, write-through, write-behind "
                    + "or off) or TYPE.PROPERTY=VALUE (size, ttl, negative-ttl, refresh, flush), such as "
                    + "catalog.products=off or catalog.views.flush=500ms. Types: catalog.products, catalog.pages, "
                    + "catalog.cursor-pages, catalog.categories, inventory.stock, catalog.views.")
    java.util.List<String> cache = new java.util.ArrayList<>();

    @Override
    public Integer call() {
        PrintStream out = System.out;
        SystemConfig config;
        try {
            config = new SystemConfig(host, new RunFolder(runDir), instances, edgePort, gatewayPort, balancerPort, opsPort,
                    instancePort, postgresPort, kafkaPort, providerPort, Optional.empty(), Optional.empty(),
                    SystemConfig.DEFAULT_INSTANCE_JVM_OPTIONS, archway.bus.Subscription.Retry.DEFAULT, balancerAlgorithm,
                    archway.cache.CachePlan.parse(cache));
            if (kafkaBootstrap != null) {
                config = config.withExternalKafka(kafkaBootstrap);
            }
            if (postgresUrl != null) {
                config = config.withExternalPostgres(new SystemConfig.ExternalPostgres(postgresUrl, postgresUser,
                        System.getenv().getOrDefault("ARCHWAY_POSTGRES_PASSWORD", "")));
            }
        } catch (IllegalArgumentException e) {
            System.err.println("archway: " + e.getMessage());
            return 2;
        }
        long startedAt = System.nanoTime();
        out.println("archway: starting (run folder " + config.runFolder().root() + ") ...");
        ArchwaySystem system;
        try {
            system = ArchwaySystem.start(config);
        } catch (RuntimeException e) {
            System.err.println("archway: could not start: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("\narchway: stopping ...");
            system.close();
            out.println("archway: stopped; nothing left running.");
            stopped.countDown();
        }, "archway-shutdown"));
        out.print(Diagram.render(system, (System.nanoTime() - startedAt) / 1_000_000));
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
