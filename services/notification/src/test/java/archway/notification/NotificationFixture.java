package archway.notification;

import archway.bus.Event;
import archway.bus.Payloads;
import archway.catalog.Money;
import archway.order.OrderEvents;
import archway.platform.auth.Principal;
import archway.store.Store;
import archway.store.embedded.EmbeddedPostgres;
import archway.store.embedded.TestPostgres;
import archway.store.postgres.PostgresStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** A notification service on embedded PostgreSQL, and the order outcomes it hears about. */
final class NotificationFixture implements AutoCloseable {

    static final List<OrderEvents.Line> LINES = List.of(new OrderEvents.Line(1, 2), new OrderEvents.Line(7, 1));

    private final EmbeddedPostgres postgres;
    private final Store store;
    private final LocalNotificationService notifications;

    private NotificationFixture(EmbeddedPostgres postgres) {
        this.postgres = postgres;
        this.store = PostgresStore.open(postgres.storeConfig(4));
        this.notifications = new LocalNotificationService(store);
    }

    static NotificationFixture start(Path folder) {
        return new NotificationFixture(TestPostgres.start(folder));
    }

    LocalNotificationService notifications() {
        return notifications;
    }

    /** A customer nobody else in the test run is. */
    static Principal customer() {
        String id = UUID.randomUUID().toString();
        return new Principal(id, id + "@example.com", Set.of("customer"));
    }

    static Event confirmed(Principal customer, UUID order, List<OrderEvents.Line> lines, Money total) {
        return Event.of(OrderEvents.TOPIC, order.toString(), OrderEvents.ORDER_CONFIRMED,
                Payloads.write(new OrderEvents.OrderConfirmed(order, customer.subject(), lines, total)), Map.of());
    }

    static Event confirmed(Principal customer, UUID order) {
        return confirmed(customer, order, LINES, Money.usd(500));
    }

    static Event rejected(Principal customer, UUID order, String reason) {
        return Event.of(OrderEvents.TOPIC, order.toString(), OrderEvents.ORDER_REJECTED,
                Payloads.write(new OrderEvents.OrderRejected(order, customer.subject(), reason, LINES, Money.usd(500))), Map.of());
    }

    @Override
    public void close() {
        store.close();
        postgres.close();
    }
}
