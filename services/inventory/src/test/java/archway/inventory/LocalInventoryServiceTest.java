package archway.inventory;

import static archway.inventory.InventoryFixture.ADMIN;
import static archway.inventory.InventoryFixture.CUSTOMER;
import static archway.inventory.InventoryFixture.confirmed;
import static archway.inventory.InventoryFixture.line;
import static archway.inventory.InventoryFixture.placed;
import static archway.inventory.InventoryFixture.rejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import archway.bus.Event;
import archway.bus.Subscription;
import archway.platform.problem.ProblemException;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stock levels, their seeding and their administration, on embedded PostgreSQL. */
class LocalInventoryServiceTest {

    private static final Map<Long, Integer> INITIAL = Map.of(1L, 5, 2L, 0, 3L, 120);

    @TempDir
    static Path folder;
    static InventoryFixture fixture;
    static LocalInventoryService inventory;

    @BeforeAll
    static void start() {
        fixture = InventoryFixture.start(folder);
        inventory = fixture.inventory();
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    /** The initial stock, counting how often it is asked for. */
    private static Supplier<Map<Long, Integer>> counted(AtomicInteger asked) {
        return () -> {
            asked.incrementAndGet();
            return INITIAL;
        };
    }

    private static void assertProblem(int status, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ProblemException.class,
                e -> assertThat(e.problem().status()).as(e.getMessage()).isEqualTo(status));
    }

    /** Available is what was received less what orders hold, as the operations entry's check demands. */
    private static void assertInBalance(long product) {
        InventoryFixture.Books books = fixture.books(product);
        assertThat(inventory.stock(product).available()).isEqualTo(books.received() - books.held());
    }

    @Test
    void stocksAnEmptyInventoryOnce() {
        LocalInventoryService empty = fixture.instance("seed_once_");
        AtomicInteger asked = new AtomicInteger();

        assertThat(empty.seedIfEmpty(counted(asked))).isTrue();
        assertThat(empty.seedIfEmpty(counted(asked))).isFalse();

        assertThat(asked).hasValue(1);
        assertThat(empty.stock(1)).isEqualTo(new StockLevel(1, 5, 0));
        assertThat(empty.stock(2)).isEqualTo(new StockLevel(2, 0, 0));
        assertThat(empty.stock(3)).isEqualTo(new StockLevel(3, 120, 0));
    }

    @Test
    void stocksTheInventoryOnceWhenTwoInstancesStartTogether() throws Exception {
        List<LocalInventoryService> instances = List.of(fixture.instance("seed_race_"), fixture.instance("seed_race_"));
        AtomicInteger asked = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Boolean> filled = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
            List<Future<Boolean>> seeding = new ArrayList<>();
            for (LocalInventoryService instance : instances) {
                Callable<Boolean> seed = () -> {
                    go.await();
                    return instance.seedIfEmpty(counted(asked));
                };
                seeding.add(threads.submit(seed));
            }
            go.countDown();
            for (Future<Boolean> future : seeding) {
                filled.add(future.get(30, TimeUnit.SECONDS));
            }
        }

