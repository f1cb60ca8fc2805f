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
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
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
import javax.sql.DataSource;
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
    void rejectsAShortOrderOnceWhenTwoConsumersHandleItAtOnce() throws Exception {
        long product = fixture.stocked(1);
        UUID order = UUID.randomUUID();

        handleAsTwoConsumersAtOnce(placed(order, line(product, 2)), () -> { });

        assertThat(fixture.replies(order)).extracting(Event::type).containsExactly(OrderEvents.STOCK_REJECTED);
        assertThat(stock(product)).isEqualTo(new StockLevel(product, 1, 0));
    }

    @Test
    void neverBothReservesAndRejectsAnOrderWhenStockArrivesBetweenTwoConsumers() throws Exception {
        long product = fixture.stocked(1);
        UUID order = UUID.randomUUID();

        handleAsTwoConsumersAtOnce(placed(order, line(product, 2)),
                () -> inventory.setAvailable(InventoryFixture.ADMIN, product, 5));

        assertThat(fixture.replies(order)).extracting(Event::type).containsExactly(OrderEvents.STOCK_RESERVED);
        assertThat(stock(product)).isEqualTo(new StockLevel(product, 3, 2));
    }

    /**
     * Handles {@code event} as two consumers of the group at once, as after a rebalance, when
     * the consumer that lost the partition is still handling an event its successor got
     * again: the first finds the order short and rolls back; then {@code meanwhile} happens
     * and the second handles the event; then the first goes on.
     */
    private static void handleAsTwoConsumersAtOnce(Event event, Runnable meanwhile) throws Exception {
        CountDownLatch firstRolledBack = new CountDownLatch(1);
        CountDownLatch secondDone = new CountDownLatch(1);
        EventHandler first = new InventoryWorker(pausingAfterRollback(inventory.outbox(), firstRolledBack, secondDone), level -> { });
        try (ExecutorService thread = Executors.newSingleThreadExecutor()) {
            Future<?> firstHandled = thread.submit(() -> {
                try {
                    first.handle(event);
                } finally {
                    firstRolledBack.countDown();
                }
                return null;
            });
            assertThat(firstRolledBack.await(30, TimeUnit.SECONDS)).isTrue();
            meanwhile.run();
            worker.handle(event);
            secondDone.countDown();
            firstHandled.get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * {@code db}, except that a connection stops right after a {@code rollback()}: it tells
     * {@code rolledBack}, then waits (bounded) for {@code resume} before it goes on.
     */
    private static DataSource pausingAfterRollback(DataSource db, CountDownLatch rolledBack, CountDownLatch resume) {
        return proxy(DataSource.class, db, (method, result) -> !method.getName().equals("getConnection") ? result
                : proxy(Connection.class, (Connection) result, (call, none) -> {
                    if (call.getName().equals("rollback") && call.getParameterCount() == 0) {
                        rolledBack.countDown();
                        assertThat(resume.await(30, TimeUnit.SECONDS)).as("resumed within 30 s").isTrue();
                    }
                    return none;
                }));
    }

    /** What becomes of the result of a call on a proxied object. */
    private interface After {
        Object apply(Method method, Object result) throws Exception;
    }

    /** {@code target} seen through {@code type}, each call's result passed through {@code after}. */
    private static <T> T proxy(Class<T> type, T target, After after) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, arguments) -> {
            try {
                return after.apply(method, method.invoke(target, arguments));
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }));
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
    void treatsAPlacedOrderWithoutItsLinesAsPoisonRatherThanRetryingIt() {
        UUID order = UUID.randomUUID();
        Event lineless = new Event(UUID.randomUUID().toString(), OrderEvents.TOPIC, order.toString(), OrderEvents.ORDER_PLACED,
                "{\"order_id\":\"" + order + "\",\"user_id\":\"u\"}", Map.of());

        assertThatThrownBy(() -> worker.handle(lineless)).isInstanceOf(PoisonEventException.class).hasMessageContaining("items");
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
