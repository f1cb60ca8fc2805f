package archway.catalog;

import archway.cache.caffeine.CaffeineCaches;
import archway.objects.local.LocalFolderObjectStore;
import archway.store.Store;
import archway.store.embedded.EmbeddedPostgres;
import archway.store.postgres.PostgresStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Catalog services on one embedded PostgreSQL, each with its own schemas, images, caches and metrics. */
final class CatalogFixture implements AutoCloseable {

    /** One catalog service and what a test inspects around it. */
    record Instance(LocalCatalogService catalog, SimpleMeterRegistry registry, Path images) {

        double storeQueries() {
            return registry.counter(LocalCatalogService.STORE_QUERIES).count();
        }
    }

    private final EmbeddedPostgres postgres;
    private final Path folder;
    private final List<Store> stores = new ArrayList<>();

    CatalogFixture(EmbeddedPostgres postgres, Path folder) {
        this.postgres = postgres;
        this.folder = folder;
    }

    /**
     * A catalog service in the database's {@code <prefix>catalog} schema with images under
     * {@code folder/<imagesFolder>}: instances with the same prefix share a catalog.
     */
    Instance instance(String schemaPrefix, String imagesFolder) {
        Store store = PostgresStore.open(postgres.storeConfig(4).withSchemaPrefix(schemaPrefix));
        stores.add(store);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Path images = folder.resolve(imagesFolder);
        return new Instance(new LocalCatalogService(store, new CaffeineCaches(registry), new LocalFolderObjectStore(images), registry),
                registry, images);
    }

    @Override
    public void close() {
        stores.forEach(Store::close);
    }
}
