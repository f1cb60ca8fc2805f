package archway.launcher.instance;

import archway.cache.caffeine.CaffeineCaches;
import archway.catalog.CatalogRoutes;
import archway.catalog.LocalCatalogService;
import archway.catalog.SeedReport;
import archway.launcher.RunFolder;
import archway.objects.ObjectStore;
import archway.objects.local.LocalFolderObjectStore;
import archway.platform.auth.JwtKeys;
import archway.platform.auth.TokenIssuer;
import archway.platform.auth.TokenVerifier;
import archway.platform.server.ServiceServer;
import archway.platform.telemetry.Telemetry;
import archway.store.StoreConfig;
import archway.store.postgres.PostgresStore;
import archway.user.LocalUserService;
import archway.user.UserRoutes;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root of one app instance (monolith topology): concrete adapters for the
 * ports - PostgreSQL for the store, Caffeine for the cache, a local folder for objects -
 * wired into every service, whose routes share one HTTP server. The services themselves
 * see only the ports.
 */
public final class AppInstance implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AppInstance.class);
    private static final Duration TOKEN_LIFETIME = Duration.ofHours(1);
    private static final int POOL_SIZE = 4;

    private final Telemetry telemetry;
    private final PostgresStore store;
    private final ServiceServer server;

    /** What one instance needs to know: who it is, where to listen, where the engines are. */
    public record Config(String name, String host, int port, Path runDir, String postgresUrl, String postgresUser,
                         String postgresPassword, String adminPassword) {
    }

    private AppInstance(Telemetry telemetry, PostgresStore store, ServiceServer server) {
        this.telemetry = telemetry;
        this.store = store;
        this.server = server;
    }

    public static AppInstance start(Config config) {
        long started = System.nanoTime();
        RunFolder run = new RunFolder(config.runDir());
        Telemetry telemetry = Telemetry.create(config.name());
        PostgresStore store = PostgresStore.open(
                new StoreConfig(config.postgresUrl(), config.postgresUser(), config.postgresPassword(), POOL_SIZE),
                telemetry.registry());
        try {
            ObjectStore objects = new LocalFolderObjectStore(run.objects());
            JwtKeys keys = JwtKeys.load(run.keys());
            Clock clock = Clock.systemUTC();

            LocalUserService users = new LocalUserService(store, new TokenIssuer(keys, clock, TOKEN_LIFETIME));
            LocalCatalogService catalog = new LocalCatalogService(store, new CaffeineCaches(telemetry.registry()),
                    objects, telemetry.registry());
            UserRoutes userRoutes = new UserRoutes(users, new TokenVerifier(keys, clock));
            CatalogRoutes catalogRoutes = new CatalogRoutes(catalog);

            AtomicBoolean ready = new AtomicBoolean();
            ServiceServer server = ServiceServer.start(ServiceServer.Config.of(config.name(), config.host(), config.port()),
                    telemetry, ready::get, routes -> {
                        userRoutes.mount(routes);
                        catalogRoutes.mount(routes);
                    });
            if (config.adminPassword() != null && users.ensureAdmin(RunFolder.ADMIN_EMAIL, config.adminPassword())) {
                LOG.info("created the administrator {}", RunFolder.ADMIN_EMAIL);
            }
            SeedReport seed = catalog.seedIfEmpty();
            ready.set(true);
            LOG.info("{} ready on {} in {} ms (catalog: {})", config.name(), server.url(),
                    (System.nanoTime() - started) / 1_000_000, seed);
            return new AppInstance(telemetry, store, server);
        } catch (RuntimeException e) {
            store.close();
            telemetry.close();
            throw e;
        }
    }

    /** Stops taking requests, lets in-flight ones finish, then closes the store's pools. */
    @Override
    public void close() {
        server.close();
        store.close();
        telemetry.close();
    }
}
