package archway.payment;

import archway.bus.Event;
import archway.bus.EventHandler;
import archway.bus.Outbox;
import archway.bus.Payloads;
import archway.bus.PoisonEventException;
import archway.bus.ProcessedEvents;
import archway.order.OrderEvents;
import archway.store.Transactions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import javax.sql.DataSource;

/**
 * The payment side of the saga (consumer group {@value #GROUP}, on the order events):
 * charges a {@code ChargeRequested} at the card processor and replies
 * {@code PaymentCaptured} or {@code PaymentDeclined}.
 *
 * <h2>Design notes: never charging twice</h2>
 * The call to the processor cannot share a transaction with the reply, so a crash can fall
 * between the two: the event then comes again and the processor is called again. The
 * idempotency key of the call is derived from the order ({@code order-<id>}), so that second
 * call answers the first charge instead of making another. A processor that is down or
 * slow throws {@link CardProcessor.ProcessorUnavailableException}, which the bus retries
 * with back-off (same key again); one that refuses the request is a poison event for the
 * dead-letter topic.
 */
final class PaymentWorker implements EventHandler {

    static final String GROUP = "payment";

    private final DataSource db;
    private final CardProcessor processor;
    private final Counter captured;
    private final Counter declined;

    PaymentWorker(DataSource db, CardProcessor processor, MeterRegistry registry) {
        this.db = db;
        this.processor = processor;
        this.captured = Counter.builder("payment.charges").tag("outcome", "captured").register(registry);
        this.declined = Counter.builder("payment.charges").tag("outcome", "declined").register(registry);
    }

    /** The key the order's charge is made under, the same on every attempt. */
    static String idempotencyKey(OrderEvents.ChargeRequested request) {
        return "order-" + request.orderId();
    }

    @Override
    public void handle(Event event) {
        if (!event.type().equals(OrderEvents.CHARGE_REQUESTED)) {
            return;
        }
        OrderEvents.ChargeRequested request = Payloads.read(event, OrderEvents.ChargeRequested.class);
        if (request.orderId() == null || request.amount() == null || request.paymentToken() == null) {
            throw new PoisonEventException("ChargeRequested " + event.id() + " lacks order_id, amount or payment_token");
        }
        if (handledBefore(event)) {
            return; // redelivered after its reply committed: do not even ask the processor
        }
        CardProcessor.Charge charge;
        try {
            charge = processor.charge(new CardProcessor.ChargeRequest(request.amount().amount(), request.amount().currency(),
                    request.paymentToken(), request.orderId().toString()), idempotencyKey(request), event.headers());
        } catch (CardProcessor.ChargeRefusedException e) {
            throw new PoisonEventException(e.getMessage(), e);
        }
        Transactions.inTransaction(db, "record a charge", tx -> {
            if (!ProcessedEvents.markProcessed(tx, GROUP, event.id())) {
                return null;
            }
            try (PreparedStatement insert = tx.prepareStatement("INSERT INTO payments (order_id, charge_id, status, amount, "
                    + "currency) VALUES (?, ?, ?, ?, ?) ON CONFLICT (order_id) DO NOTHING")) {
                insert.setObject(1, request.orderId());
                insert.setString(2, charge.id());
                insert.setString(3, charge.approved() ? "captured" : "declined");
                insert.setLong(4, charge.amount());
                insert.setString(5, charge.currency());
                insert.executeUpdate();
            }
            Object reply = charge.approved()
                    ? new OrderEvents.PaymentCaptured(request.orderId(), charge.id(), request.amount())
                    : new OrderEvents.PaymentDeclined(request.orderId(), charge.id(), charge.declineCode());
            String type = charge.approved() ? OrderEvents.PAYMENT_CAPTURED : OrderEvents.PAYMENT_DECLINED;
            Outbox.append(tx, Event.of(OrderEvents.PAYMENTS_TOPIC, event.key(), type, Payloads.write(reply), event.headers()));
            return null;
        });
        (charge.approved() ? captured : declined).increment();
    }

    private boolean handledBefore(Event event) {
        return Transactions.inTransaction(db, "look up an event", tx -> {
            try (PreparedStatement select = tx.prepareStatement(
                    "SELECT 1 FROM processed_events WHERE consumer = ? AND event_id = ?")) {
                select.setString(1, GROUP);
                select.setString(2, event.id());
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }
}
