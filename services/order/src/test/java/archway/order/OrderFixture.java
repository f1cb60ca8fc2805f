package archway.order;

import archway.bus.Event;
import archway.bus.Outbox;
import archway.catalog.CatalogApi;
import archway.catalog.Category;
import archway.catalog.Money;
import archway.catalog.Product;
import archway.catalog.ProductChange;
import archway.catalog.ProductCursorPage;
import archway.catalog.ProductCursorQuery;
import archway.catalog.ProductImage;
import archway.catalog.ProductPage;
import archway.catalog.ProductQuery;
import archway.catalog.ProductViews;
import archway.platform.auth.Principal;
import archway.platform.problem.ProblemException;
import archway.store.Store;
import archway.store.embedded.EmbeddedPostgres;
import archway.store.embedded.TestPostgres;
import archway.store.postgres.PostgresStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * An order service on embedded PostgreSQL, pricing from an in-memory catalog, on a clock
 * that moves a second at every reading; and what a test inspects around it (the outbox, the
 * tables).
 */
final class OrderFixture implements AutoCloseable {

    /** A W3C trace context, as a request would carry it into the order's events. */
    static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    /** The products of the catalog: ids 1 to 9 at {@code id * 100} cents, and {@value #EURO_PRODUCT} in euros. */
    static final long EURO_PRODUCT = 10;

    private final EmbeddedPostgres postgres;
    private final Store store;
    private final LocalOrderService orders;

    private OrderFixture(EmbeddedPostgres postgres) {
        this.postgres = postgres;
        this.store = PostgresStore.open(postgres.storeConfig(8));
        this.orders = new LocalOrderService(store, new FixedCatalog(), new SteppingClock());
    }

    static OrderFixture start(Path folder) {
        return new OrderFixture(TestPostgres.start(folder));
    }

    LocalOrderService orders() {
        return orders;
    }

    /** A customer nobody else in the test run is. */
    static Principal customer() {
        String id = UUID.randomUUID().toString();
        return new Principal(id, id + "@example.com", Set.of("customer"));
    }

    static OrderRequest request(long productId, int quantity) {
        return new OrderRequest(List.of(new OrderRequest.Item(productId, quantity)), null);
    }

    /** Places an order of two lines (product 1 twice, product 3 once: 500 cents) under a new key. */
    OrderApi.Placement place(Principal customer, String paymentToken) {
        OrderRequest request = new OrderRequest(List.of(new OrderRequest.Item(1, 2), new OrderRequest.Item(3, 1)), paymentToken);
        return orders.place(customer, UUID.randomUUID().toString(), request, Map.of(Event.TRACEPARENT, TRACEPARENT));
    }

    /** The events in the outbox about one order (keyed by its id), in the order they were written. */
    List<Event> outbox(UUID orderId) {
        return Outbox.waiting(db(), orderId.toString());
    }

    /** The one number a query such as {@code SELECT count(*) ...} answers, with {@code parameters} bound in order. */
    long count(String sql, Object... parameters) {
        try (Connection c = db().getConnection(); PreparedStatement select = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                select.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private DataSource db() {
        return store.schema(OrderApi.SCHEMA);
    }

    @Override
    public void close() {
        store.close();
        postgres.close();
    }

    /** The catalog is not under test here: a few products, priced as {@link #EURO_PRODUCT} says. */
    private static final class FixedCatalog implements CatalogApi {

        @Override
        public Product product(long id) {
            if (id < 1 || id > EURO_PRODUCT) {
                throw ProblemException.notFound("no product with id " + id);
            }
            Money price = id == EURO_PRODUCT ? new Money(999, "EUR") : Money.usd(id * 100);
            return Product.of(id, "SKU-" + id, "Product " + id, "A product", "Books", price, 10);
        }

        @Override
        public ProductPage products(ProductQuery query) {
            throw new UnsupportedOperationException("the order service only looks products up by id");
        }

        @Override
        public ProductCursorPage productsAfter(ProductCursorQuery query) {
            throw new UnsupportedOperationException("the order service only looks products up by id");
        }

        @Override
        public List<Category> categories() {
            throw new UnsupportedOperationException("the order service only looks products up by id");
        }

        @Override
        public ProductImage image(long id) {
            throw new UnsupportedOperationException("the order service only looks products up by id");
        }

        @Override
        public Product change(Principal caller, long id, ProductChange change) {
            throw new UnsupportedOperationException("the order service only looks products up by id");
        }

        @Override
        public void countView(long id) {
            throw new UnsupportedOperationException("the order service only looks products up by id");
        }

        @Override
        public ProductViews views(long id) {
            throw new UnsupportedOperationException("the order service only looks products up by id");
        }
    }

    /** A clock that moves one second forward at every reading, so each order is newer than the one before. */
    private static final class SteppingClock extends Clock {

        private final AtomicLong seconds = new AtomicLong(Instant.parse("2030-01-01T00:00:00Z").getEpochSecond());

        @Override
        public Instant instant() {
            return Instant.ofEpochSecond(seconds.getAndIncrement());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
