package archway.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import archway.bus.Event;
import archway.bus.EventHandler;
import archway.bus.Outbox;
import archway.bus.Payloads;
import archway.bus.PoisonEventException;
import archway.bus.Subscription;
import archway.catalog.Money;
import archway.order.OrderEvents;
import archway.store.Store;
import archway.store.embedded.EmbeddedPostgres;
import archway.store.embedded.TestPostgres;
import archway.store.postgres.PostgresStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The payment side of the saga against a scripted card processor, its records on embedded PostgreSQL. */
class PaymentWorkerTest {

    private static final String TRACEPARENT = "00-5bf92f3577b34da6a3ce929d0e0e4736-10f067aa0ba902b7-01";
    private static final Money AMOUNT = Money.usd(2599);

    @TempDir
    static Path folder;
    static EmbeddedPostgres postgres;
    static Store store;
    ScriptedProcessor processor;
    SimpleMeterRegistry registry;
    EventHandler worker;
    DataSource db;

    @BeforeAll
    static void start() {
        postgres = TestPostgres.start(folder);
        store = PostgresStore.open(postgres.storeConfig(4));
    }

    @AfterAll
    static void stop() {
        store.close();
        postgres.close();
    }

    @BeforeEach
    void newWorker() {
        processor = new ScriptedProcessor();
        registry = new SimpleMeterRegistry();
        LocalPaymentService payments = new LocalPaymentService(store, processor, registry);
        worker = payments.subscription(Subscription.Retry.DEFAULT).handler();
        db = payments.outbox();
    }

    private static Event chargeRequested(UUID orderId) {
        return Event.of(OrderEvents.TOPIC, orderId.toString(), OrderEvents.CHARGE_REQUESTED,
                Payloads.write(new OrderEvents.ChargeRequested(orderId, "customer-1", AMOUNT, "tok_visa")),
                Map.of(Event.TRACEPARENT, TRACEPARENT));
    }

    /** The worker's replies about one order, in the order they were written. */
    private List<Event> replies(UUID orderId) {
        return Outbox.waiting(db, orderId.toString());
    }

