package archway.launcher;

import archway.balancer.Balancer;
import archway.bus.kafka.EmbeddedKafka;
import archway.bus.kafka.KafkaBus;
import archway.balancer.BalancerConfig;
import archway.balancer.InstanceState;
import archway.edge.Edge;
import archway.edge.EdgeConfig;
import archway.gateway.Gateway;
import archway.gateway.GatewayConfig;
import archway.gateway.keys.ApiKeys;
import archway.gateway.keys.PostgresApiKeyStore;
import archway.gateway.limits.Bucket4jRateLimiter;
import archway.catalog.CatalogEvents;
import archway.inventory.StockEvents;
import archway.launcher.instance.InstanceCommand;
import archway.launcher.ops.OpsServer;
import archway.launcher.process.ChildProcess;
import archway.objects.local.LocalFolderObjectStore;
import archway.platform.auth.JwtKeys;
import archway.platform.auth.KeyRing;
import archway.platform.auth.Principal;
import archway.platform.auth.TokenIssuer;
import archway.platform.auth.TokenVerifier;
import archway.platform.net.Ports;
import archway.platform.telemetry.LogFile;
import archway.platform.telemetry.Telemetry;
import archway.order.OrderEvents;
import archway.provider.PaymentProvider;
import archway.store.StoreConfig;
import archway.store.embedded.EmbeddedPostgres;
import archway.store.postgres.PostgresStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole single-region architecture running on this machine, started in dependency
 * order (store, bus, payment provider, instances, balancer, gateway, edge, operations) and
 * stopped in reverse.
 *
 * <p>Processes: the app instances are child JVMs, so each can be killed alone; PostgreSQL
 * and the Kafka broker are child processes too. The edge, gateway, balancer and the
 * simulated payment provider run in the launcher's JVM, each on its own port behind a real
 * HTTP hop: they hold no state worth isolating (the provider's ledger is in PostgreSQL), and
 * sharing one JVM keeps the default run small (see docs/decisions/0002-process-layout.md).
 */
public final class ArchwaySystem implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ArchwaySystem.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    /** Connections the embedded PostgreSQL takes (its max_connections), less a few for the operations side. */
    private static final int STORE_CONNECTIONS = 280;
    /** Service schemas each instance keeps a connection pool for. */
    private static final int SCHEMAS_PER_INSTANCE = 7;
    /** Partitions of each saga topic: the most instances that can share one consumer group's work. */
    private static final int PARTITIONS = 8;
    /** Connections per schema an instance gets at most: what a busy schema (orders) uses on two cores. */
    private static final int MAX_POOL = 8;
    /** Connections per schema below which an instance would queue for the store on every request. */
    private static final int MIN_POOL = 2;
    /** How long a new instance may take to pass the balancer's health checks once it answers {@code /ready}. */
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(30);
    /** How long the balancer may take to drain an instance that is being scaled in. */
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);

    private final SystemConfig config;
    private final List<AutoCloseable> started = new CopyOnWriteArrayList<>();
    private final List<Instance> instances = new CopyOnWriteArrayList<>();
    /** Instances out of the balancer's pool that are finishing their requests before they stop. */
    private final Set<URI> draining = ConcurrentHashMap.newKeySet();
    private EmbeddedPostgres embeddedPostgres;
    private String jdbcUrl;
    private String dbUser;
    private String dbPassword;
    private String adminPassword;
    private volatile EmbeddedKafka embeddedKafka;
    private String kafkaBootstrap;
    private KafkaBus bus;
    private PostgresStore opsStore;
    private PaymentProvider provider;
    private Balancer balancer;
    private Gateway gateway;
    private ApiKeys apiKeys;
    private Edge edge;
    private InstanceCaches instanceCaches;
    private OpsServer ops;

    /**
     * One app instance process, where it listens, and the PostgreSQL connections it may hold
     * for each service schema (its share of the store's connection budget).
     */
    public record Instance(String name, URI url, ChildProcess process, int poolSize) {
    }

    private ArchwaySystem(SystemConfig config) {
        this.config = config;
    }

    /** Starts everything and returns once every component is ready, or throws and leaves nothing running. */
    public static ArchwaySystem start(SystemConfig config) {
        List<String> busy = SystemConfig.busy(config.requestedPorts(), config.host());
        if (!busy.isEmpty()) {
            throw new IllegalStateException(String.join("; ", busy)
                    + ". Stop whatever holds it, or choose other ports (./archway up --help).");
        }
        ArchwaySystem system = new ArchwaySystem(config);
        try {
            system.startAll();
            return system;
        } catch (RuntimeException | Error e) {
            system.close();
            throw e;
        }
    }

    private void startAll() {
        RunFolder run = config.runFolder();
        LogFile.redirectTo(run.logs().resolve("launcher.log"));
        if (config.externalPostgres().isPresent()) {
            SystemConfig.ExternalPostgres external = config.externalPostgres().get();
            jdbcUrl = external.jdbcUrl();
            dbUser = external.user();
            dbPassword = external.password();
        } else {
            embeddedPostgres = EmbeddedPostgres.start(
                    new EmbeddedPostgres.Settings(run.postgres(), run.postgresBinaries(), config.postgresPort()));
            started.add(embeddedPostgres);
            jdbcUrl = embeddedPostgres.jdbcUrl();
            dbUser = embeddedPostgres.user();
            dbPassword = embeddedPostgres.password();
        }

        opsStore = PostgresStore.open(new StoreConfig(jdbcUrl, dbUser, dbPassword == null ? "" : dbPassword, 2),
                telemetry("operations-store").registry());
        started.add(opsStore);
        startBus();

        provider = PaymentProvider.start(PaymentProvider.Config.of(config.host(), config.providerPort()), opsStore,
                telemetry(PaymentProvider.ROLE));
        started.add(provider);

        JwtKeys.loadOrCreate(run.keys());
        KeyRing keys = KeyRing.watch(run.keys());
        started.add(keys);
        adminPassword = run.adminPassword(System.getenv("ARCHWAY_ADMIN_PASSWORD"));
        LocalFolderObjectStore objects = new LocalFolderObjectStore(run.objects());
        WebAssets.publish(objects);

        for (int i = 1; i <= config.instances(); i++) {
            instances.add(startInstance(i, configuredPort(i), poolSize()));
        }
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
            for (Instance instance : instances) {
                awaitReady(instance, http);
            }
        }

        Telemetry balancerTelemetry = telemetry("balancer");
        balancer = Balancer.start(BalancerConfig.of(config.host(), config.balancerPort(),
                instances.stream().map(Instance::url).toList()).withAlgorithm(config.balancerAlgorithm()), balancerTelemetry);
        started.add(balancer);

        Telemetry gatewayTelemetry = telemetry("gateway");
        // machine clients' keys, kept in the gateway's own schema and held in memory for the hot path
        apiKeys = new ApiKeys(PostgresApiKeyStore.in(opsStore));
        started.add(apiKeys);
        TokenVerifier verifier = new TokenVerifier(keys, Clock.systemUTC());
        gateway = Gateway.start(GatewayConfig.of(config.host(), config.gatewayPort(), URI.create(balancer.url()))
                        .withAllowedOrigins(corsOrigins()),
                verifier, apiKeys, new Bucket4jRateLimiter(),
                gatewayTelemetry);
        started.add(gateway);

        Telemetry edgeTelemetry = telemetry("edge");
        edge = Edge.start(EdgeConfig.of(config.host(), config.edgePort(), URI.create(gateway.url())), objects, edgeTelemetry);
        started.add(edge);
        startCatalogChanges(keys);

        // loopback only, whatever --host says: the operations entry can stop and break things
        ops = OpsServer.start(SystemConfig.LOOPBACK, config.opsPort(), this, keys, verifier, telemetry("operations"));
        started.add(ops);
    }

    /**
     * The browser origins allowed to call the API across origins: the storefront's own
     * (the edge's address, as localhost and 127.0.0.1) and any listed in
     * {@code ARCHWAY_CORS_ORIGINS} (comma-separated), such as a front end under development.
     */
    private List<String> corsOrigins() {
        List<String> origins = new ArrayList<>();
        if (config.edgePort() != 0) {
            origins.add("http://localhost:" + config.edgePort());
            origins.add("http://127.0.0.1:" + config.edgePort());
        }
        String extra = System.getenv("ARCHWAY_CORS_ORIGINS");
        if (extra != null) {
            for (String origin : extra.split(",")) {
                if (!origin.isBlank()) {
                    origins.add(origin.strip());
                }
            }
        }
        return origins;
    }

    private Telemetry telemetry(String component) {
        Telemetry telemetry = Telemetry.create(component);
        started.add(telemetry);
        return telemetry;
    }

    /**
     * The operations side's member of the catalog's topic: a product change reaches every
     * instance's application caches, then the gateway's and the edge's HTTP caches.
     */
    private void startCatalogChanges(KeyRing keys) {
        TokenIssuer issuer = new TokenIssuer(keys, Clock.systemUTC(), Duration.ofMinutes(5));
        Principal operations = new Principal("operations", RunFolder.ADMIN_EMAIL, Set.of(Principal.ADMIN));
        instanceCaches = new InstanceCaches(this::instances, () -> issuer.issue(operations));
        started.add(instanceCaches);
        CatalogChanges changes = new CatalogChanges(instanceCaches, List.of(gateway::purgeTag, edge::purgeTag));
        started.add(bus.subscribe(changes.subscription()));
    }

    /** The embedded broker (or the external cluster), the saga's topics, and the operations side's bus client. */
    private void startBus() {
        if (config.externalKafka().isPresent()) {
            kafkaBootstrap = config.externalKafka().get();
        } else {
            embeddedKafka = EmbeddedKafka.start(new EmbeddedKafka.Settings(config.runFolder().kafka(), config.kafkaPort()));
            started.add(() -> embeddedKafka.close());
            kafkaBootstrap = embeddedKafka.bootstrapServers();
        }
        bus = KafkaBus.connect(KafkaBus.Config.of(kafkaBootstrap, "operations").withRegistry(telemetry("operations-bus").registry()));
        started.add(bus);
        bus.createTopics(Map.of(OrderEvents.TOPIC, PARTITIONS, OrderEvents.INVENTORY_TOPIC, PARTITIONS,
                OrderEvents.PAYMENTS_TOPIC, PARTITIONS, CatalogEvents.TOPIC, PARTITIONS, StockEvents.TOPIC, PARTITIONS));
    }

    /** app-N's port: the one after app-(N-1)'s, or any free one when the configuration says 0. */
    private int configuredPort(int index) {
        return config.firstInstancePort() == 0 ? Ports.free() : config.firstInstancePort() + index - 1;
    }

    private Instance startInstance(int index, int port, int poolSize) {
        String name = SystemConfig.instanceName(index);
        List<String> args = new ArrayList<>(List.of(InstanceCommand.NAME,
                "--name", name,
                "--host", config.host(),
                "--port", Integer.toString(port),
                "--run-dir", config.runFolder().root().toString(),
                "--postgres-url", jdbcUrl,
                "--postgres-user", dbUser,
                "--kafka-bootstrap", kafkaBootstrap,
                "--payment-provider", provider.url(),
                "--retry-attempts", Integer.toString(config.busRetry().maxAttempts()),
                "--retry-initial-ms", Long.toString(config.busRetry().initialBackoff().toMillis()),
                "--retry-max-ms", Long.toString(config.busRetry().maxBackoff().toMillis()),
                "--pool-size", Integer.toString(poolSize)));
        for (String setting : config.caching().settings()) {
            args.add("--cache");
            args.add(setting);
        }
        Map<String, String> environment = Map.of(
                "ARCHWAY_POSTGRES_PASSWORD", dbPassword == null ? "" : dbPassword,
                "ARCHWAY_ADMIN_PASSWORD", adminPassword,
                // glibc gives each thread that allocates its own 64 MB arena; two are plenty here
                "MALLOC_ARENA_MAX", "2");
        Path log = config.runFolder().logs().resolve(name + ".log");
        List<String> jvmOptions = new ArrayList<>(config.instanceJvmOptions());
        String accessLevel = System.getProperty("archway.access.level");
        if (accessLevel != null) {
            jvmOptions.add("-Darchway.access.level=" + accessLevel);
        }
        if (classPathIsJarsOnly()) {
            // class-data sharing: the first run of an instance writes an archive of the classes
            // it loaded, later starts map it instead of loading and verifying them again (the
            // JVM archives classes from jars only, so not when run from build folders)
            jvmOptions.add("-XX:+AutoCreateSharedArchive");
            jvmOptions.add("-XX:SharedArchiveFile=" + config.runFolder().classData().resolve(name + ".jsa"));
            // an archive left by another build is replaced silently rather than warned about
            jvmOptions.add("-Xlog:cds=off");
            jvmOptions.add("-Xlog:cds+dynamic=off");
        }
        ChildProcess process = ChildProcess.startJava(name, jvmOptions, Main.class.getName(), args, environment, log);
        started.add(process);
        return new Instance(name, URI.create("http://" + config.host() + ":" + port), process, poolSize);
    }

    /**
     * Connections per service schema of each instance started with the system: {@value #MAX_POOL},
     * unless that many instances would together hold more than PostgreSQL takes.
     */
    private int poolSize() {
        return Math.max(MIN_POOL, Math.min(MAX_POOL, STORE_CONNECTIONS / (SCHEMAS_PER_INSTANCE * config.instances())));
    }

    /**
     * Adds or removes app instances until {@code count} run, while traffic flows, and returns
     * them. Scaling out starts the next instances, waits until each is ready, adds it to the
     * balancer and waits until the balancer has it {@code up}; if any of them fails, the ones
     * started for this call are stopped again and nothing changes. Scaling in takes the
     * highest-numbered instances first: the balancer drains each (no new requests, those under
     * way finish), then its process is stopped ({@code SIGTERM}: its server drains too and its
     * workers leave their consumer groups, whose partitions move to the others).
     *
     * @throws IllegalArgumentException when {@code count} is not 1-{@value #PARTITIONS}, or a new
     *                                  instance would get fewer than {@value #MIN_POOL} store
     *                                  connections per schema
     */
    public synchronized List<Instance> scaleInstances(int count) {
        if (count < 1 || count > PARTITIONS) {
            throw new IllegalArgumentException("app instances must be 1-" + PARTITIONS + ", was " + count
                    + ": each saga topic has " + PARTITIONS + " partitions, and more instances than that cannot share"
                    + " a consumer group's work");
        }
        if (count > instances.size()) {
            scaleOut(count);
        }
        while (instances.size() > count) {
            retire(instances.getLast());
        }
        return instances();
    }

    private void scaleOut(int count) {
        List<Integer> pools = newPoolSizes(count);
        List<Instance> joining = new ArrayList<>();
        try {
            for (int pool : pools) {
                int index = instances.size() + joining.size() + 1;
                joining.add(startInstance(index, scaledPort(index), pool));
            }
            try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
                for (Instance instance : joining) {
                    awaitReady(instance, http);
                }
            }
            for (Instance instance : joining) {
                balancer.add(instance.url());
            }
            for (Instance instance : joining) {
                awaitUp(instance);
            }
        } catch (RuntimeException e) {
            for (Instance instance : joining) {
                if (balancer.remove(instance.url())) {
                    LOG.warn("{} left the balancer again: scaling to {} failed", instance.name(), count);
                }
                instance.process().close();
                started.remove(instance.process());
            }
            throw e;
        }
        instances.addAll(joining);
        LOG.info("scaled out to {} app instances", instances.size());
    }

    /**
     * The pool size of each instance scaling out to {@code count} would start: {@value #MAX_POOL}
     * per schema, or what is left of the store's connections once the running instances'
     * pools are counted.
     */
    private List<Integer> newPoolSizes(int count) {
        int held = instances.stream().mapToInt(instance -> instance.poolSize() * SCHEMAS_PER_INSTANCE).sum();
        int remaining = STORE_CONNECTIONS - held;
        List<Integer> pools = new ArrayList<>();
        for (int index = instances.size() + 1; index <= count; index++) {
            int pool = Math.min(MAX_POOL, remaining / SCHEMAS_PER_INSTANCE);
            if (pool < MIN_POOL) {
                throw new IllegalArgumentException("cannot scale to " + count + " app instances: the " + (index - 1)
                        + " before " + SystemConfig.instanceName(index) + " would hold " + (STORE_CONNECTIONS - remaining)
                        + " of PostgreSQL's " + STORE_CONNECTIONS + " connections, leaving it " + pool
                        + " per service schema (" + MIN_POOL + " at least); the most now is " + (index - 1)
                        + " (./archway up --instances N gives each instance a smaller share)");
            }
            pools.add(pool);
            remaining -= pool * SCHEMAS_PER_INSTANCE;
        }
        return pools;
    }

    /**
     * A new instance's port: the configured one after app-(N-1)'s when it is free, otherwise
     * (another component took it, such as the payment provider's right after the default
     * instance ports) any free one.
     */
    private int scaledPort(int index) {
        int port = configuredPort(index);
        if (!Ports.canBind(config.host(), port)) {
            int free = Ports.free();
            LOG.info("{}'s port {} is taken; it listens on {}", SystemConfig.instanceName(index), port, free);
            return free;
        }
        return port;
    }

    /** Waits until the balancer's health checks have taken a new instance into the pool. */
    private void awaitUp(Instance instance) {
        long deadline = System.nanoTime() + JOIN_TIMEOUT.toNanos();
        while (!instanceState(instance).equals(InstanceState.UP)) {
            if (!instance.process().isAlive()) {
                throw new IllegalStateException(instance.name() + " exited before the balancer took it in" + tail(instance.name()));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the balancer did not take " + instance.name() + " in within "
                        + JOIN_TIMEOUT.toSeconds() + " s; it is " + instanceState(instance));
            }
            sleep(100);
        }
    }

    /** Drains an instance out of the balancer, then stops its process: no request it had is lost. */
    private void retire(Instance instance) {
        draining.add(instance.url());
        try {
            balancer.drain(instance.url()).get(DRAIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("{} still had requests under way after {} s; stopping it anyway", instance.name(), DRAIN_TIMEOUT.toSeconds());
        } catch (ExecutionException e) {
            LOG.warn("draining {} failed ({}); stopping it anyway", instance.name(), e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            draining.remove(instance.url());
            throw new IllegalStateException("interrupted while draining " + instance.name(), e);
        }
        instance.process().close();
        started.remove(instance.process());
        instances.remove(instance);
        draining.remove(instance.url());
        LOG.info("scaled in: {} stopped, {} app instances left", instance.name(), instances.size());
    }

    /**
     * Starts a dead (killed or crashed) app instance again on its address and waits until it
     * is ready; the balancer's health checks take it back into the pool.
     */
    public synchronized Instance restartInstance(String name) {
        int index = -1;
        for (int i = 0; i < instances.size(); i++) {
            if (instances.get(i).name().equals(name)) {
                index = i;
            }
        }
        if (index < 0) {
            throw new IllegalArgumentException("no instance named " + name);
        }
        Instance old = instances.get(index);
        if (old.process().isAlive()) {
            throw new IllegalStateException(name + " is running (pid " + old.process().pid() + ")");
        }
        started.remove(old.process());
        // the same port: the balancer knows the instance by its address
        Instance restarted = startInstance(index + 1, old.url().getPort(), old.poolSize());
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
            awaitReady(restarted, http);
        }
        instances.set(index, restarted);
        return restarted;
    }

    /** Kills the embedded Kafka broker at once ({@code SIGKILL}), as a crash would. */
    public void killKafka() {
        requireEmbeddedKafka().kill();
    }

    /** Starts the embedded broker again on its port and data, after {@link #killKafka()}. */
    public synchronized void restartKafka() {
        EmbeddedKafka old = requireEmbeddedKafka();
        embeddedKafka = EmbeddedKafka.start(new EmbeddedKafka.Settings(old.settings().dataDirectory(), old.port()));
    }

    private EmbeddedKafka requireEmbeddedKafka() {
        if (embeddedKafka == null) {
            throw new IllegalStateException("the bus is an external Kafka cluster (" + kafkaBootstrap + "), not the embedded broker");
        }
        return embeddedKafka;
    }

    private static boolean classPathIsJarsOnly() {
        return java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .allMatch(entry -> entry.endsWith(".jar"));
    }

    private void awaitReady(Instance instance, HttpClient http) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        HttpRequest ready = HttpRequest.newBuilder(instance.url().resolve("/ready")).timeout(Duration.ofSeconds(2)).build();
        while (System.nanoTime() < deadline) {
            if (!instance.process().isAlive()) {
                throw new IllegalStateException(instance.name() + " exited during start; see "
                        + config.runFolder().logs().resolve(instance.name() + ".log") + tail(instance.name()));
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + instance.name());
            }
            sleep(100);
        }
        throw new IllegalStateException(instance.name() + " was not ready within " + READY_TIMEOUT.toSeconds() + " s" + tail(instance.name()));
    }

    private String tail(String name) {
        try {
            List<String> lines = Files.readAllLines(config.runFolder().logs().resolve(name + ".log"));
            return ":\n  " + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public SystemConfig config() {
        return config;
    }

    public String edgeUrl() {
        return edge.url();
    }

    public String gatewayUrl() {
        return gateway.url();
    }

    public String balancerUrl() {
        return balancer.url();
    }

    public String opsUrl() {
        return ops.url();
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** The bus's {@code bootstrap.servers}: the embedded broker's address, or the external cluster's. */
    public String kafkaBootstrap() {
        return kafkaBootstrap;
    }

    /** The operations side's connection to the bus: dead letters and their replay. */
    public KafkaBus bus() {
        return bus;
    }

    /** The store as the operations side reads it, for {@code /verify}. */
    /** The edge, whose cache the operations side purges. */
    public Edge edge() {
        return edge;
    }

    /** The gateway, whose response cache the operations side purges. */
    public Gateway gateway() {
        return gateway;
    }

    /** The application caches of the running app instances. */
    public InstanceCaches instanceCaches() {
        return instanceCaches;
    }

    /** The gateway's API keys, issued and revoked from the operations side. */
    public ApiKeys apiKeys() {
        return apiKeys;
    }

    public PostgresStore opsStore() {
        return opsStore;
    }

    public PaymentProvider paymentProvider() {
        return provider;
    }

    public List<Instance> instances() {
        return List.copyOf(instances);
    }

    /** Every component with its address, process and state, for /topology and the start-up diagram. */
    public List<Component> components() {
        long self = ProcessHandle.current().pid();
        List<Component> components = new ArrayList<>();
        components.add(new Component("edge", "edge", edge.url(), self, "local", "up"));
        components.add(new Component("gateway", "gateway", gateway.url(), self, "local", "up"));
        components.add(new Component("balancer", "balancer", balancer.url(), self, "local", "up"));
        for (Instance instance : instances) {
            components.add(new Component(instance.name(), "instance", instance.url().toString(), instance.process().pid(),
                    "local", instanceState(instance)));
        }
        if (embeddedPostgres != null) {
            components.add(new Component("postgres", "postgres", jdbcUrl, embeddedPostgres.pid(), "local", "up"));
        } else {
            components.add(new Component("postgres", "postgres", jdbcUrl, null, "local", "up"));
        }
        EmbeddedKafka kafka = embeddedKafka;
        if (kafka != null) {
            components.add(new Component("kafka", "kafka", kafkaBootstrap, kafka.pid(), "local",
                    ProcessHandle.of(kafka.pid()).map(ProcessHandle::isAlive).orElse(false) ? "up" : "down"));
        } else {
            components.add(new Component("kafka", "kafka", kafkaBootstrap, null, "local", "up"));
        }
        components.add(new Component(PaymentProvider.ROLE, PaymentProvider.ROLE, provider.url(), self, "local", "up"));
        return components;
    }

    private String instanceState(Instance instance) {
        if (!instance.process().isAlive()) {
            return InstanceState.DOWN;
        }
        if (draining.contains(instance.url())) {
            return "draining";
        }
        return balancer.instances().stream()
                .filter(state -> state.url().equals(instance.url()))
                .map(state -> state.state())
                .findFirst()
                .orElse(InstanceState.STARTING);
    }

    /** Stops everything in reverse start order: no new requests first, the store last. */
    @Override
    public void close() {
        List<AutoCloseable> reverse = new ArrayList<>(started);
        java.util.Collections.reverse(reverse);
        for (AutoCloseable component : reverse) {
            try {
                component.close();
            } catch (Exception e) {
                LOG.warn("stopping {} failed: {}", component, e.toString());
            }
        }
        started.clear();
    }
}
