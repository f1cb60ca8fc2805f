package archway.notification;

import archway.bus.Event;
import archway.bus.EventHandler;
import archway.bus.Payloads;
import archway.bus.ProcessedEvents;
import archway.bus.Subscription;
import archway.catalog.Money;
import archway.order.OrderEvents;
import archway.platform.auth.Principal;
import archway.platform.server.PageRequest;
import archway.store.Store;
import archway.store.Transactions;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The notification service in this process: writes an e-mail to the mailbox store (the
 * {@value NotificationApi#SCHEMA} schema) when an order is confirmed or rejected (consumer
 * group {@value #GROUP}), and lists a customer's mail.
 */
public final class LocalNotificationService implements NotificationApi, EventHandler {

    static final String GROUP = "notification";

    private final DataSource db;

    /** Migrates the service's schema in {@code store} if needed. */
    public LocalNotificationService(Store store) {
        this.db = store.schema(SCHEMA);
        ProcessedEvents.createTable(db);
    }

    /** The consumer group of this service on the order events. */
    public Subscription subscription(Subscription.Retry retry) {
        return new Subscription(GROUP, List.of(OrderEvents.TOPIC), this, retry);
    }

    @Override
    public void handle(Event event) {
        switch (event.type()) {
            case OrderEvents.ORDER_CONFIRMED -> {
                OrderEvents.OrderConfirmed order = Payloads.read(event, OrderEvents.OrderConfirmed.class);
                send(event, order.userId(), order.orderId(), "order_confirmed", "Your order is confirmed",
                        "Thank you! Order " + order.orderId() + " is paid and confirmed: " + units(order.items())
                                + " for " + format(Payloads.required(event, "total", order.total())) + ".");
            }
            case OrderEvents.ORDER_REJECTED -> {
                OrderEvents.OrderRejected order = Payloads.read(event, OrderEvents.OrderRejected.class);
                String why = OrderEvents.OUT_OF_STOCK.equals(order.reason())
                        ? "an item is out of stock; nothing was charged"
                        : "the payment was declined; nothing was charged";
                send(event, order.userId(), order.orderId(), "order_rejected", "We could not complete your order",
                        "Order " + order.orderId() + " was not completed: " + why + ".");
            }
            default -> {
                // not an outcome customers hear about
            }
        }
    }

    private void send(Event event, String userId, UUID orderId, String kind, String subject, String body) {
        Payloads.required(event, "user_id", userId);
        Payloads.required(event, "order_id", orderId);
        Transactions.inTransaction(db, "send a notification", tx -> {
            if (!ProcessedEvents.markProcessed(tx, GROUP, event.id())) {
                return null;
            }
            try (PreparedStatement insert = tx.prepareStatement("INSERT INTO notifications (id, user_id, order_id, kind, subject, "
                    + "body) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (order_id, kind) DO NOTHING")) {
                insert.setObject(1, UUID.randomUUID());
                insert.setString(2, userId);
                insert.setObject(3, orderId);
                insert.setString(4, kind);
                insert.setString(5, subject);
                insert.setString(6, body);
                insert.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public NotificationPage notifications(Principal caller, PageRequest page) {
        return Transactions.inTransaction(db, "list notifications", tx -> {
            long total;
            try (PreparedStatement count = tx.prepareStatement("SELECT count(*) FROM notifications WHERE user_id = ?")) {
                count.setString(1, caller.subject());
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<Notification> items = new ArrayList<>();
            try (PreparedStatement select = tx.prepareStatement("SELECT id, kind, order_id, subject, body, created_at "
                    + "FROM notifications WHERE user_id = ? ORDER BY created_at DESC, id LIMIT ? OFFSET ?")) {
                select.setString(1, caller.subject());
                select.setInt(2, page.size());
                select.setLong(3, page.offset());
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        items.add(new Notification(rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, UUID.class),
                                rs.getString(4), rs.getString(5), rs.getTimestamp(6).toInstant()));
                    }
                }
            }
            return new NotificationPage(items, page.page(), page.size(), total);
        });
    }

    private static String units(List<OrderEvents.Line> items) {
        int units = items == null ? 0 : items.stream().mapToInt(OrderEvents.Line::quantity).sum();
        return units == 1 ? "1 item" : units + " items";
    }

    private static String format(Money money) {
        return String.format(Locale.ROOT, "%s %d.%02d", money.currency(), money.amount() / 100, money.amount() % 100);
    }
}