    /** The order's row in {@code payments} as "status charge_id amount currency", or null when there is none. */
    private String payment(UUID orderId) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement select = c.prepareStatement(
                "SELECT status || ' ' || charge_id || ' ' || amount || ' ' || currency FROM payments WHERE order_id = ?")) {
            select.setObject(1, orderId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** The one reply about the order, checked for what every reply carries. */
    private Event reply(UUID orderId) throws SQLException {
        List<Event> replies = replies(orderId);
        assertThat(replies).as("replies about " + orderId).hasSize(1);
        Event reply = replies.getFirst();
        assertThat(reply.topic()).isEqualTo(OrderEvents.PAYMENTS_TOPIC);
        assertThat(reply.headers()).containsEntry(Event.TRACEPARENT, TRACEPARENT);
        return reply;
    }

    private double charges(String outcome) {
        return registry.counter("payment.charges", "outcome", outcome).count();
    }

    @Test
    void chargesTheOrderUnderItsOwnKeyAndRepliesCapturedWhenApproved() throws Exception {
        UUID order = UUID.randomUUID();
        processor.approves();

        worker.handle(chargeRequested(order));

        assertThat(processor.calls()).singleElement().satisfies(call -> {
            assertThat(call.request()).isEqualTo(new CardProcessor.ChargeRequest(2599, "USD", "tok_visa", order.toString()));
            assertThat(call.idempotencyKey()).isEqualTo("order-" + order);
            assertThat(call.context()).containsEntry(Event.TRACEPARENT, TRACEPARENT);
        });
        Event reply = reply(order);
        assertThat(reply.type()).isEqualTo(OrderEvents.PAYMENT_CAPTURED);
        assertThat(Payloads.read(reply, OrderEvents.PaymentCaptured.class))
                .isEqualTo(new OrderEvents.PaymentCaptured(order, "ch_order-" + order, AMOUNT));
        assertThat(payment(order)).isEqualTo("captured ch_order-" + order + " 2599 USD");
        assertThat(charges("captured")).isOne();
    }

    @Test
    void repliesDeclinedWithTheProcessorsReasonWhenTheCardIsDeclined() throws Exception {
        UUID order = UUID.randomUUID();
        processor.declines("card_declined");

        worker.handle(chargeRequested(order));

        Event reply = reply(order);
        assertThat(reply.type()).isEqualTo(OrderEvents.PAYMENT_DECLINED);
        assertThat(Payloads.read(reply, OrderEvents.PaymentDeclined.class))
                .isEqualTo(new OrderEvents.PaymentDeclined(order, "ch_order-" + order, "card_declined"));
        assertThat(payment(order)).startsWith("declined ");
        assertThat(charges("declined")).isOne();
        assertThat(charges("captured")).isZero();
    }

    @Test
    void writesNothingWhileTheProcessorIsUnavailableAndRetriesUnderTheSameKey() throws Exception {
        UUID order = UUID.randomUUID();
        Event request = chargeRequested(order);
        processor.isUnavailable().approves();

        assertThatThrownBy(() -> worker.handle(request)).isInstanceOf(CardProcessor.ProcessorUnavailableException.class);
        assertThat(replies(order)).isEmpty();
        assertThat(payment(order)).isNull();

        worker.handle(request);

        assertThat(reply(order).type()).isEqualTo(OrderEvents.PAYMENT_CAPTURED);
        assertThat(processor.calls()).hasSize(2).extracting(ScriptedProcessor.Call::idempotencyKey).containsOnly("order-" + order);
        assertThat(payment(order)).startsWith("captured ");
    }

    @Test
    void sendsARefusedChargeToTheDeadLettersWithoutRetrying() throws Exception {
        UUID order = UUID.randomUUID();
        processor.refuses();

        assertThatThrownBy(() -> worker.handle(chargeRequested(order))).isInstanceOf(PoisonEventException.class)
                .hasMessageContaining("order-" + order);

        assertThat(replies(order)).isEmpty();
        assertThat(payment(order)).isNull();
    }

    @Test
    void doesNotAskTheProcessorAgainForAnEventItHandled() throws Exception {
        UUID order = UUID.randomUUID();
        Event request = chargeRequested(order);
        processor.approves();

        worker.handle(request);
        worker.handle(request);

        assertThat(processor.calls()).hasSize(1);
        assertThat(reply(order).type()).isEqualTo(OrderEvents.PAYMENT_CAPTURED);
        assertThat(charges("captured")).isOne();
    }

    @Test
    void treatsAChargeRequestItCannotReadAsPoisonWithoutCallingTheProcessor() {
        UUID order = UUID.randomUUID();
        for (String payload : List.of("not json", "{\"order_id\":\"" + order + "\",\"payment_token\":\"tok_visa\"}",
                "{\"order_id\":\"" + order + "\",\"amount\":{\"amount\":5,\"currency\":\"USD\"}}")) {
            Event request = new Event(UUID.randomUUID().toString(), OrderEvents.TOPIC, order.toString(),
                    OrderEvents.CHARGE_REQUESTED, payload, Map.of());
            assertThatThrownBy(() -> worker.handle(request)).as(payload).isInstanceOf(PoisonEventException.class);
        }

        assertThat(processor.calls()).isEmpty();
    }

    @Test
    void ignoresTheOtherStepsOfTheSaga() throws Exception {
        UUID order = UUID.randomUUID();

        worker.handle(Event.of(OrderEvents.TOPIC, order.toString(), OrderEvents.ORDER_PLACED, "{}", Map.of()));
        worker.handle(Event.of(OrderEvents.TOPIC, order.toString(), OrderEvents.ORDER_CONFIRMED, "{}", Map.of()));

        assertThat(processor.calls()).isEmpty();
        assertThat(replies(order)).isEmpty();
    }
}
