package archway.launcher.instance;

import archway.analytics.LocalAnalyticsService;
import archway.bus.Bus;
import archway.bus.Subscription;
import archway.bus.kafka.KafkaBus;
import archway.cache.CachePlan;
import archway.cache.caffeine.CaffeineCaches;
import archway.catalog.CatalogEvents;
import archway.catalog.CatalogRoutes;
import archway.catalog.LocalCatalogService;
import archway.catalog.SeedReport;
import archway.inventory.InventoryRoutes;
import archway.inventory.LocalInventoryService;
import archway.launcher.RunFolder;
import archway.notification.LocalNotificationService;
import archway.notification.NotificationRoutes;
import archway.objects.ObjectStore;
import archway.objects.local.LocalFolderObjectStore;
import archway.order.LocalOrderService;
import archway.order.OrderEvents;
import archway.order.OrderRoutes;
import archway.payment.LocalPaymentService;
import archway.payment.ProviderClient;
import archway.platform.auth.KeyRing;
import archway.platform.auth.TokenIssuer;
import archway.platform.auth.TokenVerifier;
import archway.platform.server.ServiceServer;
import archway.platform.telemetry.Telemetry;
import archway.store.StoreConfig;
import archway.store.postgres.PostgresStore;
import archway.user.LocalUserService;
import archway.user.UserRoutes;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root of one app instance (monolith topology): concrete adapters for the
 * ports - PostgreSQL for the store, Caffeine for the cache, a local folder for objects,
 * Kafka for the bus, the provider's HTTP API for cards - wired into every service, whose
 * routes share one HTTP server. The services themselves see only the ports.
 *
 * <p>The instance is also a worker: it relays the services' outboxes and is a member of
 * every consumer group of the order saga, so the partitions of each topic are shared among
 * the running instances and move to the survivors when one dies. It is also the only member
 * of two groups of its own, {@code catalog-cache.<name>} and {@code stock-cache.<name>}, which
 * bring the changes made on every instance into its application caches; its caches are
 * listed and dropped by operators at {@code /caches}.
 */
