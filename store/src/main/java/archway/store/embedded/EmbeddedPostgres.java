package archway.store.embedded;

import archway.store.StoreConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL for the default, one-machine run: the real server from the zonky binaries
 * (PostgreSQL 17), a process of this machine with its data in a folder that is kept, so a
 * restart finds the data of the last run.
 *
 * <h2>Design notes: no server left behind</h2>
 * zonky starts the server with {@code pg_ctl start}, which detaches the postmaster from
 * this JVM (it is not our child, and has its own session). zonky stops it with
 * {@code pg_ctl stop} from {@link #close()} and from a JVM shutdown hook, which runs on a
 * normal exit, {@code SIGINT} and {@code SIGTERM} - but not on {@code SIGKILL} or a crash
 * of the JVM. Left alone, the server would then run on, holding its port and data folder.
 * Two measures close that gap:
 * <ul>
 *   <li>a {@link ServerGuard}, a tiny shell process that is our child and reads a pipe from
 *       this JVM: when the JVM dies, however, the kernel closes the pipe and the guard asks
 *       the postmaster for a fast shutdown;</li>
 *   <li>if the guard was killed too, the next start on the same data folder finds the
 *       orphaned postmaster through its {@code postmaster.pid} and stops it first.</li>
 * </ul>
 * When run as root, zonky starts the binaries under {@code unshare -U}, because PostgreSQL
 * refuses to run as root.
 *
 * <p>Durability: zonky's defaults turn {@code fsync} and {@code synchronous_commit} off. Both
 * are turned back on here, because Archway promises that an acknowledged write survives a
 * killed store process; the cost on this machine is small.
 */
public final class EmbeddedPostgres implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);
    /** The database Archway's schemas live in. */
    public static final String DATABASE = "archway";
    /** The superuser initdb creates; the server trusts local connections, so there is no password. */
    public static final String USER = "postgres";
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);

    private final Settings settings;
    private final io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;
    private final ProcessHandle postmaster;
    private final ServerGuard guard;
    private boolean closed;

    /**
     * Where and how to run the server.
     *
     * @param dataDirectory the server's data folder; created (by initdb) when it does not hold a
     *                      database yet, reused when it does
     * @param workDirectory where the binaries are unpacked (once per binaries version; share
     *                      it between runs to save a second at start)
     * @param port          the port to listen on (loopback), {@code 0} for a free one
     */
    public record Settings(Path dataDirectory, Path workDirectory, int port) {
        public Settings {
            Objects.requireNonNull(dataDirectory, "embedded postgres dataDirectory must be set");
            Objects.requireNonNull(workDirectory, "embedded postgres workDirectory must be set");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("embedded postgres port must be 0-65535, was " + port);
            }
            dataDirectory = dataDirectory.toAbsolutePath().normalize();
            workDirectory = workDirectory.toAbsolutePath().normalize();
            if (dataDirectory.startsWith(workDirectory) || workDirectory.startsWith(dataDirectory)) {
                throw new IllegalArgumentException("embedded postgres dataDirectory " + dataDirectory
                        + " and workDirectory " + workDirectory + " must not contain one another");
            }
        }
    }

    private EmbeddedPostgres(Settings settings, io.zonky.test.db.postgres.embedded.EmbeddedPostgres server,
                             ProcessHandle postmaster, ServerGuard guard) {
        this.settings = settings;
        this.server = server;
        this.postmaster = postmaster;
        this.guard = guard;
    }

    /** Starts the server and waits until it accepts connections and the {@value #DATABASE} database exists. */
    public static EmbeddedPostgres start(Settings settings) {
        Path data = settings.dataDirectory();
        createDirectories(data);
        createDirectories(settings.workDirectory());
        Orphans.stopLeftoverServer(data, STOP_WAIT);
        requireFreePort(settings.port());
        io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;
        try {
            server = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                    .setDataDirectory(data)
                    .setCleanDataDirectory(false)
                    .setOverrideWorkingDirectory(settings.workDirectory().toFile())
                    .setPort(settings.port())
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    // each app instance holds a small pool per service schema; up to 16 instances
                    .setServerConfig("max_connections", "300")
                    // crash recovery after a kill may take longer than zonky's default 10 s
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .start();
        } catch (IOException | RuntimeException e) {
            // pg_ctl may have started a server that then failed the readiness wait
            Orphans.stopLeftoverServer(data, STOP_WAIT);
            throw new IllegalStateException("cannot start embedded PostgreSQL with data in " + data
                    + " on port " + settings.port() + ": " + e.getMessage(), e);
        }
        ProcessHandle postmaster = Orphans.postmasterOf(data).orElse(null);
        if (postmaster == null) {
            closeQuietly(server);
            throw new IllegalStateException("embedded PostgreSQL started but " + data + "/postmaster.pid names no running process");
        }
        ServerGuard guard = ServerGuard.watch(data, postmaster.pid());
        EmbeddedPostgres postgres = new EmbeddedPostgres(settings, server, postmaster, guard);
        try {
            postgres.createDatabaseIfMissing();
        } catch (RuntimeException e) {
            postgres.close();
            throw e;
        }
        LOG.info("embedded PostgreSQL (pid {}) listening on port {}, data in {}", postmaster.pid(), server.getPort(), data);
        return postgres;
    }

    /** The JDBC URL of the {@value #DATABASE} database. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + DATABASE;
    }

    public String user() {
        return USER;
    }

    /** Empty: the embedded server trusts connections from this machine. */
    public String password() {
        return "";
    }

    public int port() {
        return server.getPort();
    }

    /** The operating-system process of the server (the postmaster), for the console and for chaos. */
    public long pid() {
        return postmaster.pid();
    }

    public Settings settings() {
        return settings;
    }

    /** A store configuration pointing at this server. */
    public StoreConfig storeConfig(int poolSize) {
        return new StoreConfig(jdbcUrl(), user(), password(), poolSize);
    }

    /**
     * Stops the server (fast shutdown: open transactions roll back, committed data stays) and
     * waits until its process is gone; the data folder is kept.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(server);
        Orphans.awaitExit(postmaster, STOP_WAIT);
        guard.close();
    }

    /** {@code pg_ctl stop -m fast}; a failure is logged, and the caller then waits for (or kills) the process. */
    private static void closeQuietly(io.zonky.test.db.postgres.embedded.EmbeddedPostgres server) {
        try {
            server.close();
        } catch (IOException | RuntimeException e) {
            LOG.warn("pg_ctl stop failed: {}", e.toString());
        }
    }

    private void createDatabaseIfMissing() {
        String url = "jdbc:postgresql://127.0.0.1:" + port() + "/postgres";
        try (Connection connection = DriverManager.getConnection(url, USER, "");
             Statement statement = connection.createStatement()) {
            try (ResultSet rs = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            statement.execute("CREATE DATABASE " + DATABASE);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + DATABASE + " in embedded PostgreSQL on port "
                    + port() + ": " + e.getMessage(), e);
        }
    }

    /** Fails at once on a taken port, rather than after zonky's startup wait (or, worse, talking to whatever listens there). */
    private static void requireFreePort(int port) {
        if (port == 0) {
            return;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            throw new IllegalStateException("embedded postgres port " + port + " is in use; choose another or 0 for a free one", e);
        }
    }

    private static void createDirectories(Path folder) {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create folder " + folder + " for embedded PostgreSQL", e);
        }
    }
}
