package archway.order;

import archway.catalog.Money;
import java.util.List;
import java.util.UUID;

/**
 * The events of the order saga, as the order service writes them to topic
 * {@value #TOPIC} and reads the replies of inventory ({@value #INVENTORY_TOPIC}) and payment
 * ({@value #PAYMENTS_TOPIC}). Every event is keyed by the order id, so the events of one
 * order keep their order on each topic.
 *
 * <pre>
 *   POST -> OrderPlaced ----------> inventory: reserve stock
 *           StockReserved <-------- (or StockRejected -> REJECTED out_of_stock)
 *           ChargeRequested ------> payment: charge the card at the provider
 *           PaymentCaptured <------ (or PaymentDeclined -> REJECTED payment_declined)
 *   PAID, CONFIRMED: OrderConfirmed -> inventory (commit), notification, analytics
 *   REJECTED:        OrderRejected  -> inventory (release), notification
 * </pre>
 *
 * <p>This class is the saga's whole event contract, so the services that take part
 * (inventory, payment, notification, analytics) read and write these types. Payloads are
 * read tolerantly: consumers keep the fields they use, and producers may add facts.
 */
public final class OrderEvents {

    /** What the order service publishes. */
    public static final String TOPIC = "orders";
    /** Inventory's replies: {@code StockReserved}, {@code StockRejected}. */
    public static final String INVENTORY_TOPIC = "inventory";
    /** Payment's replies: {@code PaymentCaptured}, {@code PaymentDeclined}. */
    public static final String PAYMENTS_TOPIC = "payments";

    public static final String ORDER_PLACED = "OrderPlaced";
    public static final String CHARGE_REQUESTED = "ChargeRequested";
    public static final String ORDER_CONFIRMED = "OrderConfirmed";
    public static final String ORDER_REJECTED = "OrderRejected";
    public static final String STOCK_RESERVED = "StockReserved";
    public static final String STOCK_REJECTED = "StockRejected";
    public static final String PAYMENT_CAPTURED = "PaymentCaptured";
    public static final String PAYMENT_DECLINED = "PaymentDeclined";

    /** Reasons of a rejection, as the order's {@code reason} shows them. */
    public static final String OUT_OF_STOCK = "out_of_stock";
    public static final String PAYMENT_DECLINED_REASON = "payment_declined";

    private OrderEvents() {
    }

    /** A line of an order event: product and quantity. */
    public record Line(long productId, int quantity) {
    }

    /** A new order to fill: reserve its lines. */
    public record OrderPlaced(UUID orderId, String userId, List<Line> items, Money total) {
    }

    /** Stock is reserved: charge the total with the order's token. */
    public record ChargeRequested(UUID orderId, String userId, Money amount, String paymentToken) {
    }

    /** Terminal: paid and confirmed. */
    public record OrderConfirmed(UUID orderId, String userId, List<Line> items, Money total) {
    }

    /** Terminal: rejected, with the reason. */
    public record OrderRejected(UUID orderId, String userId, String reason, List<Line> items, Money total) {
    }

    /** Inventory's reply: every line is reserved. */
    public record StockReserved(UUID orderId) {
    }

    /** Inventory's reply: a line cannot be had; nothing is reserved. */
    public record StockRejected(UUID orderId, long productId) {
    }

    /** Payment's reply: the provider charged the amount. */
    public record PaymentCaptured(UUID orderId, String chargeId, Money amount) {
    }

    /** Payment's reply: the provider declined the card; nothing was charged. */
    public record PaymentDeclined(UUID orderId, String chargeId, String declineCode) {
    }

    /** A reply about one order, from inventory or payment, as the order service reads it: only its id. */
    record Reply(UUID orderId) {
    }
}
