package archway.catalog;

import archway.cache.CachePlan;
import archway.cache.caffeine.CaffeineCaches;
import archway.objects.local.LocalFolderObjectStore;
import archway.platform.auth.Principal;
import archway.platform.problem.ProblemException;
import archway.store.Store;
import archway.store.embedded.EmbeddedPostgres;
import archway.store.postgres.PostgresStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Catalog services on one embedded PostgreSQL, each with its own schemas, images, caches and metrics. */
final class CatalogFixture implements AutoCloseable {

    static final Principal ADMIN = new Principal("admin-1", "admin@example.com", Set.of(Principal.ADMIN, "customer"));
    static final Principal CUSTOMER = new Principal("customer-1", "ann@example.com", Set.of("customer"));

    /** One catalog service and what a test inspects around it. */
    record Instance(LocalCatalogService catalog, SimpleMeterRegistry registry, Path images, Stock stock) {

        double storeQueries() {
            return registry.counter(LocalCatalogService.STORE_QUERIES).count();
        }
    }

    /** The inventory as the catalog sees it: levels in a map, set by administrators only. */
    static final class Stock implements ProductStock {

        final Map<Long, Integer> levels = new ConcurrentHashMap<>();

        @Override
        public OptionalInt available(long productId) {
            Integer level = levels.get(productId);
            return level == null ? OptionalInt.empty() : OptionalInt.of(level);
        }

        @Override
        public void setAvailable(Principal caller, long productId, int available) {
            if (!caller.isAdmin()) {
                throw ProblemException.forbidden("only an administrator may change stock");
            }
            if (available > 1_000_000) {
                throw ProblemException.badRequest("available must be 0 to 1000000, was " + available);
            }
            levels.put(productId, available);
        }
    }

    private final EmbeddedPostgres postgres;
    private final Path folder;
    private final List<AutoCloseable> opened = new ArrayList<>();

    CatalogFixture(EmbeddedPostgres postgres, Path folder) {
        this.postgres = postgres;
        this.folder = folder;
    }

    /**
     * A catalog service in the database's {@code <prefix>catalog} schema with images under
     * {@code folder/<imagesFolder>}: instances with the same prefix share a catalog.
     */
    Instance instance(String schemaPrefix, String imagesFolder) {
        return instance(schemaPrefix, imagesFolder, CachePlan.defaults());
    }

    Instance instance(String schemaPrefix, String imagesFolder, CachePlan plan) {
        Store store = PostgresStore.open(postgres.storeConfig(4).withSchemaPrefix(schemaPrefix));
        opened.add(store);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Path images = folder.resolve(imagesFolder);
        Stock stock = new Stock();
        LocalCatalogService catalog = new LocalCatalogService(store, new CaffeineCaches(registry), plan,
                new LocalFolderObjectStore(images), stock, registry);
        opened.add(0, catalog); // closed before its store
        return new Instance(catalog, registry, images, stock);
    }

    @Override
    public void close() {
        for (AutoCloseable each : opened) {
            try {
                each.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