public final class AppInstance implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AppInstance.class);
    /** How long an access token lives; rotating the keys no more often than this never rejects a live token. */
    private static final Duration TOKEN_LIFETIME = Duration.ofHours(1);

    /** Members of each saga consumer group in one instance (the topics have 8 partitions). */
    private static final int MEMBERS = 2;
    private static final int PAYMENT_MEMBERS = 4;
    /** How long the payment worker waits for the provider before it tries again. */
    private static final Duration PROVIDER_TIMEOUT = Duration.ofSeconds(2);

    private final Telemetry telemetry;
    private final PostgresStore store;
    private final Bus bus;
    private final KeyRing keys;
    private final ServiceServer server;
    private final LocalCatalogService catalog;

    /**
     * What one instance needs to know: who it is, where to listen, where the engines and the
     * provider are, and how each data type is cached.
     */
    public record Config(String name, String host, int port, Path runDir, String postgresUrl, String postgresUser,
                         String postgresPassword, String adminPassword, String kafkaBootstrap, URI paymentProvider,
                         Subscription.Retry busRetry, int poolSize, CachePlan caching) {

        /** With every data type cached as it is built for. */
        public Config(String name, String host, int port, Path runDir, String postgresUrl, String postgresUser,
                      String postgresPassword, String adminPassword, String kafkaBootstrap, URI paymentProvider,
                      Subscription.Retry busRetry, int poolSize) {
            this(name, host, port, runDir, postgresUrl, postgresUser, postgresPassword, adminPassword, kafkaBootstrap,
                    paymentProvider, busRetry, poolSize, CachePlan.defaults());
        }
    }

    private AppInstance(Telemetry telemetry, PostgresStore store, Bus bus, KeyRing keys, ServiceServer server,
                        LocalCatalogService catalog) {
        this.telemetry = telemetry;
        this.store = store;
        this.bus = bus;
        this.keys = keys;
        this.server = server;
        this.catalog = catalog;
    }

    public static AppInstance start(Config config) {
        long started = System.nanoTime();
        RunFolder run = new RunFolder(config.runDir());
        Telemetry telemetry = Telemetry.create(config.name());
        PostgresStore store = PostgresStore.open(
                new StoreConfig(config.postgresUrl(), config.postgresUser(), config.postgresPassword(), config.poolSize()),
                telemetry.registry());
        Bus bus = null;
        KeyRing keys = null;
        LocalCatalogService catalog = null;
        try {
            bus = KafkaBus.connect(KafkaBus.Config.of(config.kafkaBootstrap(), config.name()).withRegistry(telemetry.registry()));
            ObjectStore objects = new LocalFolderObjectStore(run.objects());
            keys = KeyRing.watch(run.keys());
            Clock clock = Clock.systemUTC();

            LocalUserService users = new LocalUserService(store, new TokenIssuer(keys, clock, TOKEN_LIFETIME));
            CaffeineCaches caches = new CaffeineCaches(telemetry.registry());
            LocalInventoryService inventory = new LocalInventoryService(store, caches, config.caching());
            catalog = new LocalCatalogService(store, caches, config.caching(), objects, inventory.productStock(),
                    telemetry.registry());
            LocalOrderService orders = new LocalOrderService(store, catalog, clock);
            LocalPaymentService payments = new LocalPaymentService(store,
                    new ProviderClient(config.paymentProvider(), PROVIDER_TIMEOUT), telemetry.registry());
            LocalNotificationService notifications = new LocalNotificationService(store);
            LocalAnalyticsService analytics = new LocalAnalyticsService(store, clock);

            TokenVerifier verifier = new TokenVerifier(keys, clock);
            UserRoutes userRoutes = new UserRoutes(users, verifier);
            CatalogRoutes catalogRoutes = new CatalogRoutes(catalog, verifier);
            CacheRoutes cacheRoutes = new CacheRoutes(caches, verifier);
            OrderRoutes orderRoutes = new OrderRoutes(orders, verifier);
            InventoryRoutes inventoryRoutes = new InventoryRoutes(inventory, verifier);
            NotificationRoutes notificationRoutes = new NotificationRoutes(notifications, verifier);

            AtomicBoolean ready = new AtomicBoolean();
            ServiceServer server = ServiceServer.start(ServiceServer.Config.of(config.name(), config.host(), config.port()),
                    telemetry, ready::get, routes -> {
                        userRoutes.mount(routes);
                        catalogRoutes.mount(routes);
                        orderRoutes.mount(routes);
                        inventoryRoutes.mount(routes);
                        notificationRoutes.mount(routes);
                        cacheRoutes.mount(routes);
                    });
            if (config.adminPassword() != null && users.ensureAdmin(RunFolder.ADMIN_EMAIL, config.adminPassword())) {
                LOG.info("created the administrator {}", RunFolder.ADMIN_EMAIL);
            }
            SeedReport seed = catalog.seedIfEmpty();
            if (inventory.seedIfEmpty(catalog::initialStock)) {
                LOG.info("stocked the inventory from the catalog");
            }

            // the workers: outbox relays, then one member of each consumer group of the saga
            bus.relay(OrderEvents.TOPIC, orders.outbox());
            bus.relay(OrderEvents.INVENTORY_TOPIC, inventory.outbox());
            bus.relay(OrderEvents.PAYMENTS_TOPIC, payments.outbox());
            bus.relay(CatalogEvents.TOPIC, catalog.outbox());
            // A member handles its partitions one event at a time, so a group's throughput grows
            // with its members (up to one per partition). Payment waits on the provider for each
            // charge: it gets the most; the others mostly wait on PostgreSQL's commits.
            subscribe(bus, orders.subscription(config.busRetry()), MEMBERS);
            subscribe(bus, inventory.subscription(config.busRetry()), MEMBERS);
            subscribe(bus, payments.subscription(config.busRetry()), PAYMENT_MEMBERS);
            subscribe(bus, notifications.subscription(config.busRetry()), 1);
            subscribe(bus, analytics.subscription(config.busRetry()), 1);
            // this instance's caches follow the changes made on every instance: a group of its own each
            subscribe(bus, catalog.cacheSubscription(config.name(), config.busRetry()), 1);
            subscribe(bus, inventory.stockCacheSubscription(config.name(), config.busRetry()), 1);
            ready.set(true);
            LOG.info("{} ready on {} in {} ms (catalog: {}; caching: {})", config.name(), server.url(),
                    (System.nanoTime() - started) / 1_000_000, seed, config.caching());
            return new AppInstance(telemetry, store, bus, keys, server, catalog);
        } catch (RuntimeException e) {
            if (catalog != null) {
                catalog.close();
            }
            if (keys != null) {
                keys.close();
            }
            if (bus != null) {
                bus.close();
            }
            store.close();
            telemetry.close();
            throw e;
        }
    }

    private static void subscribe(Bus bus, Subscription subscription, int members) {
        for (int i = 0; i < members; i++) {
            bus.subscribe(subscription);
        }
    }

    /**
     * Stops taking requests, lets in-flight ones finish, stops the workers, writes the views
     * counted and not yet flushed, then closes the store's pools.
     */
    @Override
    public void close() {
        server.close();
        bus.close();
        catalog.close();
        keys.close();
        store.close();
        telemetry.close();
    }
}
