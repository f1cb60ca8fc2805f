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
import java.util.Comparator;
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
 */
final class InventoryWorker implements EventHandler {

    static final String GROUP = "inventory";
    private static final Logger LOG = LoggerFactory.getLogger(InventoryWorker.class);

    private final DataSource db;

    InventoryWorker(DataSource db) {
        this.db = db;
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
                            Payloads.read(event, OrderEvents.OrderRejected.class).orderId())));
            default -> {
                // another step of the saga: nothing for inventory to do
            }
        }
    }

    private void reserve(Event event, OrderEvents.OrderPlaced order) {
        Payloads.required(event, "order_id", order.orderId());
        List<OrderEvents.Line> lines = Payloads.required(event, "items", order.items()).stream().sorted(Comparator.comparingLong(OrderEvents.Line::productId)).toList();
        Long shortLine = Transactions.inTransaction(db, "reserve stock", tx -> {
            if (!ProcessedEvents.markProcessed(tx, GROUP, event.id())) {
                return null;
            }
            for (OrderEvents.Line line : lines) {
                if (!StockTable.take(tx, line.productId(), line.quantity())) {
                    tx.rollback(); // none of the lines is held, and the event is not recorded any more
                    return reject(tx, event, order.orderId(), line.productId()) ? line.productId() : null;
                }
                StockTable.reserve(tx, order.orderId(), line.productId(), line.quantity());
            }
            Outbox.append(tx, reply(event, OrderEvents.STOCK_RESERVED, new OrderEvents.StockReserved(order.orderId())));
            return null;
        });
        if (shortLine != null) {
            LOG.info("order {} rejected: product {} is short", order.orderId(), shortLine);
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

    private void once(Event event, String action, Transactions.Work<?> work) {
        Transactions.inTransaction(db, action, tx -> {
            if (ProcessedEvents.markProcessed(tx, GROUP, event.id())) {
                work.run(tx);
            }
            return null;
        });
    }

    private static Event reply(Event cause, String type, Object payload) {
        return Event.of(OrderEvents.INVENTORY_TOPIC, cause.key(), type, Payloads.write(payload), cause.headers());
    }
}
