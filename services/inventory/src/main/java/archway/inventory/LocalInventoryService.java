package archway.inventory;

import archway.bus.Subscription;
import archway.bus.Outbox;
import archway.bus.ProcessedEvents;
import archway.order.OrderEvents;
import archway.platform.auth.Principal;
import archway.platform.problem.ProblemException;
import archway.store.Store;
import archway.store.Transactions;
import java.sql.PreparedStatement;
import java.util.Map;
import java.util.function.Supplier;
import java.util.List;
import javax.sql.DataSource;

/**
 * The inventory service in this process: stock and reservations in the
 * {@value InventoryApi#SCHEMA} schema, its replies to the saga in its outbox.
 */
public final class LocalInventoryService implements InventoryApi {

    /** The most units one product may be stocked with. */
    public static final int MAX_AVAILABLE = 1_000_000;

    private final DataSource db;
    private final InventoryWorker worker;

    /** Migrates the service's schema in {@code store} if needed and creates its outbox. */
    public LocalInventoryService(Store store) {
        this.db = store.schema(SCHEMA);
        Outbox.createTable(db);
        ProcessedEvents.createTable(db);
        this.worker = new InventoryWorker(db);
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

    @Override
    public StockLevel stock(long productId) {
        return Transactions.inTransaction(db, "read stock", tx -> StockTable.level(tx, productId))
                .orElseThrow(() -> ProblemException.notFound("no stock is kept for product " + productId));
    }

    @Override
    public StockLevel setAvailable(Principal caller, long productId, int available) {
        if (!caller.isAdmin()) {
            throw ProblemException.forbidden("only an administrator may change stock");
        }
        if (available < 0 || available > MAX_AVAILABLE) {
            throw ProblemException.badRequest("available must be 0 to " + MAX_AVAILABLE + ", was " + available);
        }
        return Transactions.inTransaction(db, "change stock", tx -> {
            if (!StockTable.setAvailable(tx, productId, available)) {
                throw ProblemException.notFound("no stock is kept for product " + productId);
            }
            return StockTable.level(tx, productId).orElseThrow();
        });
    }
}
