package archway.inventory;

import archway.bus.Event;
import archway.bus.EventHandler;
import archway.bus.Outbox;
import archway.bus.Payloads;
import archway.bus.Subscription;
import archway.cache.CachePlan;
import archway.cache.caffeine.CaffeineCaches;
import archway.catalog.Money;
import archway.order.OrderEvents;
import archway.platform.auth.Principal;
import archway.store.Store;
import archway.store.embedded.EmbeddedPostgres;
import archway.store.embedded.TestPostgres;
import archway.store.postgres.PostgresStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * An inventory service on embedded PostgreSQL, its saga worker, the order events it reads,
 * and what a test inspects around it (its replies in the outbox, the stock tables). Each
 * test stocks products of its own ({@link #stocked}).
 */
final class InventoryFixture implements AutoCloseable {

    static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    static final Principal ADMIN = new Principal("admin-1", "admin@example.com", Set.of(Principal.ADMIN, "customer"));
    static final Principal CUSTOMER = new Principal("customer-1", "ann@example.com", Set.of("customer"));

    private final EmbeddedPostgres postgres;
    private final List<Store> stores = new ArrayList<>();
    private final LocalInventoryService inventory;
    private final EventHandler worker;
    private final AtomicLong products = new AtomicLong(1_000);

    private InventoryFixture(EmbeddedPostgres postgres) {
        this.postgres = postgres;
        this.inventory = instance("");
        this.worker = inventory.subscription(Subscription.Retry.DEFAULT).handler();
    }

    static InventoryFixture start(Path folder) {
        return new InventoryFixture(TestPostgres.start(folder));
    }

    LocalInventoryService inventory() {
        return inventory;
    }

    EventHandler worker() {
        return worker;
    }

    /** Another inventory service, on a store of its own: instances with the same prefix share their inventory. */
    LocalInventoryService instance(String schemaPrefix) {
        return new LocalInventoryService(store(schemaPrefix), new CaffeineCaches(new SimpleMeterRegistry()), CachePlan.defaults());
    }

    /** A store of its own, on the fixture's database. */
    Store store(String schemaPrefix) {
        Store store = PostgresStore.open(postgres.storeConfig(10).withSchemaPrefix(schemaPrefix));
        stores.add(store);
        return store;
    }

    /** A product no other test uses, stocked with {@code units}. */
    long stocked(int units) {
        long id = products.incrementAndGet();
        update("INSERT INTO stock (product_id, received, available) VALUES (?, ?, ?)", id, units, units);
        return id;
    }

    static OrderEvents.Line line(long productId, int quantity) {
        return new OrderEvents.Line(productId, quantity);
    }

    static Event placed(UUID orderId, OrderEvents.Line... lines) {
        return event(orderId, OrderEvents.ORDER_PLACED, new OrderEvents.OrderPlaced(orderId, "customer-1", List.of(lines), Money.usd(100)));
    }

    static Event confirmed(UUID orderId) {
        return event(orderId, OrderEvents.ORDER_CONFIRMED, new OrderEvents.OrderConfirmed(orderId, "customer-1", List.of(), Money.usd(100)));
    }

    static Event rejected(UUID orderId) {
        return event(orderId, OrderEvents.ORDER_REJECTED,
                new OrderEvents.OrderRejected(orderId, "customer-1", OrderEvents.PAYMENT_DECLINED_REASON, List.of(), Money.usd(100)));
    }

    private static Event event(UUID orderId, String type, Object payload) {
        return Event.of(OrderEvents.TOPIC, orderId.toString(), type, Payloads.write(payload), Map.of(Event.TRACEPARENT, TRACEPARENT));
    }

    /** The inventory's replies about one order, in the order they were written. */
    List<Event> replies(UUID orderId) {
        return Outbox.waiting(db(), orderId.toString());
    }

    /**
     * What the operations entry's check compares: every unit ever put on hand for a product,
     * and the units its reservations hold (reserved or sold); {@code available} must be their difference.
     */
    record Books(long received, long held) {
    }

    Books books(long productId) {
        try (Connection c = db().getConnection(); PreparedStatement select = c.prepareStatement("SELECT s.received, "
                + "coalesce((SELECT sum(quantity) FROM reservations r WHERE r.product_id = s.product_id "
                + "AND r.state IN ('RESERVED', 'COMMITTED')), 0) FROM stock s WHERE s.product_id = ?")) {
            select.setLong(1, productId);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return new Books(rs.getLong(1), rs.getLong(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Changes what is available in the store only, as if behind every cache's back. */
    void overwriteAvailable(long productId, int available) {
        update("UPDATE stock SET available = ? WHERE product_id = ?", available, productId);
    }

    /** The stock events of one product still in the outbox, oldest first. */
    List<Event> stockEvents(long productId) {
        return Outbox.waiting(db(), Long.toString(productId));
    }

    private void update(String sql, Object... parameters) {
        try (Connection c = db().getConnection(); PreparedStatement update = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                update.setObject(i + 1, parameters[i]);
            }
            update.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private DataSource db() {
        return inventory.outbox();
    }

    @Override
    public void close() {
        stores.forEach(Store::close);
        postgres.close();
    }
}
