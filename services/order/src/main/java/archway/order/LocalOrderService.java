package archway.order;

import archway.bus.Event;
import archway.bus.Subscription;
import archway.bus.Outbox;
import archway.bus.Payloads;
import archway.bus.ProcessedEvents;
import archway.catalog.CatalogApi;
import archway.catalog.Money;
import archway.catalog.Product;
import archway.platform.auth.Principal;
import archway.platform.problem.ProblemException;
import archway.platform.server.PageRequest;
import archway.store.Store;
import archway.store.Transactions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The order service in this process: orders in the {@value OrderApi#SCHEMA} schema, their
 * events in its outbox, prices from the catalog.
 *
 * <p>Acceptance is one transaction: the order, its lines, the first history entry and the
 * {@code OrderPlaced} event are written together, so an order answered with {@code 202}
 * is durable and its event will be published (and an order that failed to write sends no
 * event). The idempotency key is unique per user in the same table, so two concurrent
 * POSTs with one key make one order.
 */
public final class LocalOrderService implements OrderApi {

    private final DataSource db;
    private final CatalogApi catalog;
    private final Clock clock;
    private final OrderSaga saga;

    /** Migrates the service's schema in {@code store} if needed and creates its outbox. */
    public LocalOrderService(Store store, CatalogApi catalog, Clock clock) {
        this.db = store.schema(SCHEMA);
        this.catalog = catalog;
        this.clock = clock;
        Outbox.createTable(db);
        ProcessedEvents.createTable(db);
        this.saga = new OrderSaga(db, clock);
    }

    /** The data source of the schema, whose outbox the bus relays. */
    public DataSource outbox() {
        return db;
    }

    /** The consumer group of the saga this service runs, with what it does with each event. */
    public Subscription subscription(Subscription.Retry retry) {
        return new Subscription(OrderSaga.GROUP, List.of(OrderEvents.INVENTORY_TOPIC, OrderEvents.PAYMENTS_TOPIC), saga, retry);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The common case is one transaction: the insert itself tells a new key from a used one
     * (the key is unique per user), and only a used key costs a second look, to compare the
     * requests.
     */
    @Override
    public Placement place(Principal caller, String idempotencyKey, OrderRequest request, Map<String, String> context) {
        String digest = digest(request);
        List<Order.Line> lines;
        try {
            lines = price(request);
        } catch (ProblemException e) {
            // a retry of an order accepted before answers that order, whatever the catalog says now
            return earlier(caller, idempotencyKey, digest).orElseThrow(() -> e);
        }
        String currency = lines.getFirst().unitPrice().currency();
        long total = 0;
        for (Order.Line line : lines) {
            if (!line.unitPrice().currency().equals(currency)) {
                throw ProblemException.badRequest("items must all be priced in one currency");
            }
            total = Math.addExact(total, line.lineTotal().amount());
        }
        Instant now = now();
        OrderTable.Row row = new OrderTable.Row(UUID.randomUUID(), caller.subject(), OrderStatus.PENDING, null,
                new Money(total, currency), request.paymentToken(), digest, now, now);
        boolean created = Transactions.inTransaction(db, "place an order", tx -> {
            if (!OrderTable.insert(tx, row, idempotencyKey, lines)) {
                return false; // the key was used before, or a concurrent request with it won
            }
            Outbox.append(tx, Event.of(OrderEvents.TOPIC, row.id().toString(), OrderEvents.ORDER_PLACED,
                    Payloads.write(new OrderEvents.OrderPlaced(row.id(), row.userId(), eventLines(lines), row.total())),
                    context));
            return true;
        });
        if (!created) {
            return earlier(caller, idempotencyKey, digest).orElseThrow(
                    () -> new IllegalStateException("order with key " + idempotencyKey + " vanished after a conflict"));
        }
        Order order = new Order(row.id(), row.status(), null, lines, row.total(), now, now,
                List.of(new Order.Change(OrderStatus.PENDING, null, now)));
        return new Placement(order, true);
    }

    private Optional<Placement> earlier(Principal caller, String idempotencyKey, String digest) {
        Optional<OrderTable.Row> earlier = Transactions.inTransaction(db, "look up an idempotency key",
                tx -> OrderTable.byKey(tx, caller.subject(), idempotencyKey));
        if (earlier.isEmpty()) {
            return Optional.empty();
        }
        if (!earlier.get().requestDigest().equals(digest)) {
            throw ProblemException.unprocessable("this Idempotency-Key was used for a different order; "
                    + "use a new key for a new order");
        }
        return Optional.of(new Placement(read(earlier.get().id()).orElseThrow(), false));
    }

    /** The lines at the catalog's current prices; an unknown product is the client's mistake ({@code 400}). */
    private List<Order.Line> price(OrderRequest request) {
        List<Order.Line> lines = new ArrayList<>();
        for (OrderRequest.Item item : request.items()) {
            Product product;
            try {
                product = catalog.product(item.productId());
            } catch (ProblemException e) {
                if (e.problem().status() == 404) {
                    throw ProblemException.badRequest("items: there is no product with id " + item.productId());
                }
                throw e;
            }
            Money unit = product.price();
            lines.add(new Order.Line(product.id(), product.name(), item.quantity(), unit,
                    new Money(Math.multiplyExact(unit.amount(), item.quantity()), unit.currency())));
        }
        return lines;
    }

    @Override
    public Order order(Principal caller, UUID id) {
        return read(id)
                .filter(order -> owns(caller, id))
                .orElseThrow(() -> ProblemException.notFound("no order with id " + id));
    }

    private boolean owns(Principal caller, UUID id) {
        Optional<OrderTable.Row> row = Transactions.inTransaction(db, "read an order", tx -> OrderTable.byId(tx, id));
        return row.isPresent() && row.get().userId().equals(caller.subject());
    }

    @Override
    public OrderPage orders(Principal caller, PageRequest page) {
        return Transactions.inTransaction(db, "list orders", tx -> {
            long total = OrderTable.countOf(tx, caller.subject());
            List<Order> orders = new ArrayList<>();
            for (UUID id : OrderTable.idsOf(tx, caller.subject(), page.size(), page.offset())) {
                read(tx, id).ifPresent(orders::add);
            }
            return new OrderPage(orders, page.page(), page.size(), total);
        });
    }

    private Optional<Order> read(UUID id) {
        return Transactions.inTransaction(db, "read an order", tx -> read(tx, id));
    }

    private static Optional<Order> read(Connection c, UUID id) throws SQLException {
        Optional<OrderTable.Row> found = OrderTable.byId(c, id);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        OrderTable.Row row = found.get();
        return Optional.of(new Order(row.id(), row.status(), row.reason(), OrderTable.lines(c, id, row.total().currency()),
                row.total(), row.createdAt(), row.updatedAt(), OrderTable.history(c, id)));
    }

    static List<OrderEvents.Line> eventLines(List<Order.Line> lines) {
        return lines.stream().map(line -> new OrderEvents.Line(line.productId(), line.quantity())).toList();
    }

    private Instant now() {
        // PostgreSQL keeps microseconds: the answer shows what a later read shows
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /** A digest of what the request asks for, to tell a retry of it from another order under the same key. */
    private static String digest(OrderRequest request) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(Payloads.write(request).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
