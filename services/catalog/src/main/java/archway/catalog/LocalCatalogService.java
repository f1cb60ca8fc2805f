package archway.catalog;

import archway.bus.Event;
import archway.bus.Outbox;
import archway.bus.Payloads;
import archway.bus.Subscription;
import archway.cache.Cache;
import archway.cache.CachePlan;
import archway.cache.Caches;
import archway.cache.LoadingCache;
import archway.objects.ObjectStore;
import archway.objects.StoredObject;
import archway.platform.auth.Principal;
import archway.platform.problem.ProblemException;
import archway.store.Store;
import archway.store.Transactions;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import javax.sql.DataSource;

/**
 * The catalog service in this process: products in the {@value CatalogApi#SCHEMA} schema,
 * images in the {@value CatalogApi#IMAGES} bucket, reads served cache-aside - from the
 * in-process cache when it holds the answer, from PostgreSQL (then kept) when it does not.
 * A cached answer is at most its TTL old ({@link #FRESHNESS} unless the plan says otherwise),
 * and an administrator's change drops it at once here and, through {@code ProductChanged}
 * on the bus, on every other instance.
 *
 * <p>Stock is not the catalog's: each product's {@code stock} is composed at read time from
 * {@link ProductStock} (the inventory's write-through cache), so cached products and pages
 * never hold a count of their own. A missing id is cached too, for the negative TTL only.
 *
 * <p>A change invalidates the product and every page and cursor page: finding the pages that
 * hold one product would mean indexing them by product, and pages are cheap to load again.
 */
public final class LocalCatalogService implements CatalogApi, AutoCloseable {

    /** How stale a cached product, page or category list may be by default. */
    public static final Duration FRESHNESS = Duration.ofSeconds(30);
    /** The name of the counter of statements sent to the store. */
    public static final String STORE_QUERIES = "catalog.store.queries";
    private static final String ALL = "all";

    private final DataSource db;
    private final ObjectStore objects;
    private final ProductStock stock;
    private final ProductTable products;
    // Optional values cache misses too, so requests for ids that do not exist stay off the store
    private final LoadingCache<Long, Optional<Product>> byId;
    private final Cache<ProductQuery, ProductPage> pages;
    private final Cache<ProductCursorQuery, ProductCursorPage> cursorPages;
    private final Cache<String, List<Category>> categories;
    private final ViewCounter views;

    /**
     * Migrates the service's schema in {@code store} if needed, creates its outbox and its
     * caches as {@code plan} says; the catalog stays empty until {@link #seedIfEmpty()}.
     *
     * @param registry receives {@value #STORE_QUERIES} and the view counter's meters (the caches'
     *                 metrics come from {@code caches})
     */
    public LocalCatalogService(Store store, Caches caches, CachePlan plan, ObjectStore objects, ProductStock stock,
                               MeterRegistry registry) {
        this.db = store.schema(SCHEMA);
        Outbox.createTable(db);
        this.objects = objects;
        this.stock = stock;
        this.products = new ProductTable(db, registry.counter(STORE_QUERIES));
        this.byId = caches.create(CachePlan.PRODUCTS, plan.spec(CachePlan.PRODUCTS), products::byId);
        this.pages = caches.create(CachePlan.PAGES, plan.spec(CachePlan.PAGES));
        this.cursorPages = caches.create(CachePlan.CURSOR_PAGES, plan.spec(CachePlan.CURSOR_PAGES));
        this.categories = caches.create(CachePlan.CATEGORIES, plan.spec(CachePlan.CATEGORIES));
        CachePlan.Entry viewPlan = plan.entry(CachePlan.VIEWS);
        this.views = new ViewCounter(products::addViews, viewPlan.off() ? Duration.ZERO : viewPlan.flushInterval(), registry);
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

    /** The data source of the schema, whose outbox ({@code ProductChanged}) the bus relays. */
    public DataSource outbox() {
        return db;
    }

    /**
     * The consumer group that keeps this instance's caches in step with changes made on
     * others: {@code catalog-cache.<instance>}, one per instance (every instance must see every
     * change) and stable across restarts (a restarted instance resumes where it stopped).
     */
    public Subscription cacheSubscription(String instance, Subscription.Retry retry) {
        return new Subscription("catalog-cache." + instance, List.of(CatalogEvents.TOPIC), event -> {
            if (event.type().equals(CatalogEvents.PRODUCT_CHANGED)) {
                invalidate(Payloads.required(event, "product_id",
                        Payloads.read(event, CatalogEvents.ProductChanged.class).productId()));
            }
        }, retry);
    }

    @Override
    public Product product(long id) {
        return withStock(find(id));
    }

    private Product find(long id) {
        return byId.get(id).orElseThrow(() -> ProblemException.notFound("no product with id " + id));
    }

    @Override
    public ProductPage products(ProductQuery query) {
        ProductPage page = pages.get(query, products::page);
        Map<Long, Integer> units = stock.available(page.items().stream().map(Product::id).toList());
        return new ProductPage(page.items().stream()
                .map(product -> units.containsKey(product.id()) ? product.withStock(units.get(product.id())) : product)
                .toList(), page.page(), page.size(), page.total());
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

    /**
     * Stock goes first, through the inventory (which checks its range): the product's row and
     * its {@code ProductChanged} follow in one transaction, so whoever acts on the event (other
     * instances, the edge) reads the new stock already.
     */
    @Override
    public Product change(Principal caller, long id, ProductChange change) {
        if (!caller.isAdmin()) {
            throw ProblemException.forbidden("only an administrator may change a product");
        }
        Product current = products.byId(id).orElseThrow(() -> ProblemException.notFound("no product with id " + id));
        if (change.price() != null && !change.price().currency().equals(current.price().currency())) {
            throw ProblemException.badRequest("price.currency must be the catalog's, " + current.price().currency()
                    + ", not " + change.price().currency());
        }
        if (change.stock() != null) {
            stock.setAvailable(caller, id, change.stock());
        }
        Transactions.inTransaction(db, "change a product", tx -> {
            apply(tx, id, change);
            return null;
        });
        invalidate(id);
        return product(id);
    }

    /** The change's row update and its event, within {@code tx}'s transaction: both or neither. */
    void apply(Connection tx, long id, ProductChange change) throws SQLException {
        if (change.changesRow() && !products.change(tx, id, change)) {
            throw ProblemException.notFound("no product with id " + id);
        }
        Outbox.append(tx, Event.of(CatalogEvents.TOPIC, Long.toString(id), CatalogEvents.PRODUCT_CHANGED,
                Payloads.write(new CatalogEvents.ProductChanged(id, change.changed())), Map.of()));
    }

    /** Drops every cached answer that may hold the product. */
    void invalidate(long id) {
        byId.invalidate(id);
        pages.invalidateAll();
        cursorPages.invalidateAll();
    }

    @Override
    public void countView(long id) {
        find(id);
        views.count(id);
    }

    @Override
    public ProductViews views(long id) {
        find(id);
        return new ProductViews(id, views.total(id, () -> products.views(id)));
    }

    /** The view counter, for tests of what a crash loses. */
    ViewCounter viewCounter() {
        return views;
    }

    /** Writes the views counted and not yet flushed. */
    @Override
    public void close() {
        views.close();
    }

    private Product withStock(Product product) {
        OptionalInt units = stock.available(product.id());
        return units.isEmpty() ? product : product.withStock(units.getAsInt());
    }
}
