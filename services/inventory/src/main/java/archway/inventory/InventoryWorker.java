package archway.inventory;

import archway.bus.Event;
import archway.bus.EventHandler;
import archway.bus.Outbox;
import archway.bus.Payloads;
import archway.bus.ProcessedEvents;
import archway.order.OrderEvents;
import archway.store.Transactions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inventory side of the saga (consumer group {@value #GROUP}, on the order events):
 * reserves the lines of a placed order, or rejects it when one cannot be had; commits the
 * reservation of a confirmed order and releases that of a rejected one.
 *
 * <p>Each event is one transaction that also records its id, so a redelivery changes
 * nothing. A reservation takes every line or none: the lines are taken in product order
 * (concurrent orders lock stock rows in the same order, so they cannot deadlock), and the
 * first short line rolls all of them back.
 *
 * <p>Stock is written through: each transaction that changes a product's stock also appends
 * its new level ({@code StockChanged}) to the outbox, and once it commits the level goes into
 * this instance's stock cache; the other instances put it into theirs from the event.
 */
final class InventoryWorker implements EventHandler {

    static final String GROUP = "inventory";
    private static final Logger LOG = LoggerFactory.getLogger(InventoryWorker.class);

    private final DataSource db;
    private final Consumer<StockLevel> written;

    /** @param written receives each new level once its transaction committed (the write-through cache) */
    InventoryWorker(DataSource db, Consumer<StockLevel> written) {
        this.db = db;
        this.written = written;
    }

    /** The result of a reservation: the product that was short (none when reserved), the levels written. */
    private record Reserved(Long shortLine, List<StockLevel> levels) {
    }

    @Override
    public void handle(Event event) {
        switch (event.type()) {
            case OrderEvents.ORDER_PLACED -> reserve(event, Payloads.read(event, OrderEvents.OrderPlaced.class));
            case OrderEvents.ORDER_CONFIRMED -> once(event, "commit a reservation",
                    tx -> StockTable.commit(tx, Payloads.required(event, "order_id",
                            Payloads.read(event, OrderEvents.OrderConfirmed.class).orderId())));
            case OrderEvents.ORDER_REJECTED -> once(event, "release a reservation",
                    tx -> StockTable.release(tx, Payloads.required(event, "order_id",
                            Payloads.read(event, OrderEvents.OrderRejected.class).orderId()))
                            .stream().map(StockTable.Reservation::productId).toList());
            default -> {
                // another step of the saga: nothing for inventory to do
            }
        }
    }

    private void reserve(Event event, OrderEvents.OrderPlaced order) {
        Payloads.required(event, "order_id", order.orderId());
        List<OrderEvents.Line> lines = Payloads.required(event, "items", order.items()).stream().sorted(Comparator.comparingLong(OrderEvents.Line::productId)).toList();
        Reserved done = Transactions.inTransaction(db, "reserve stock", tx -> {
            if (!ProcessedEvents.markProcessed(tx, GROUP, event.id())) {
                return new Reserved(null, List.of());
            }
            for (OrderEvents.Line line : lines) {
                if (!StockTable.take(tx, line.productId(), line.quantity())) {
                    tx.rollback(); // none of the lines is held, and the event is not recorded any more
                    return new Reserved(reject(tx, event, order.orderId(), line.productId()) ? line.productId() : null, List.of());
                }
                StockTable.reserve(tx, order.orderId(), line.productId(), line.quantity());
            }
            Outbox.append(tx, reply(event, OrderEvents.STOCK_RESERVED, new OrderEvents.StockReserved(order.orderId())));
            return new Reserved(null, levels(tx, lines.stream().map(OrderEvents.Line::productId).toList()));
        });
        done.levels().forEach(written);
        if (done.shortLine() != null) {
            LOG.info("order {} rejected: product {} is short", order.orderId(), done.shortLine());
        }
    }

    /**
     * Records the event and replies {@code StockRejected}, unless another member of the group
     * recorded the event in the moment since the rollback (after a rebalance): then that one's
     * answer stands, and this one adds nothing.
     *
     * @return whether this call rejected the order
     */
    private static boolean reject(Connection tx, Event event, UUID orderId, long productId) throws SQLException {
        if (!ProcessedEvents.markProcessed(tx, GROUP, event.id())) {
            return false;
        }
        Outbox.append(tx, reply(event, OrderEvents.STOCK_REJECTED, new OrderEvents.StockRejected(orderId, productId)));
        return true;
    }

    /** Runs {@code work} unless the event was handled already, and writes the levels of the products it changed. */
    private void once(Event event, String action, Transactions.Work<List<Long>> work) {
        List<StockLevel> levels = Transactions.inTransaction(db, action, tx ->
                ProcessedEvents.markProcessed(tx, GROUP, event.id()) ? levels(tx, work.run(tx)) : List.<StockLevel>of());
        levels.forEach(written);
    }

    /** The new levels of {@code products}, each appended to the outbox as {@code StockChanged} within {@code tx}. */
    static List<StockLevel> levels(Connection tx, Collection<Long> products) throws SQLException {
        List<StockLevel> levels = new ArrayList<>();
        for (long product : new TreeSet<>(products)) {
            StockLevel level = StockTable.level(tx, product).orElseThrow();
            StockEvents.append(tx, level);
            levels.add(level);
        }
        return levels;
    }

    private static Event reply(Event cause, String type, Object payload) {
        return Event.of(OrderEvents.INVENTORY_TOPIC, cause.key(), type, Payloads.write(payload), cause.headers());
    }
}
