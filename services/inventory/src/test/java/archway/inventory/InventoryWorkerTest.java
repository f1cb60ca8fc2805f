package archway.inventory;

import static archway.inventory.InventoryFixture.confirmed;
import static archway.inventory.InventoryFixture.line;
import static archway.inventory.InventoryFixture.placed;
import static archway.inventory.InventoryFixture.rejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import archway.bus.Event;
import archway.bus.EventHandler;
import archway.bus.Payloads;
import archway.bus.PoisonEventException;
import archway.order.OrderEvents;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inventory side of the saga, driven with order events, on embedded PostgreSQL. */
class InventoryWorkerTest {

    @TempDir
    static Path folder;
    static InventoryFixture fixture;
    static LocalInventoryService inventory;
    static EventHandler worker;

    @BeforeAll
    static void start() {
        fixture = InventoryFixture.start(folder);
        inventory = fixture.inventory();
        worker = fixture.worker();
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    private static void handle(Event... events) throws Exception {
        for (Event event : events) {
            worker.handle(event);
        }
    }

    /** The one reply about the order, checked for what every reply carries. */
    private static Event reply(UUID orderId) {
        List<Event> replies = fixture.replies(orderId);
        assertThat(replies).as("replies about " + orderId).hasSize(1);
        Event reply = replies.getFirst();
        assertThat(reply.topic()).isEqualTo(OrderEvents.INVENTORY_TOPIC);
        assertThat(reply.headers()).containsEntry(Event.TRACEPARENT, InventoryFixture.TRACEPARENT);
        return reply;
    }

    private static StockLevel stock(long productId) {
        return inventory.stock(productId);
    }

    @Test
    void reservesEveryLineOfAPlacedOrder() throws Exception {
        long books = fixture.stocked(10);
        long lamps = fixture.stocked(10);
        UUID order = UUID.randomUUID();

        handle(placed(order, line(lamps, 2), line(books, 3)));

        Event reply = reply(order);
        assertThat(reply.type()).isEqualTo(OrderEvents.STOCK_RESERVED);
        assertThat(Payloads.read(reply, OrderEvents.StockReserved.class).orderId()).isEqualTo(order);
        assertThat(stock(books)).isEqualTo(new StockLevel(books, 7, 3));
        assertThat(stock(lamps)).isEqualTo(new StockLevel(lamps, 8, 2));
    }

    @Test
    void rejectsTheWholeOrderAndTakesNothingWhenOneLineIsShort() throws Exception {
        long plenty = fixture.stocked(10);
        long scarce = fixture.stocked(1);
        UUID order = UUID.randomUUID();

        handle(placed(order, line(plenty, 3), line(scarce, 2)));

        Event reply = reply(order);
        assertThat(reply.type()).isEqualTo(OrderEvents.STOCK_REJECTED);
        assertThat(Payloads.read(reply, OrderEvents.StockRejected.class)).isEqualTo(new OrderEvents.StockRejected(order, scarce));
        assertThat(stock(plenty)).isEqualTo(new StockLevel(plenty, 10, 0));
        assertThat(stock(scarce)).isEqualTo(new StockLevel(scarce, 1, 0));

        handle(rejected(order));

        assertThat(stock(plenty)).as("a rejection gives back only what was reserved").isEqualTo(new StockLevel(plenty, 10, 0));
    }

    @Test
    void rejectsAnOrderOfAProductItDoesNotStock() throws Exception {
        long stocked = fixture.stocked(10);
        UUID order = UUID.randomUUID();

        handle(placed(order, line(stocked, 1), line(999_999, 1)));

        assertThat(Payloads.read(reply(order), OrderEvents.StockRejected.class).productId()).isEqualTo(999_999);
        assertThat(stock(stocked).available()).isEqualTo(10);
    }

    @Test
    void sellsTheReservedUnitsOfAConfirmedOrder() throws Exception {
        long product = fixture.stocked(10);
        UUID order = UUID.randomUUID();
        handle(placed(order, line(product, 4)));

        handle(confirmed(order));

        assertThat(stock(product)).isEqualTo(new StockLevel(product, 6, 0));
        handle(rejected(order));
        assertThat(stock(product)).as("sold units never come back").isEqualTo(new StockLevel(product, 6, 0));
        assertThat(fixture.replies(order)).extracting(Event::type).containsExactly(OrderEvents.STOCK_RESERVED);
    }

    @Test
    void givesTheReservedUnitsOfARejectedOrderBack() throws Exception {
        long first = fixture.stocked(10);
        long second = fixture.stocked(5);
        UUID order = UUID.randomUUID();
        handle(placed(order, line(first, 4), line(second, 5)));

        handle(rejected(order));

        assertThat(stock(first)).isEqualTo(new StockLevel(first, 10, 0));
        assertThat(stock(second)).isEqualTo(new StockLevel(second, 5, 0));
    }

    @Test
    void handlesEachRedeliveredEventOnce() throws Exception {
        long product = fixture.stocked(10);
        UUID reservedOrder = UUID.randomUUID();
        Event placed = placed(reservedOrder, line(product, 3));
        Event rejected = rejected(reservedOrder);
        UUID shortOrder = UUID.randomUUID();
        Event tooMany = placed(shortOrder, line(product, 11));

        handle(placed, placed, tooMany, tooMany);
        assertThat(stock(product)).isEqualTo(new StockLevel(product, 7, 3));
        handle(rejected, rejected, placed);

        assertThat(stock(product)).isEqualTo(new StockLevel(product, 10, 0));
        assertThat(fixture.replies(reservedOrder)).extracting(Event::type).containsExactly(OrderEvents.STOCK_RESERVED);
        assertThat(fixture.replies(shortOrder)).extracting(Event::type).containsExactly(OrderEvents.STOCK_REJECTED);
    }

    @Test
    void commitsARedeliveredConfirmationOnce() throws Exception {
        long product = fixture.stocked(10);
        UUID order = UUID.randomUUID();
        Event confirmed = confirmed(order);
        handle(placed(order, line(product, 2)));

        handle(confirmed, confirmed);

        assertThat(stock(product)).isEqualTo(new StockLevel(product, 8, 0));
        assertThat(fixture.books(product)).isEqualTo(new InventoryFixture.Books(10, 2));
    }

    @Test
    void reservesExactlyWhatIsAvailableWhenManyOrdersRaceForTheLastUnits() throws Exception {
        long product = fixture.stocked(50);
        List<UUID> orders = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            orders.add(UUID.randomUUID());
        }
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService threads = Executors.newFixedThreadPool(8)) {
            List<Future<?>> handled = new ArrayList<>();
            for (UUID order : orders) {
                Event event = placed(order, line(product, 1));
                handled.add(threads.submit(() -> {
                    go.await();
                    worker.handle(event);
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> future : handled) {
                future.get(60, TimeUnit.SECONDS);
            }
        }

        Map<String, Long> replies = orders.stream().map(InventoryWorkerTest::reply)
                .collect(Collectors.groupingBy(Event::type, Collectors.counting()));
        assertThat(replies).isEqualTo(Map.of(OrderEvents.STOCK_RESERVED, 50L, OrderEvents.STOCK_REJECTED, 150L));
        assertThat(stock(product)).isEqualTo(new StockLevel(product, 0, 50));
        assertThat(fixture.books(product)).isEqualTo(new InventoryFixture.Books(50, 50));
    }

    @Test
    void rejectsAShortOrderOnceWhenItIsDeliveredTwiceAtOnce() throws Exception {
        // a consumer that lost its partition may still be handling an event its successor got again
        List<OrderEvents.Line> lines = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            lines.add(line(fixture.stocked(100), 1));
        }
        lines.add(line(fixture.stocked(0), 1));
        List<UUID> orders = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
            for (int attempt = 0; attempt < 5; attempt++) {
                UUID order = UUID.randomUUID();
                orders.add(order);
                Event event = placed(order, lines.toArray(OrderEvents.Line[]::new));
                CountDownLatch go = new CountDownLatch(1);
                List<Future<?>> deliveries = new ArrayList<>();
                for (int delivery = 0; delivery < 2; delivery++) {
                    deliveries.add(threads.submit(() -> {
                        go.await();
                        worker.handle(event);
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> future : deliveries) {
                    future.get(30, TimeUnit.SECONDS);
                }
            }
        }

        assertThat(orders).allSatisfy(order -> assertThat(fixture.replies(order)).extracting(Event::type)
                .as("replies to order %s", order).containsExactly(OrderEvents.STOCK_REJECTED));
        assertThat(stock(lines.getFirst().productId())).isEqualTo(new StockLevel(lines.getFirst().productId(), 100, 0));
    }

    @Test
    void treatsAnOrderEventThatIsNotItsJsonAsPoison() {
        UUID order = UUID.randomUUID();
        Event garbled = new Event(UUID.randomUUID().toString(), OrderEvents.TOPIC, order.toString(), OrderEvents.ORDER_PLACED,
                "{\"order_id\":", Map.of());

        assertThatThrownBy(() -> worker.handle(garbled)).isInstanceOf(PoisonEventException.class);
        assertThat(fixture.replies(order)).isEmpty();
    }

    @Test
    void ignoresTheStepsOfTheSagaThatAreNotItsOwn() throws Exception {
        UUID order = UUID.randomUUID();

        handle(new Event(UUID.randomUUID().toString(), OrderEvents.TOPIC, order.toString(), OrderEvents.CHARGE_REQUESTED,
                "{}", Map.of()));

        assertThat(fixture.replies(order)).isEmpty();
    }
}