        assertThat(filled).containsExactlyInAnyOrder(true, false);
        assertThat(asked).hasValue(1);
        assertThat(instances.get(1).stock(3)).isEqualTo(new StockLevel(3, 120, 0));
    }

    @Test
    void answersAProductItDoesNotStockAsNotFound() {
        assertProblem(404, () -> inventory.stock(987_654));
    }

    @Test
    void letsAnAdministratorSetTheUnitsAvailable() {
        long product = fixture.stocked(10);

        assertThat(inventory.setAvailable(ADMIN, product, 25)).isEqualTo(new StockLevel(product, 25, 0));
        assertThat(inventory.setAvailable(ADMIN, product, 0)).isEqualTo(new StockLevel(product, 0, 0));
        assertThat(inventory.setAvailable(ADMIN, product, LocalInventoryService.MAX_AVAILABLE).available()).isEqualTo(1_000_000);
        assertThat(inventory.stock(product).available()).isEqualTo(1_000_000);
    }

    @Test
    void letsNobodyButAnAdministratorSetTheStock() {
        long product = fixture.stocked(10);

        assertProblem(403, () -> inventory.setAvailable(CUSTOMER, product, 1_000));
        assertProblem(403, () -> inventory.setAvailable(CUSTOMER, 987_654, -1));

        assertThat(inventory.stock(product).available()).isEqualTo(10);
    }

    @Test
    void refusesAnUnknownProductOrANumberOutOfRange() {
        long product = fixture.stocked(10);

        assertProblem(404, () -> inventory.setAvailable(ADMIN, 987_654, 5));
        assertProblem(400, () -> inventory.setAvailable(ADMIN, product, -1));
        assertProblem(400, () -> inventory.setAvailable(ADMIN, product, LocalInventoryService.MAX_AVAILABLE + 1));

        assertThat(inventory.stock(product).available()).isEqualTo(10);
    }

    @Test
    void keepsAvailableEqualToReceivedLessWhatOrdersHold() throws Exception {
        long product = fixture.stocked(10);
        UUID sold = UUID.randomUUID();
        UUID cancelled = UUID.randomUUID();

        fixture.worker().handle(placed(sold, line(product, 3)));
        assertInBalance(product);
        assertThat(inventory.setAvailable(ADMIN, product, 20)).isEqualTo(new StockLevel(product, 20, 3));
        assertInBalance(product);
        fixture.worker().handle(confirmed(sold));
        fixture.worker().handle(placed(cancelled, line(product, 5)));
        assertThat(inventory.stock(product)).isEqualTo(new StockLevel(product, 15, 5));
        assertInBalance(product);
        assertThat(inventory.setAvailable(ADMIN, product, 0)).isEqualTo(new StockLevel(product, 0, 5));
        assertInBalance(product);
        fixture.worker().handle(rejected(cancelled));

        assertThat(inventory.stock(product)).isEqualTo(new StockLevel(product, 5, 0));
        assertInBalance(product);
        assertThat(fixture.books(product)).isEqualTo(new InventoryFixture.Books(8, 3));
    }

    @Test
    void writesAnAdministratorsStockChangeThroughToTheCacheAndAsAnEvent() throws Exception {
        long product = fixture.stocked(3);
        LocalInventoryService other = fixture.instance("");
        assertThat(other.productStock().available(product)).hasValue(3); // now cached there

        inventory.setAvailable(ADMIN, product, 40);
        fixture.overwriteAvailable(product, 99); // the cache answers now, not the store

        assertThat(inventory.productStock().available(product)).hasValue(40);
        assertThat(other.productStock().available(product)).as("until the event arrives").hasValue(3);
        List<Event> events = fixture.stockEvents(product);
        assertThat(events).hasSize(1);
        assertThat(events.getFirst().topic()).isEqualTo(StockEvents.TOPIC);
        assertThat(events.getFirst().type()).isEqualTo(StockEvents.STOCK_CHANGED);
        assertThat(events.getFirst().payload()).contains("\"product_id\":" + product, "\"available\":40", "\"reserved\":0");

        other.stockCacheSubscription("app-2", Subscription.Retry.DEFAULT).handler().handle(events.getFirst());
        assertThat(other.productStock().available(product)).hasValue(40);
        assertThat(other.stockCacheSubscription("app-2", Subscription.Retry.DEFAULT).group()).isEqualTo("stock-cache.app-2");
    }

    @Test
    void readsThePageOfLevelsItDoesNotHoldInOneStatementAndLeavesOutProductsWithoutStock() {
        long cached = fixture.stocked(3);
        long first = fixture.stocked(7);
        long second = fixture.stocked(0);
        assertThat(inventory.productStock().available(cached)).hasValue(3);
        fixture.overwriteAvailable(cached, 99); // the cache answers for this one

        assertThat(inventory.productStock().available(List.of(cached, first, second, 987_654_321L)))
                .containsExactlyInAnyOrderEntriesOf(Map.of(cached, 3, first, 7, second, 0));
    }

    @Test
    void writesTheSagasStockChangesThroughToTheCache() throws Exception {
        long product = fixture.stocked(10);
        assertThat(inventory.productStock().available(product)).hasValue(10); // cached: what follows are puts
        UUID order = UUID.randomUUID();

        fixture.worker().handle(placed(order, line(product, 4)));
        assertThat(inventory.productStock().available(product)).hasValue(6);

        fixture.worker().handle(rejected(order));
        assertThat(inventory.productStock().available(product)).hasValue(10);
        assertThat(fixture.stockEvents(product)).extracting(Event::type).containsExactly(StockEvents.STOCK_CHANGED, StockEvents.STOCK_CHANGED);
        assertThat(fixture.stockEvents(product).getLast().payload()).contains("\"available\":10");
    }

    @Test
    void readsStockFromTheStoreEveryTimeWhenItsCacheIsOff() {
        long product = fixture.stocked(5);
        LocalInventoryService uncached = new LocalInventoryService(fixture.store(""),
                new archway.cache.caffeine.CaffeineCaches(new io.micrometer.core.instrument.simple.SimpleMeterRegistry()),
                archway.cache.CachePlan.parse(List.of("inventory.stock=off")));
        assertThat(uncached.productStock().available(product)).hasValue(5);

        fixture.overwriteAvailable(product, 7);

        assertThat(uncached.productStock().available(product)).hasValue(7);
        assertThat(uncached.productStock().available(987_654_321)).isEmpty();
    }
}
