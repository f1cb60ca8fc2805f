package archway.catalog;

import archway.cache.Cache;
import archway.cache.CacheSpec;
import archway.cache.Caches;
import archway.objects.ObjectStore;
import archway.objects.StoredObject;
import archway.platform.problem.ProblemException;
import archway.store.Store;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The catalog service in this process: products in the {@value CatalogApi#SCHEMA} schema,
 * images in the {@value CatalogApi#IMAGES} bucket, reads served cache-aside - from the
 * in-process cache when it holds the answer, from PostgreSQL (then kept) when it does not.
 * A cached answer is at most {@link #FRESHNESS} old.
 */
public final class LocalCatalogService implements CatalogApi {

    /** How stale a cached product, page or category list may be. */
    public static final Duration FRESHNESS = Duration.ofSeconds(30);
    /** The name of the counter of statements sent to the store. */
    public static final String STORE_QUERIES = "catalog.store.queries";
    private static final String ALL = "all";

    private final DataSource db;
    private final ObjectStore objects;
    private final ProductTable products;
    // Optional values cache misses too, so requests for ids that do not exist stay off the store
    private final Cache<Long, Optional<Product>> byId;
    private final Cache<ProductQuery, ProductPage> pages;
    private final Cache<ProductCursorQuery, ProductCursorPage> cursorPages;
    private final Cache<String, List<Category>> categories;

    /**
     * Migrates the service's schema in {@code store} if needed and creates its caches; the
     * catalog stays empty until {@link #seedIfEmpty()}.
     *
     * @param registry receives {@value #STORE_QUERIES} (and the caches' metrics come from {@code caches})
     */
    public LocalCatalogService(Store store, Caches caches, ObjectStore objects, MeterRegistry registry) {
        this.db = store.schema(SCHEMA);
        this.objects = objects;
        this.products = new ProductTable(db, registry.counter(STORE_QUERIES));
        this.byId = caches.create("catalog.products", CacheSpec.of(20_000, FRESHNESS));
        this.pages = caches.create("catalog.pages", CacheSpec.of(5_000, FRESHNESS));
        this.cursorPages = caches.create("catalog.cursor-pages", CacheSpec.of(5_000, FRESHNESS));
        this.categories = caches.create("catalog.categories", CacheSpec.of(1, FRESHNESS));
    }

    /**
     * Fills the catalog with its {@value ProductGenerator#PRODUCTS} generated products and
     * their images if it is empty; safe when several instances call it at once. The composition
     * root calls it at start, before the instance reports ready.
     */
    public SeedReport seedIfEmpty() {
        return CatalogSeed.run(db, objects, ProductGenerator.PRODUCTS);
    }

    /**
     * Every product's stock as the catalog was seeded with it, by product id: what the
     * inventory starts from. Read from the store, not the cache.
     */
    public Map<Long, Integer> initialStock() {
        return products.stockLevels();
    }

    @Override
    public Product product(long id) {
        return byId.get(id, products::byId)
                .orElseThrow(() -> ProblemException.notFound("no product with id " + id));
    }

    @Override
    public ProductPage products(ProductQuery query) {
        return pages.get(query, products::page);
    }

    @Override
    public ProductCursorPage productsAfter(ProductCursorQuery query) {
        return cursorPages.get(query, products::pageAfter);
    }

    @Override
    public List<Category> categories() {
        return categories.get(ALL, all -> List.copyOf(products.categories()));
    }

    @Override
    public ProductImage image(long id) {
        StoredObject image = objects.get(IMAGES, ProductImages.key(id))
                .orElseThrow(() -> ProblemException.notFound("no image for product " + id));
        return new ProductImage(image.bytes(), image.contentType(), image.etag());
    }
}
