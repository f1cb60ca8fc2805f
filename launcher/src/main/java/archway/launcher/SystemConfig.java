package archway.launcher;

import archway.bus.Subscription;
import archway.cache.CachePlan;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import archway.balancer.Algorithm;

/**
 * How to run the architecture on this machine: where each component listens, how many app
 * instances, and which store. Validated at construction; a port of {@code 0} means "any
 * free port" (what tests use).
 *
 * @param host             the address every component binds
 * @param runFolder        what a run keeps between starts
 * @param instances        the number of app instances (each its own process)
 * @param edgePort         the public entry
 * @param gatewayPort      the API gateway
 * @param balancerPort     the load balancer
 * @param opsPort          the operations entry (always on loopback)
 * @param firstInstancePort the port of app-1; app-N listens on firstInstancePort + N - 1
 * @param postgresPort     the embedded PostgreSQL (ignored with an external one)
 * @param kafkaPort        the embedded Kafka broker's client port (ignored with an external cluster)
 * @param providerPort     the simulated payment provider
 * @param externalPostgres an external PostgreSQL to use instead of the embedded one
 * @param externalKafka    the bootstrap servers of a Kafka cluster to use instead of the embedded broker
 * @param instanceJvmOptions options of each app instance's JVM
 * @param busRetry         how the workers retry a failing event before it goes to the dead-letter topic
 * @param balancerAlgorithm how the balancer picks an app instance for each request
 * @param caching          how each data type is cached in the app instances ({@code --cache})
 */
