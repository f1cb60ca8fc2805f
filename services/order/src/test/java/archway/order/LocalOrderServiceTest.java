package archway.order;

import static archway.order.OrderFixture.TRACEPARENT;
import static archway.order.OrderFixture.customer;
import static archway.order.OrderFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import archway.bus.Event;
import archway.bus.Payloads;
import archway.catalog.Money;
import archway.platform.auth.Principal;
import archway.platform.problem.ProblemException;
import archway.platform.server.PageRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Placing and reading orders on embedded PostgreSQL. */
class LocalOrderServiceTest {

    @TempDir
    static Path folder;
    static OrderFixture fixture;
    static LocalOrderService orders;

    @BeforeAll
    static void start() {
        fixture = OrderFixture.start(folder);
        orders = fixture.orders();
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    private static long ordersOf(Principal customer) {
        return fixture.count("SELECT count(*) FROM orders WHERE user_id = ?", customer.subject());
    }

    private static long outboxRows() {
        return fixture.count("SELECT count(*) FROM outbox");
    }

    private static void assertProblem(int status, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ProblemException.class,
                e -> assertThat(e.problem().status()).as(e.getMessage()).isEqualTo(status));
    }

    @Test
    void writesTheOrderItsLinesItsFirstHistoryEntryAndOneOrderPlacedEvent() {
        Principal customer = customer();
        OrderRequest request = new OrderRequest(List.of(new OrderRequest.Item(2, 3), new OrderRequest.Item(5, 1)), "tok_amex");

        OrderApi.Placement placement = orders.place(customer, "key-1", request, Map.of(Event.TRACEPARENT, TRACEPARENT));

        Order order = placement.order();
        assertThat(placement.created()).isTrue();
        assertThat(order.status()).isEqualTo(OrderStatus.PENDING);
        assertThat(order.items()).containsExactly(
                new Order.Line(2, "Product 2", 3, Money.usd(200), Money.usd(600)),
                new Order.Line(5, "Product 5", 1, Money.usd(500), Money.usd(500)));
        assertThat(order.total()).isEqualTo(Money.usd(1100));
        assertThat(order.history()).extracting(Order.Change::status).containsExactly(OrderStatus.PENDING);
        assertThat(orders.order(customer, order.id())).isEqualTo(order);

        List<Event> events = fixture.outbox(order.id());
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.topic()).isEqualTo(OrderEvents.TOPIC);
            assertThat(event.type()).isEqualTo(OrderEvents.ORDER_PLACED);
            assertThat(event.headers()).containsEntry(Event.TRACEPARENT, TRACEPARENT);
            assertThat(Payloads.read(event, OrderEvents.OrderPlaced.class)).isEqualTo(new OrderEvents.OrderPlaced(order.id(),
                    customer.subject(), List.of(new OrderEvents.Line(2, 3), new OrderEvents.Line(5, 1)), Money.usd(1100)));
        });
    }

    @Test
    void answersARetryWithTheSameKeyWithTheFirstOrder() {
        Principal customer = customer();
        Order first = orders.place(customer, "retry-key", request(4, 2), Map.of()).order();

        OrderApi.Placement again = orders.place(customer, "retry-key", request(4, 2), Map.of());

        assertThat(again.created()).isFalse();
        assertThat(again.order()).isEqualTo(first);
        assertThat(ordersOf(customer)).isOne();
        assertThat(fixture.outbox(first.id())).hasSize(1);
    }

    @Test
    void refusesTheSameKeyForAnotherOrderAndWritesNothing() {
        Principal customer = customer();
        orders.place(customer, "reused-key", request(4, 2), Map.of());
        long outbox = outboxRows();

        assertProblem(422, () -> orders.place(customer, "reused-key", request(4, 3), Map.of()));
        assertProblem(422, () -> orders.place(customer, "reused-key", request(5, 2), Map.of()));
        assertProblem(422, () -> orders.place(customer, "reused-key",
                new OrderRequest(List.of(new OrderRequest.Item(4, 2)), "tok_amex"), Map.of()));

        assertThat(ordersOf(customer)).isOne();
        assertThat(outboxRows()).isEqualTo(outbox);
    }

    @Test
    void makesOneOrderOfTwentyConcurrentPlacementsWithOneKey() throws Exception {
        Principal customer = customer();
        CountDownLatch go = new CountDownLatch(1);
        List<Callable<OrderApi.Placement>> placements = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            placements.add(() -> {
                go.await();
                return orders.place(customer, "double-click", request(6, 1), Map.of());
            });
        }
        List<OrderApi.Placement> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(20)) {
            List<Future<OrderApi.Placement>> futures = placements.stream().map(pool::submit).toList();
            go.countDown();
            for (Future<OrderApi.Placement> future : futures) {
                answers.add(future.get(30, TimeUnit.SECONDS));
            }
        }

        UUID id = answers.getFirst().order().id();
        assertThat(answers).extracting(answer -> answer.order().id()).containsOnly(id);
        assertThat(answers).filteredOn(OrderApi.Placement::created).hasSize(1);
        assertThat(ordersOf(customer)).isOne();
        assertThat(fixture.outbox(id)).hasSize(1);
    }

    @Test
    void refusesAnUnknownProductWithoutWritingAnything() {
        Principal customer = customer();
        long outbox = outboxRows();
        OrderRequest unknown = new OrderRequest(List.of(new OrderRequest.Item(1, 1), new OrderRequest.Item(404, 1)), null);

        assertThatThrownBy(() -> orders.place(customer, "key", unknown, Map.of())).isInstanceOfSatisfying(ProblemException.class,
                e -> assertThat(e.problem()).satisfies(problem -> {
                    assertThat(problem.status()).isEqualTo(400);
                    assertThat(problem.detail()).contains("404");
                }));

        assertThat(ordersOf(customer)).isZero();
        assertThat(outboxRows()).isEqualTo(outbox);
        assertThat(orders.place(customer, "key", request(1, 1), Map.of()).created()).as("the key is still free").isTrue();
    }

    @Test
    void refusesItemsPricedInDifferentCurrencies() {
        Principal customer = customer();
        OrderRequest mixed = new OrderRequest(List.of(new OrderRequest.Item(1, 1),
                new OrderRequest.Item(OrderFixture.EURO_PRODUCT, 1)), null);

        assertProblem(400, () -> orders.place(customer, "key", mixed, Map.of()));
        assertThat(ordersOf(customer)).isZero();
    }

    @Test
    void keepsTheKeysOfEachCustomerApart() {
        Principal ann = customer();
        Principal bob = customer();

        OrderApi.Placement anns = orders.place(ann, "same-key", request(1, 1), Map.of());
        OrderApi.Placement bobs = orders.place(bob, "same-key", request(2, 5), Map.of());

        assertThat(bobs.created()).isTrue();
        assertThat(bobs.order().id()).isNotEqualTo(anns.order().id());
        assertThat(bobs.order().total()).isEqualTo(Money.usd(1000));
    }

    @Test
    void answersAnotherCustomersOrderAsNotFound() {
        Principal ann = customer();
        Order anns = fixture.place(ann, null).order();

        assertProblem(404, () -> orders.order(customer(), anns.id()));
        assertProblem(404, () -> orders.order(ann, UUID.randomUUID()));
        assertThat(orders.order(ann, anns.id()).id()).isEqualTo(anns.id());
    }

    @Test
    void listsTheCallersOrdersNewestFirstInPages() {
        Principal customer = customer();
        List<UUID> placed = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            placed.add(fixture.place(customer, null).order().id());
        }
        fixture.place(customer(), null);

        OrderPage first = orders.orders(customer, new PageRequest(1, 2));
        OrderPage last = orders.orders(customer, new PageRequest(3, 2));

        assertThat(first.items()).extracting(Order::id).containsExactly(placed.get(4), placed.get(3));
        assertThat(first.total()).isEqualTo(5);
        assertThat(last.items()).extracting(Order::id).containsExactly(placed.get(0));
        assertThat(last.items().getFirst().items()).hasSize(2);
        assertThat(orders.orders(customer, new PageRequest(4, 2)).items()).isEmpty();
    }
}
