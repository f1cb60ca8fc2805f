package archway.notification;

import static archway.notification.NotificationFixture.LINES;
import static archway.notification.NotificationFixture.confirmed;
import static archway.notification.NotificationFixture.customer;
import static archway.notification.NotificationFixture.rejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import archway.bus.Event;
import archway.bus.Payloads;
import archway.bus.PoisonEventException;
import archway.catalog.Money;
import archway.order.OrderEvents;
import archway.platform.auth.Principal;
import archway.platform.server.PageRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The e-mails about order outcomes, on embedded PostgreSQL. */
class LocalNotificationServiceTest {

    @TempDir
    static Path folder;
    static NotificationFixture fixture;
    static LocalNotificationService notifications;

    @BeforeAll
    static void start() {
        fixture = NotificationFixture.start(folder);
        notifications = fixture.notifications();
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    private static List<Notification> mailOf(Principal customer) {
        return notifications.notifications(customer, new PageRequest(1, 100)).items();
    }

    @Test
    void tellsTheCustomerTheirOrderIsConfirmedWithWhatAndHowMuch() {
        Principal customer = customer();
        UUID order = UUID.randomUUID();

        notifications.handle(confirmed(customer, order, LINES, Money.usd(4599)));

        assertThat(mailOf(customer)).singleElement().satisfies(mail -> {
            assertThat(mail.kind()).isEqualTo("order_confirmed");
            assertThat(mail.orderId()).isEqualTo(order);
            assertThat(mail.subject()).isEqualTo("Your order is confirmed");
            assertThat(mail.body()).contains(order.toString(), "3 items", "USD 45.99");
            assertThat(mail.createdAt()).isNotNull();
        });
    }

    @Test
    void countsASingleUnitAsOneItemAndShowsCentsWithTwoDigits() {
        Principal customer = customer();

        notifications.handle(confirmed(customer, UUID.randomUUID(), List.of(new OrderEvents.Line(3, 1)), Money.usd(105)));

        assertThat(mailOf(customer)).singleElement().satisfies(mail -> assertThat(mail.body()).contains("1 item for USD 1.05"));
    }

    @Test
    void tellsTheCustomerWhyTheirOrderWasRejectedAndThatNothingWasCharged() {
        Principal customer = customer();
        UUID outOfStock = UUID.randomUUID();
        UUID declined = UUID.randomUUID();

        notifications.handle(rejected(customer, outOfStock, OrderEvents.OUT_OF_STOCK));
        notifications.handle(rejected(customer, declined, OrderEvents.PAYMENT_DECLINED_REASON));

        assertThat(mailOf(customer)).hasSize(2).allSatisfy(mail -> {
            assertThat(mail.kind()).isEqualTo("order_rejected");
            assertThat(mail.subject()).isEqualTo("We could not complete your order");
            assertThat(mail.body()).contains("nothing was charged");
        });
        assertThat(mailOf(customer)).filteredOn(mail -> mail.orderId().equals(outOfStock)).singleElement()
                .satisfies(mail -> assertThat(mail.body()).contains(outOfStock.toString(), "out of stock"));
        assertThat(mailOf(customer)).filteredOn(mail -> mail.orderId().equals(declined)).singleElement()
                .satisfies(mail -> assertThat(mail.body()).contains("payment was declined"));
    }

    @Test
    void sendsOneMailPerOrderAndOutcomeHoweverOftenItIsAnnounced() {
        Principal customer = customer();
        UUID order = UUID.randomUUID();
        Event confirmed = confirmed(customer, order);

        notifications.handle(confirmed);
        notifications.handle(confirmed);
        notifications.handle(confirmed(customer, order));

        assertThat(mailOf(customer)).singleElement().satisfies(mail -> assertThat(mail.orderId()).isEqualTo(order));
    }

    @Test
    void showsEachCustomerOnlyTheirOwnMailNewestFirstInPages() {
        Principal ann = customer();
        Principal bob = customer();
        List<UUID> annsOrders = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            UUID order = UUID.randomUUID();
            annsOrders.add(order);
            notifications.handle(confirmed(ann, order));
        }
        UUID bobsOrder = UUID.randomUUID();
        notifications.handle(rejected(bob, bobsOrder, OrderEvents.OUT_OF_STOCK));

        NotificationPage first = notifications.notifications(ann, new PageRequest(1, 2));
        NotificationPage second = notifications.notifications(ann, new PageRequest(2, 2));

        assertThat(first.items()).extracting(Notification::orderId).containsExactly(annsOrders.get(2), annsOrders.get(1));
        assertThat(first.total()).isEqualTo(3);
        assertThat(second.items()).extracting(Notification::orderId).containsExactly(annsOrders.get(0));
        assertThat(mailOf(bob)).extracting(Notification::orderId).containsExactly(bobsOrder);
        assertThat(notifications.notifications(customer(), new PageRequest(1, 20)).total()).isZero();
    }

    @Test
    void staysQuietAboutTheOtherStepsOfTheSaga() {
        Principal customer = customer();
        UUID order = UUID.randomUUID();

        notifications.handle(Event.of(OrderEvents.TOPIC, order.toString(), OrderEvents.ORDER_PLACED,
                Payloads.write(new OrderEvents.OrderPlaced(order, customer.subject(), LINES, Money.usd(500))), Map.of()));

        assertThat(mailOf(customer)).isEmpty();
    }

    @Test
    void treatsAnOutcomeItCannotReadAsPoison() {
        Event garbled = new Event(UUID.randomUUID().toString(), OrderEvents.TOPIC, "order", OrderEvents.ORDER_CONFIRMED,
                "[\"not an order\"]", Map.of());

        assertThatThrownBy(() -> notifications.handle(garbled)).isInstanceOf(PoisonEventException.class);
    }
}
