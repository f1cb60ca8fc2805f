package archway.inventory;

import archway.bus.Outbox;
import archway.bus.Payloads;
import archway.bus.ProcessedEvents;
import archway.bus.Subscription;
import archway.cache.CachePlan;
import archway.cache.Caches;
import archway.cache.LoadingCache;
import archway.catalog.ProductStock;
import archway.order.OrderEvents;
import archway.platform.auth.Principal;
import archway.platform.problem.ProblemException;
import archway.store.Store;
import archway.store.Transactions;
import java.sql.PreparedStatement;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * The inventory service in this process: stock and reservations in the
 * {@value InventoryApi#SCHEMA} schema, its replies to the saga in its outbox.
 *
 * <p>Stock levels are cached write-through ({@code inventory.stock}): every change - an
 * administrator's {@link #setAvailable}, a reservation, its commit or release - writes
 * PostgreSQL, appends the new level as {@code StockChanged} to the outbox in the same
 * transaction, and once committed puts the level in this instance's cache; every other
 * instance puts it into its own from the event ({@link #stockCacheSubscription}). So the
 * product pages read stock from memory and still show each change soon. Two changes of one
 * product committed on two instances at nearly the same moment may reach a cache out of
 * order; the entry's TTL bounds how long the older level can stay.
 */
public final class LocalInventoryService implements InventoryApi {

    /** The most units one product may be stocked with. */
    public static final int MAX_AVAILABLE = 1_000_000;

    private final DataSource db;
    private final InventoryWorker worker;
    private final LoadingCache<Long, Optional<StockLevel>> levels;

    /** Migrates the service's schema in {@code store} if needed, creates its outbox and its stock cache as {@code plan} says. */
    public LocalInventoryService(Store store, Caches caches, CachePlan plan) {
        this.db = store.schema(SCHEMA);
        Outbox.createTable(db);
        ProcessedEvents.createTable(db);
        this.levels = caches.create(CachePlan.STOCK, plan.spec(CachePlan.STOCK),
                productId -> Transactions.inTransaction(db, "read stock", tx -> StockTable.level(tx, productId)));
        this.worker = new InventoryWorker(db, this::cache);
    }

    /** The data source of the schema, whose outbox the bus relays. */
    public DataSource outbox() {
        return db;
    }

    /** The consumer group of the saga this service runs, with what it does with each event. */
    public Subscription subscription(Subscription.Retry retry) {
        return new Subscription(InventoryWorker.GROUP, List.of(OrderEvents.TOPIC), worker, retry);
    }

    /**
     * The consumer group that puts every instance's stock changes into this instance's cache:
     * {@code stock-cache.<instance>}, one per instance (each must see every change) and stable
     * across restarts (a restarted instance resumes where it stopped).
     */
    public Subscription stockCacheSubscription(String instance, Subscription.Retry retry) {
        return new Subscription("stock-cache." + instance, List.of(StockEvents.TOPIC), event -> {
            if (event.type().equals(StockEvents.STOCK_CHANGED)) {
                StockEvents.StockChanged changed = Payloads.read(event, StockEvents.StockChanged.class);
                Payloads.required(event, "product_id", changed.productId());
                Payloads.required(event, "available", changed.available());
                Payloads.required(event, "reserved", changed.reserved());
                cache(changed.level());
            }
        }, retry);
    }

    /** Stock as the catalog shows it on product pages: from the write-through cache. */
    public ProductStock productStock() {
        return new ProductStock() {
            @Override
            public OptionalInt available(long productId) {
                return levels.get(productId).map(level -> OptionalInt.of(level.available())).orElse(OptionalInt.empty());
            }

            @Override
            public Map<Long, Integer> available(Collection<Long> productIds) {
                Map<Long, Integer> units = new HashMap<>();
                levels.getAll(productIds, missing -> loadLevels(missing))
                        .forEach((id, level) -> level.ifPresent(l -> units.put(id, l.available())));
                return units;
            }

            @Override
            public void setAvailable(Principal caller, long productId, int available) {
                LocalInventoryService.this.setAvailable(caller, productId, available);
            }
        };
    }

    /** The levels of {@code productIds} from the store, in one statement: empty for a product without stock. */
    private Map<Long, Optional<StockLevel>> loadLevels(Set<? extends Long> productIds) {
        Map<Long, StockLevel> found = Transactions.inTransaction(db, "read stock levels",
                tx -> StockTable.levels(tx, List.copyOf(productIds)));
        Map<Long, Optional<StockLevel>> levels = new HashMap<>();
        for (Long id : productIds) {
            levels.put(id, Optional.ofNullable(found.get(id)));
        }
        return levels;
    }

    /**
     * Stocks every product with its initial units if the inventory is empty; safe when several
     * instances call it at once (one fills, under a lock, the others find it filled).
     *
     * @param initial product id to units, asked for only when the inventory is empty
     * @return whether this call filled it
     */
    public boolean seedIfEmpty(Supplier<Map<Long, Integer>> initial) {
        return Transactions.inTransaction(db, "stock the inventory", tx -> {
            try (PreparedStatement lock = tx.prepareStatement("SELECT pg_advisory_xact_lock(hashtext('inventory.seed'))")) {
                lock.execute();
            }
            if (!StockTable.isEmpty(tx)) {
                return false;
            }
            StockTable.insert(tx, initial.get());
            return true;
        });
    }

    /** Read from the store: the inventory's own API answers with the level of record. */
    @Override
    public StockLevel stock(long productId) {
        return Transactions.inTransaction(db, "read stock", tx -> StockTable.level(tx, productId))
                .orElseThrow(() -> ProblemException.notFound("no stock is kept for product " + productId));
    }

    /**
     * Counts the difference as received (a delivery, or a loss when lower), which keeps the
     * operations entry's balance check ({@code available = received - reserved - sold}) true
     * through administrators' adjustments.
     */
    @Override
    public StockLevel setAvailable(Principal caller, long productId, int available) {
        if (!caller.isAdmin()) {
            throw ProblemException.forbidden("only an administrator may change stock");
        }
        if (available < 0 || available > MAX_AVAILABLE) {
            throw ProblemException.badRequest("available must be 0 to " + MAX_AVAILABLE + ", was " + available);
        }
        StockLevel level = Transactions.inTransaction(db, "change stock", tx -> {
            if (!StockTable.setAvailable(tx, productId, available)) {
                throw ProblemException.notFound("no stock is kept for product " + productId);
            }
            return InventoryWorker.levels(tx, List.of(productId)).getFirst();
        });
        cache(level);
        return level;
    }

    private void cache(StockLevel level) {
        levels.put(level.productId(), Optional.of(level));
    }
}