public record SystemConfig(String host, RunFolder runFolder, int instances, int edgePort, int gatewayPort,
                           int balancerPort, int opsPort, int firstInstancePort, int postgresPort, int kafkaPort,
                           int providerPort, Optional<ExternalPostgres> externalPostgres, Optional<String> externalKafka,
                           List<String> instanceJvmOptions, Subscription.Retry busRetry, Algorithm balancerAlgorithm,
                           CachePlan caching) {

    /** With every data type cached as it is built for. */
    public SystemConfig(String host, RunFolder runFolder, int instances, int edgePort, int gatewayPort,
                        int balancerPort, int opsPort, int firstInstancePort, int postgresPort, int kafkaPort,
                        int providerPort, Optional<ExternalPostgres> externalPostgres, Optional<String> externalKafka,
                        List<String> instanceJvmOptions, Subscription.Retry busRetry, Algorithm balancerAlgorithm) {
        this(host, runFolder, instances, edgePort, gatewayPort, balancerPort, opsPort, firstInstancePort, postgresPort,
                kafkaPort, providerPort, externalPostgres, externalKafka, instanceJvmOptions, busRetry, balancerAlgorithm,
                CachePlan.defaults());
    }

    /**
     * Power of two choices on peak-EWMA latency: of the three, the one that moves traffic
     * away from a slow instance soonest (docs/decisions/0007-balancer-algorithms.md).
     */
    public static final Algorithm DEFAULT_BALANCER_ALGORITHM = Algorithm.PEAK_EWMA;

    /** A PostgreSQL server Archway does not start: its JDBC URL and credentials. */
    public record ExternalPostgres(String jdbcUrl, String user, String password) {
        public ExternalPostgres {
            if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql://")) {
                throw new IllegalArgumentException("--postgres-url must be a jdbc:postgresql:// URL, was " + jdbcUrl);
            }
        }
    }

    /** Where the operations entry always listens. */
    public static final String LOOPBACK = "127.0.0.1";

    public static final List<String> DEFAULT_INSTANCE_JVM_OPTIONS =
            List.of("-Xms64m", "-Xmx256m", "-XX:+UseSerialGC", "-Xss512k");

    public SystemConfig {
        if (instances < 1 || instances > 16) {
            throw new IllegalArgumentException("--instances must be 1-16, was " + instances);
        }
        for (Map.Entry<String, Integer> port : namedPorts(edgePort, gatewayPort, balancerPort, opsPort, firstInstancePort,
                postgresPort, kafkaPort, providerPort).entrySet()) {
            if (port.getValue() < 0 || port.getValue() > 65535) {
                throw new IllegalArgumentException(port.getKey() + " must be 0-65535, was " + port.getValue());
            }
        }
        if (externalKafka.isPresent() && !externalKafka.get().matches("[^\\s,]+:[0-9]{1,5}(,[^\\s,]+:[0-9]{1,5})*")) {
            throw new IllegalArgumentException("--kafka-bootstrap must be host:port[,host:port...], was " + externalKafka.get());
        }
        instanceJvmOptions = List.copyOf(instanceJvmOptions);
        if (balancerAlgorithm == null) {
            throw new IllegalArgumentException("the balancer's algorithm must be set, was null");
        }
        if (busRetry == null) {
            throw new IllegalArgumentException("busRetry must be set");
        }
        if (caching == null) {
            throw new IllegalArgumentException("the cache plan must be set, was null");
        }
    }

    /** The defaults of {@code ./archway up}: the documented ports on loopback, two instances. */
    public static SystemConfig defaults(Path runFolder) {
        return new SystemConfig("127.0.0.1", new RunFolder(runFolder), 2, 8080, 8081, 8082, 8089, 8091, 54329, 29092, 8099,
                Optional.empty(), Optional.empty(), DEFAULT_INSTANCE_JVM_OPTIONS, Subscription.Retry.DEFAULT,
                DEFAULT_BALANCER_ALGORITHM);
    }

    /** Every component on a free port: for tests, and for running beside another Archway. */
    public static SystemConfig ephemeral(Path runFolder, int instances) {
        return new SystemConfig("127.0.0.1", new RunFolder(runFolder), instances, 0, 0, 0, 0, 0, 0, 0, 0,
                Optional.empty(), Optional.empty(), DEFAULT_INSTANCE_JVM_OPTIONS, Subscription.Retry.DEFAULT,
                DEFAULT_BALANCER_ALGORITHM);
    }

    public SystemConfig withExternalPostgres(ExternalPostgres postgres) {
        return new SystemConfig(host, runFolder, instances, edgePort, gatewayPort, balancerPort, opsPort,
                firstInstancePort, postgresPort, kafkaPort, providerPort, Optional.of(postgres), externalKafka, instanceJvmOptions, busRetry,
                balancerAlgorithm, caching);
    }

    public SystemConfig withExternalKafka(String bootstrapServers) {
        return new SystemConfig(host, runFolder, instances, edgePort, gatewayPort, balancerPort, opsPort,
                firstInstancePort, postgresPort, kafkaPort, providerPort, externalPostgres, Optional.of(bootstrapServers),
                instanceJvmOptions, busRetry, balancerAlgorithm, caching);
    }

    public SystemConfig withBusRetry(Subscription.Retry retry) {
        return new SystemConfig(host, runFolder, instances, edgePort, gatewayPort, balancerPort, opsPort,
                firstInstancePort, postgresPort, kafkaPort, providerPort, externalPostgres, externalKafka, instanceJvmOptions,
                retry, balancerAlgorithm, caching);
    }

    public SystemConfig withCaching(CachePlan plan) {
        return new SystemConfig(host, runFolder, instances, edgePort, gatewayPort, balancerPort, opsPort,
                firstInstancePort, postgresPort, kafkaPort, providerPort, externalPostgres, externalKafka, instanceJvmOptions,
                busRetry, balancerAlgorithm, plan);
    }

    /** The ports this configuration asks for, by the component that needs them (0 = any). */
    Map<String, Integer> requestedPorts() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("edge", edgePort);
        ports.put("gateway", gatewayPort);
        ports.put("balancer", balancerPort);
        ports.put("operations", opsPort);
        for (int i = 1; i <= instances; i++) {
            ports.put(instanceName(i), firstInstancePort == 0 ? 0 : firstInstancePort + i - 1);
        }
        if (externalPostgres.isEmpty()) {
            ports.put("postgres", postgresPort);
        }
        if (externalKafka.isEmpty()) {
            ports.put("kafka", kafkaPort);
        }
        ports.put("payment-provider", providerPort);
        return ports;
    }

    public static String instanceName(int index) {
        return "app-" + index;
    }

    private static Map<String, Integer> namedPorts(int edge, int gateway, int balancer, int ops, int instance, int postgres,
                                                   int kafka, int provider) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("--edge-port", edge);
        ports.put("--gateway-port", gateway);
        ports.put("--balancer-port", balancer);
        ports.put("--ops-port", ops);
        ports.put("--instance-port", instance);
        ports.put("--postgres-port", postgres);
        ports.put("--kafka-port", kafka);
        ports.put("--provider-port", provider);
        return ports;
    }

    static List<String> busy(Map<String, Integer> ports, String host) {
        List<String> taken = new ArrayList<>();
        ports.forEach((component, port) -> {
            String address = component.equals("operations") ? LOOPBACK : host;
            if (port != 0 && !archway.platform.net.Ports.canBind(address, port)) {
                taken.add("port " + port + " (" + component + ") is already in use");
            }
        });
        return taken;
    }
}
