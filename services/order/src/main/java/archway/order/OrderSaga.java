package archway.order;

import archway.bus.Event;
import archway.bus.EventHandler;
import archway.bus.Outbox;
import archway.bus.Payloads;
import archway.bus.PoisonEventException;
import archway.bus.ProcessedEvents;
import archway.store.Transactions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The order side of the saga (consumer group {@value #GROUP}): moves an order along on the
 * replies of inventory and payment, and publishes the next step through the outbox.
 *
 * <p>Each reply is handled in one transaction that records the event id, locks the order,
 * checks the order is where the reply expects it, changes it and appends the next event: a
 * redelivered reply finds its id recorded and changes nothing, and a reply that comes too
 * late for the order's state (a terminal order never changes) is recorded and ignored.
 */
final class OrderSaga implements EventHandler {

    static final String GROUP = "order";
    private static final Logger LOG = LoggerFactory.getLogger(OrderSaga.class);

    private final DataSource db;
    private final Clock clock;

    OrderSaga(DataSource db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public void handle(Event event) {
        switch (event.type()) {
            case OrderEvents.STOCK_RESERVED -> step(event, (tx, order, at) -> Outbox.append(tx, next(event,
                    OrderEvents.CHARGE_REQUESTED, new OrderEvents.ChargeRequested(order.id(), order.userId(), order.total(),
                            order.paymentToken()))));
            case OrderEvents.STOCK_REJECTED -> step(event, (tx, order, at) -> reject(tx, event, order, OrderEvents.OUT_OF_STOCK, at));
            case OrderEvents.PAYMENT_CAPTURED -> step(event, (tx, order, at) -> confirm(tx, event, order, at));
            case OrderEvents.PAYMENT_DECLINED -> step(event, (tx, order, at) -> reject(tx, event, order,
                    OrderEvents.PAYMENT_DECLINED_REASON, at));
            default -> {
                // not a reply the order service waits for
            }
        }
    }

    private interface Step {
        void apply(Connection tx, OrderTable.Row order, Instant at) throws SQLException;
    }

    private void step(Event event, Step step) {
        OrderEvents.Reply reply = Payloads.read(event, OrderEvents.Reply.class);
        if (reply.orderId() == null) {
            throw new PoisonEventException(event.type() + " " + event.id() + " names no order_id");
        }
        Transactions.inTransaction(db, "handle " + event.type(), tx -> {
            if (!ProcessedEvents.markProcessed(tx, GROUP, event.id())) {
                return null;
            }
            OrderTable.Row order = OrderTable.lock(tx, reply.orderId()).orElseThrow(() -> new PoisonEventException(
                    event.type() + " " + event.id() + " is about order " + reply.orderId() + ", which does not exist"));
            if (order.status() != OrderStatus.PENDING) {
                LOG.info("order {} is {} already; {} {} ignored", order.id(), order.status(), event.type(), event.id());
                return null;
            }
            step.apply(tx, order, clock.instant().truncatedTo(ChronoUnit.MICROS));
            return null;
        });
    }

    private static void confirm(Connection tx, Event cause, OrderTable.Row order, Instant at) throws SQLException {
        OrderTable.changeStatus(tx, order.id(), OrderStatus.PAID, null, at);
        OrderTable.changeStatus(tx, order.id(), OrderStatus.CONFIRMED, null, at);
        Outbox.append(tx, next(cause, OrderEvents.ORDER_CONFIRMED, new OrderEvents.OrderConfirmed(order.id(), order.userId(),
                lines(tx, order), order.total())));
    }

    private static void reject(Connection tx, Event cause, OrderTable.Row order, String reason, Instant at) throws SQLException {
        OrderTable.changeStatus(tx, order.id(), OrderStatus.REJECTED, reason, at);
        Outbox.append(tx, next(cause, OrderEvents.ORDER_REJECTED, new OrderEvents.OrderRejected(order.id(), order.userId(),
                reason, lines(tx, order), order.total())));
    }

    private static List<OrderEvents.Line> lines(Connection tx, OrderTable.Row order) throws SQLException {
        return LocalOrderService.eventLines(OrderTable.lines(tx, order.id(), order.total().currency()));
    }

    /** The next event of the saga, keyed by the order and carrying the trace of the request that began it. */
    private static Event next(Event cause, String type, Object payload) {
        return Event.of(OrderEvents.TOPIC, cause.key(), type, Payloads.write(payload), cause.headers());
    }
}
