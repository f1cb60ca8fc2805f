package archway.bus.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka for the default, one-machine run: a real Kafka 4 broker in KRaft mode, one node that
 * is both broker and controller, run as a child JVM of this one (this JVM's {@code java} and
 * class path), with its data in a folder that is kept, so a restart finds the records of the
 * last run.
 *
 * <h2>The data folder</h2>
 * <ul>
 *   <li>{@code server.properties}: the broker's configuration, written at every start;</li>
 *   <li>{@code cluster.id}: the cluster id, generated once;</li>
 *   <li>{@code logs/}: Kafka's log directory (and KRaft metadata log), formatted once with
 *       Kafka's storage tool, when {@code logs/meta.properties} is missing;</li>
 *   <li>{@code kafka.log}: the broker's output of the current run ({@code kafka.previous.log}
 *       of the run before);</li>
 *   <li>{@code broker.pid}: the process number of the running broker.</li>
 * </ul>
 *
 * <h2>Design notes: no broker left behind</h2>
 * The child's main class is {@link BrokerMain}, which stops the broker (cleanly, through
 * Kafka's shutdown hook) when its standard input, a pipe from this JVM, reaches end-of-file;
 * the kernel closes that pipe when this JVM ends, however it ends, {@code SIGKILL} included.
 * Should a broker still be running on the data folder at start (its {@code broker.pid} names a
 * live JVM started by this class on this folder), it is stopped first.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(60);
    private static final long STOP_WAIT_SECONDS = 20;
    private static final Duration STOP_WAIT = Duration.ofSeconds(STOP_WAIT_SECONDS);
    private static final int LOG_TAIL_LINES = 20;
    private static final String STORAGE_TOOL = "kafka.tools.StorageTool";

    private final Settings settings;
    private final int port;
    private final int controllerPort;
    private final String clusterId;
    private final Process process;
    private final Admin admin;
    private boolean closed;

    /**
     * Where and how to run the broker.
     *
     * @param dataDirectory the broker's folder (configuration, cluster id, logs); created and
     *                      formatted when new, reused when not
     * @param port          the client port (loopback), {@code 0} for a free one; the controller
     *                      port is always a free one
     */
    public record Settings(Path dataDirectory, int port) {
        public Settings {
            Objects.requireNonNull(dataDirectory, "embedded kafka dataDirectory must be set");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("embedded kafka port must be 0-65535, was " + port);
            }
            dataDirectory = dataDirectory.toAbsolutePath().normalize();
        }
    }

    private EmbeddedKafka(Settings settings, int port, int controllerPort, String clusterId, Process process, Admin admin) {
        this.settings = settings;
        this.port = port;
        this.controllerPort = controllerPort;
        this.clusterId = clusterId;
        this.process = process;
        this.admin = admin;
    }

    /** Starts the broker (formatting the data folder first if it is new) and waits until it answers clients. */
    public static EmbeddedKafka start(Settings settings) {
        Path data = settings.dataDirectory();
        createDirectories(data);
        stopLeftoverBroker(data);
        int port = settings.port() == 0 ? freePort() : requireFreePort(settings.port(), data);
        int controllerPort = freePort(port);
        Path config = data.resolve("server.properties");
        Path logFile = data.resolve("kafka.log");
        writeString(config, serverProperties(data, port, controllerPort));
        writeString(data.resolve("logback-broker.xml"), LOGBACK_XML);
        rotate(logFile, data.resolve("kafka.previous.log"));
        String clusterId = clusterId(data);
        if (!Files.isRegularFile(data.resolve("logs").resolve("meta.properties"))) {
            format(data, config, clusterId, logFile);
        }

        Process process;
        try {
            process = new ProcessBuilder(javaCommand(data, BrokerMain.class.getName(), config.toString()))
                    .directory(data.toFile())
                    .redirectInput(ProcessBuilder.Redirect.PIPE)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start embedded Kafka on port " + port + " with data in " + data
                    + ": " + e.getMessage(), e);
        }
        writeString(data.resolve("broker.pid"), process.pid() + "\n");

        Admin admin = null;
        try {
            awaitPort(process, port, data, logFile);
            admin = Admin.create(adminProperties(port));
            awaitCluster(process, admin, port, data, logFile);
        } catch (RuntimeException e) {
            if (admin != null) {
                admin.close(Duration.ofSeconds(1));
            }
            stop(process, data);
            throw e;
        }
        EmbeddedKafka kafka = new EmbeddedKafka(settings, port, controllerPort, clusterId, process, admin);
        LOG.info("embedded Kafka (pid {}) listening on port {} (controller {}), data in {}",
                process.pid(), port, controllerPort, data);
        return kafka;
    }

    /** {@code 127.0.0.1:<port>}, for the clients' {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** The operating-system process of the broker, for the console and for chaos. */
    public long pid() {
        return process.pid();
    }

    /** The client port (the chosen one when the settings asked for {@code 0}). */
    public int port() {
        return port;
    }

    /** The KRaft controller's port (loopback, chosen free at every start). */
    public int controllerPort() {
        return controllerPort;
    }

    /** The cluster id, generated once and kept in the data folder. */
    public String clusterId() {
        return clusterId;
    }

    public Settings settings() {
        return settings;
    }

    /**
     * Creates the topics that do not exist yet, each with the given number of partitions and
     * replication factor 1; existing topics are left as they are.
     */
    public void createTopics(Map<String, Integer> partitionsByName) {
        List<NewTopic> topics = new ArrayList<>();
        partitionsByName.forEach((name, partitions) -> topics.add(new NewTopic(name, partitions, (short) 1)));
        Map<String, KafkaFuture<Void>> results = admin.createTopics(topics).values();
        for (Map.Entry<String, KafkaFuture<Void>> result : results.entrySet()) {
            try {
                result.getValue().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topic " + result.getKey() + " on embedded Kafka (port "
                            + port + ", data in " + settings.dataDirectory() + "): " + e.getCause().getMessage(), e.getCause());
                }
            } catch (TimeoutException e) {
                throw new IllegalStateException("creating topic " + result.getKey() + " on embedded Kafka (port " + port
                        + ") took more than 30 s", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating topic " + result.getKey(), e);
            }
        }
    }

    /**
     * Stops the broker: {@code SIGTERM} (Kafka's clean shutdown), then, after
     * {@value #STOP_WAIT_SECONDS} s, a kill; waits until the process is gone. The data folder is kept.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        admin.close(Duration.ofSeconds(2));
        stop(process, settings.dataDirectory());
        LOG.info("embedded Kafka (pid {}) stopped, data kept in {}", process.pid(), settings.dataDirectory());
    }

    /**
     * Kills the broker with {@code SIGKILL}, as a crash would: no clean shutdown, so the next
     * start on the same folder recovers its logs first. Waits until the process is gone; the
     * data folder is kept. To restart it where clients look for it, start again with the same
     * folder and its {@link #port()} as an explicit port.
     */
    public synchronized void kill() {
        if (closed) {
            return;
        }
        closed = true;
        process.destroyForcibly();
        try {
            process.onExit().get(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            LOG.warn("embedded Kafka (pid {}) is still running {} after a kill", process.pid(), STOP_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // the broker is gone: nothing to wait for
        admin.close(Duration.ZERO);
        release(process, settings.dataDirectory());
        LOG.info("embedded Kafka (pid {}) killed, data kept in {}", process.pid(), settings.dataDirectory());
    }

    // ---------------------------------------------------------------- the child processes

    private static List<String> javaCommand(Path data, String mainClass, String... args) {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "-Xms128m", "-Xmx384m",
                "-Djava.awt.headless=true", dataMarker(data),
                "-Dlogback.configurationFile=" + data.resolve("logback-broker.xml")));
        if (Runtime.version().feature() >= 23) {
            // Scala and Kafka still use sun.misc.Unsafe; keep the JDK from warning about it
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(List.of("-cp", absoluteClassPath(), mainClass));
        command.addAll(List.of(args));
        return command;
    }

    /** Runs Kafka's storage tool in a child JVM: writes {@code meta.properties} and the bootstrap metadata. */
    private static void format(Path data, Path config, String clusterId, Path logFile) {
        LOG.info("formatting embedded Kafka storage in {} (cluster id {})", data, clusterId);
        try {
            Process tool = new ProcessBuilder(javaCommand(data, STORAGE_TOOL,
                    "format", "--cluster-id", clusterId, "--config", config.toString(), "--ignore-formatted"))
                    .directory(data.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            if (!tool.waitFor(FORMAT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                tool.destroyForcibly();
                throw new IllegalStateException("formatting embedded Kafka storage in " + data + " took more than "
                        + FORMAT_TIMEOUT.toSeconds() + " s" + tail(logFile));
            }
            if (tool.exitValue() != 0) {
                throw new IllegalStateException("formatting embedded Kafka storage in " + data + " failed (exit code "
                        + tool.exitValue() + ")" + tail(logFile));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run Kafka's storage tool for " + data + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while formatting embedded Kafka storage in " + data, e);
        }
    }

    /** This JVM's class path with every entry made absolute: the child runs in the data folder. */
    private static String absoluteClassPath() {
        return java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(entry -> !entry.isEmpty())
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    /** Waits until the broker's client port accepts connections (cheap, and quiet, unlike a client that retries). */
    private static void awaitPort(Process process, int port, Path data, Path logFile) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            requireAlive(process, port, data, logFile);
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw startTimeout(port, data, logFile);
                }
                sleep(100);
            }
        }
    }

    /** Waits until the broker answers {@code describeCluster}. */
    private static void awaitCluster(Process process, Admin admin, int port, Path data, Path logFile) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            requireAlive(process, port, data, logFile);
            try {
                if (!admin.describeCluster(new DescribeClusterOptions().timeoutMs(2_000)).nodes()
                        .get(3, TimeUnit.SECONDS).isEmpty()) {
                    return;
                }
            } catch (ExecutionException | TimeoutException notYet) {
                // not ready yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for embedded Kafka on port " + port, e);
            }
            if (System.nanoTime() > deadline) {
                throw startTimeout(port, data, logFile);
            }
            sleep(200);
        }
    }

    private static void requireAlive(Process process, int port, Path data, Path logFile) {
        if (!process.isAlive()) {
            throw new IllegalStateException("embedded Kafka on port " + port + " with data in " + data
                    + " exited during start (exit code " + process.exitValue() + ")" + tail(logFile));
        }
    }

    private static IllegalStateException startTimeout(int port, Path data, Path logFile) {
        return new IllegalStateException("embedded Kafka on port " + port + " with data in " + data
                + " did not answer within " + START_TIMEOUT.toSeconds() + " s" + tail(logFile));
    }

    /** {@code SIGTERM}, wait, kill; removes {@code broker.pid}. */
    private static void stop(Process process, Path data) {
        stop(process.toHandle());
        release(process, data);
    }

    /** Forgets a broker that has ended: its {@code broker.pid}, and our end of its standard input. */
    private static void release(Process process, Path data) {
        try {
            Files.deleteIfExists(data.resolve("broker.pid"));
        } catch (IOException e) {
            LOG.warn("cannot delete {}: {}", data.resolve("broker.pid"), e.toString());
        }
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // the pipe is gone with the process
        }
    }

    private static void stop(ProcessHandle process) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            process.onExit().get(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("embedded Kafka (pid {}) did not stop within {}; killing it", process.pid(), STOP_WAIT);
            process.destroyForcibly();
            try {
                process.onExit().get(5, TimeUnit.SECONDS);
            } catch (TimeoutException | ExecutionException e2) {
                LOG.warn("embedded Kafka (pid {}) is still running after a kill", process.pid());
            } catch (InterruptedException e2) {
                Thread.currentThread().interrupt();
            }
        } catch (ExecutionException e) {
            LOG.warn("waiting for embedded Kafka (pid {}) to stop failed: {}", process.pid(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops a broker still running on {@code data}: the process named in {@code broker.pid}, if
     * it is alive and a child JVM started for this folder (a recycled process number is left alone).
     */
    private static void stopLeftoverBroker(Path data) {
        Path pidFile = data.resolve("broker.pid");
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        Optional<ProcessHandle> leftover;
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            leftover = ProcessHandle.of(pid)
                    .filter(ProcessHandle::isAlive)
                    .filter(p -> commandLine(p).contains(" " + dataMarker(data) + " "));
        } catch (IOException | NumberFormatException e) {
            leftover = Optional.empty();
        }
        leftover.ifPresent(p -> {
            LOG.warn("a Kafka broker (pid {}) is still running on {}, left by an earlier run; stopping it", p.pid(), data);
            stop(p);
        });
    }

    /**
     * A system property on the command line of the child JVMs of {@code data}, placed before the
     * (long) class path: the JDK reads only the first few KB of another process's command line.
     */
    private static String dataMarker(Path data) {
        return "-Darchway.bus.kafka.data=" + data;
    }

    /** The command line of {@code process} (its start, at least). */
    private static String commandLine(ProcessHandle process) {
        ProcessHandle.Info info = process.info();
        return info.commandLine()
                .or(() -> info.arguments().map(args -> String.join(" ", args)))
                .orElse("");
    }

    // ---------------------------------------------------------------- configuration

    private static String serverProperties(Path data, int port, int controllerPort) {
        return """
                # written by archway.bus.kafka.EmbeddedKafka at every start; edits are overwritten
                process.roles=broker,controller
                node.id=1
                controller.quorum.voters=1@127.0.0.1:%2$d
                listeners=PLAINTEXT://127.0.0.1:%1$d,CONTROLLER://127.0.0.1:%2$d
                advertised.listeners=PLAINTEXT://127.0.0.1:%1$d
                listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
                controller.listener.names=CONTROLLER
                inter.broker.listener.name=PLAINTEXT
                log.dirs=%3$s
                # one node: every internal topic has one replica, and few partitions
                num.partitions=1
                default.replication.factor=1
                min.insync.replicas=1
                offsets.topic.replication.factor=1
                offsets.topic.num.partitions=1
                transaction.state.log.replication.factor=1
                transaction.state.log.min.isr=1
                transaction.state.log.num.partitions=1
                share.coordinator.state.topic.replication.factor=1
                share.coordinator.state.topic.min.isr=1
                share.coordinator.state.topic.num.partitions=1
                group.initial.rebalance.delay.ms=0
                # after a kill, the restarted broker may register only once the controller has let
                # the old registration's session expire: 3 s rather than the default 9
                broker.session.timeout.ms=3000
                broker.heartbeat.interval.ms=750
                num.network.threads=2
                num.io.threads=2
                num.recovery.threads.per.data.dir=1
                """.formatted(port, controllerPort, data.resolve("logs").toString().replace("\\", "\\\\"));
    }

    private static final String LOGBACK_XML = """
            <!-- written by archway.bus.kafka.EmbeddedKafka: logging of the broker child process -->
            <configuration>
              <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{36} - %msg%n</pattern></encoder>
              </appender>
              <logger name="org.apache.kafka.common.config" level="WARN"/>
              <logger name="org.apache.kafka.common.utils.AppInfoParser" level="WARN"/>
              <root level="INFO"><appender-ref ref="OUT"/></root>
            </configuration>
            """;

    private static Properties adminProperties(int port) {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port);
        properties.put(AdminClientConfig.CLIENT_ID_CONFIG, "archway-embedded-kafka-admin");
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        return properties;
    }

    /** The cluster id kept in {@code cluster.id}, generated on first use. */
    private static String clusterId(Path data) {
        Path file = data.resolve("cluster.id");
        try {
            if (Files.isRegularFile(file)) {
                String id = Files.readString(file).trim();
                if (!id.isEmpty()) {
                    return id;
                }
            }
            String id = Uuid.randomUuid().toString();
            writeString(file, id + "\n");
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    // ---------------------------------------------------------------- ports and files

    private static int freePort(int... avoid) {
        for (int attempt = 0; attempt < 10; attempt++) {
            try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
                int port = socket.getLocalPort();
                if (java.util.Arrays.stream(avoid).noneMatch(p -> p == port)) {
                    return port;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot find a free port for embedded Kafka", e);
            }
        }
        throw new IllegalStateException("cannot find a free port for embedded Kafka");
    }

    /** Fails at once on a taken port, rather than after the start timeout. */
    private static int requireFreePort(int port, Path data) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return port;
        } catch (IOException e) {
            throw new IllegalStateException("embedded kafka port " + port + " is in use; choose another or 0 for a free one"
                    + " (data folder " + data + ")", e);
        }
    }

    /** For error messages: the first error lines of the broker's output (the cause), then its last lines. */
    private static String tail(Path logFile) {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            List<String> errors = lines.stream().filter(line -> line.contains(" ERROR ")).limit(3).toList();
            List<String> last = lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size());
            return (errors.isEmpty() ? "" : "; first errors:\n" + String.join("\n", errors))
                    + "\nlast lines of " + logFile + ":\n" + String.join("\n", last);
        } catch (IOException | UncheckedIOException e) {
            return "; see " + logFile;
        }
    }

    private static void rotate(Path current, Path previous) {
        try {
            if (Files.exists(current)) {
                Files.move(current, previous, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            LOG.warn("cannot move {} to {}: {}", current, previous, e.toString());
        }
    }

    private static void writeString(Path file, String content) {
        try {
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + " for embedded Kafka", e);
        }
    }

    private static void createDirectories(Path folder) {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create folder " + folder + " for embedded Kafka", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for embedded Kafka", e);
        }
    }
}
