package archway.order;

import static archway.order.OrderFixture.TRACEPARENT;
import static archway.order.OrderFixture.customer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import archway.bus.Event;
import archway.bus.EventHandler;
import archway.bus.Payloads;
import archway.bus.PoisonEventException;
import archway.bus.Subscription;
import archway.catalog.Money;
import archway.platform.auth.Principal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The order side of the saga, driven with the replies of inventory and payment. */
class OrderSagaTest {

    private static final List<OrderEvents.Line> LINES = List.of(new OrderEvents.Line(1, 2), new OrderEvents.Line(3, 1));
    private static final Money TOTAL = Money.usd(500);

    @TempDir
    static Path folder;
    static OrderFixture fixture;
    static EventHandler saga;

    @BeforeAll
    static void start() {
        fixture = OrderFixture.start(folder);
        saga = fixture.orders().subscription(Subscription.Retry.DEFAULT).handler();
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    private record Placed(Principal customer, UUID id) {

        Order order() {
            return fixture.orders().order(customer, id);
        }

        List<Event> events() {
            return fixture.outbox(id);
        }

        Event reply(String topic, String type, Object payload) {
            return Event.of(topic, id.toString(), type, Payloads.write(payload), Map.of(Event.TRACEPARENT, TRACEPARENT));
        }

        Event stockReserved() {
            return reply(OrderEvents.INVENTORY_TOPIC, OrderEvents.STOCK_RESERVED, new OrderEvents.StockReserved(id));
        }

        Event stockRejected() {
            return reply(OrderEvents.INVENTORY_TOPIC, OrderEvents.STOCK_REJECTED, new OrderEvents.StockRejected(id, 3));
        }

        Event paymentCaptured() {
            return reply(OrderEvents.PAYMENTS_TOPIC, OrderEvents.PAYMENT_CAPTURED, new OrderEvents.PaymentCaptured(id, "ch_1", TOTAL));
        }

        Event paymentDeclined() {
            return reply(OrderEvents.PAYMENTS_TOPIC, OrderEvents.PAYMENT_DECLINED,
                    new OrderEvents.PaymentDeclined(id, "ch_2", "card_declined"));
        }
    }

    /** A new pending order of product 1 twice and product 3 once (500 cents), paid with {@code tok_mastercard}. */
    private static Placed placed() {
        Principal customer = customer();
        return new Placed(customer, fixture.place(customer, "tok_mastercard").order().id());
    }

    private static void handle(Event... events) throws Exception {
        for (Event event : events) {
            saga.handle(event);
        }
    }

    /** The one event of {@code type} the saga appended about the order, checked for what every next step carries. */
    private static Event appended(Placed order, String type) {
        List<Event> events = order.events().stream().filter(event -> event.type().equals(type)).toList();
        assertThat(events).as(type + " events").hasSize(1);
        Event event = events.getFirst();
        assertThat(event.topic()).isEqualTo(OrderEvents.TOPIC);
        assertThat(event.key()).isEqualTo(order.id().toString());
        assertThat(event.headers()).containsEntry(Event.TRACEPARENT, TRACEPARENT);
        return event;
    }

    @Test
    void requestsTheChargeOfTheTotalWithTheOrdersTokenOnceStockIsReserved() throws Exception {
        Placed order = placed();

        handle(order.stockReserved());

        assertThat(Payloads.read(appended(order, OrderEvents.CHARGE_REQUESTED), OrderEvents.ChargeRequested.class))
                .isEqualTo(new OrderEvents.ChargeRequested(order.id(), order.customer().subject(), TOTAL, "tok_mastercard"));
        assertThat(order.order().status()).isEqualTo(OrderStatus.PENDING);
        assertThat(order.order().history()).hasSize(1);
    }

    @Test
    void rejectsTheOrderAsOutOfStockWhenStockIsShort() throws Exception {
        Placed order = placed();

        handle(order.stockRejected());

        assertThat(order.order().status()).isEqualTo(OrderStatus.REJECTED);
        assertThat(order.order().reason()).isEqualTo("out_of_stock");
        assertThat(order.order().history()).extracting(Order.Change::status, Order.Change::reason)
                .containsExactly(tuple(OrderStatus.PENDING, null),
                        tuple(OrderStatus.REJECTED, "out_of_stock"));
        assertThat(Payloads.read(appended(order, OrderEvents.ORDER_REJECTED), OrderEvents.OrderRejected.class))
                .isEqualTo(new OrderEvents.OrderRejected(order.id(), order.customer().subject(), "out_of_stock", LINES, TOTAL));
        assertThat(order.events()).extracting(Event::type).doesNotContain(OrderEvents.CHARGE_REQUESTED);
    }

    @Test
    void confirmsThePaidOrderWhenThePaymentIsCaptured() throws Exception {
        Placed order = placed();

        handle(order.stockReserved(), order.paymentCaptured());

        assertThat(order.order().status()).isEqualTo(OrderStatus.CONFIRMED);
        assertThat(order.order().reason()).isNull();
        assertThat(order.order().history()).extracting(Order.Change::status)
                .containsExactly(OrderStatus.PENDING, OrderStatus.PAID, OrderStatus.CONFIRMED);
        assertThat(Payloads.read(appended(order, OrderEvents.ORDER_CONFIRMED), OrderEvents.OrderConfirmed.class))
                .isEqualTo(new OrderEvents.OrderConfirmed(order.id(), order.customer().subject(), LINES, TOTAL));
    }

    @Test
    void rejectsTheOrderWhenThePaymentIsDeclined() throws Exception {
        Placed order = placed();

        handle(order.stockReserved(), order.paymentDeclined());

        assertThat(order.order().status()).isEqualTo(OrderStatus.REJECTED);
        assertThat(order.order().reason()).isEqualTo("payment_declined");
        assertThat(order.order().history()).extracting(Order.Change::status)
                .containsExactly(OrderStatus.PENDING, OrderStatus.REJECTED);
        assertThat(Payloads.read(appended(order, OrderEvents.ORDER_REJECTED), OrderEvents.OrderRejected.class))
                .isEqualTo(new OrderEvents.OrderRejected(order.id(), order.customer().subject(), "payment_declined", LINES, TOTAL));
    }

    @Test
    void handlesARedeliveredReplyOnce() throws Exception {
        Placed order = placed();
        Event reserved = order.stockReserved();
        Event captured = order.paymentCaptured();

        handle(reserved, reserved, captured, captured, reserved);

        assertThat(order.events()).extracting(Event::type).containsExactly(OrderEvents.ORDER_PLACED,
                OrderEvents.CHARGE_REQUESTED, OrderEvents.ORDER_CONFIRMED);
        assertThat(order.order().history()).extracting(Order.Change::status)
                .containsExactly(OrderStatus.PENDING, OrderStatus.PAID, OrderStatus.CONFIRMED);
    }

    @Test
    void ignoresALateReplyForAnOrderThatIsDone() throws Exception {
        Placed order = placed();
        handle(order.stockRejected());
        Order rejected = order.order();

        handle(order.paymentCaptured(), order.stockReserved(), order.paymentDeclined());

        assertThat(order.order()).isEqualTo(rejected);
        assertThat(order.events()).extracting(Event::type).containsExactly(OrderEvents.ORDER_PLACED, OrderEvents.ORDER_REJECTED);
    }

    @Test
    void treatsAReplyAboutAnUnknownOrderAsPoison() {
        UUID unknown = UUID.randomUUID();
        Event reply = new Placed(customer(), unknown).stockReserved();

        assertThatThrownBy(() -> saga.handle(reply)).isInstanceOf(PoisonEventException.class).hasMessageContaining(unknown.toString());
        assertThat(fixture.outbox(unknown)).isEmpty();
    }

    @Test
    void treatsAReplyThatIsNotAnOrderIdInJsonAsPoison() {
        Placed order = placed();

        for (String payload : List.of("not json", "{}", "{\"order_id\":\"not-a-uuid\"}", "null", "[1]")) {
            Event reply = new Event(UUID.randomUUID().toString(), OrderEvents.PAYMENTS_TOPIC, order.id().toString(),
                    OrderEvents.PAYMENT_CAPTURED, payload, Map.of());
            assertThatThrownBy(() -> saga.handle(reply)).as(payload).isInstanceOf(PoisonEventException.class);
        }
        assertThat(order.order().status()).isEqualTo(OrderStatus.PENDING);
        assertThat(order.events()).hasSize(1);
    }

    @Test
    void ignoresEventsItDoesNotWaitFor() throws Exception {
        Placed order = placed();

        handle(order.reply(OrderEvents.TOPIC, OrderEvents.ORDER_CONFIRMED,
                new OrderEvents.OrderConfirmed(order.id(), order.customer().subject(), LINES, TOTAL)));

        assertThat(order.order().status()).isEqualTo(OrderStatus.PENDING);
        assertThat(order.events()).hasSize(1);
    }
}
