package archway.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import archway.bus.Event;
import archway.bus.Payloads;
import archway.bus.PoisonEventException;
import archway.catalog.Money;
import archway.order.OrderEvents;
import archway.store.Store;
import archway.store.embedded.EmbeddedPostgres;
import archway.store.embedded.TestPostgres;
import archway.store.postgres.PostgresStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Counting order outcomes, on embedded PostgreSQL; each test starts from no counts at all. */
class LocalAnalyticsServiceTest {

    private static final LocalDate MONDAY = LocalDate.of(2030, 3, 4);

    @TempDir
    static Path folder;
    static EmbeddedPostgres postgres;
    static Store store;

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
    void forgetEverything() throws SQLException {
        LocalAnalyticsService schemaReady = analyticsOn(MONDAY);
        try (Connection c = store.schema(LocalAnalyticsService.SCHEMA).getConnection(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE order_stats, product_sales, processed_events");
        }
        assertThat(schemaReady.stats().days()).isEmpty();
    }

    /** The analytics service of an instance whose clock shows noon of {@code day} (UTC). */
    private static LocalAnalyticsService analyticsOn(LocalDate day) {
        return new LocalAnalyticsService(store, Clock.fixed(day.atTime(12, 0).toInstant(ZoneOffset.UTC), ZoneOffset.UTC));
    }

    private static OrderEvents.Line line(long productId, int quantity) {
        return new OrderEvents.Line(productId, quantity);
    }

    private static Event confirmed(long total, OrderEvents.Line... lines) {
        UUID order = UUID.randomUUID();
        return Event.of(OrderEvents.TOPIC, order.toString(), OrderEvents.ORDER_CONFIRMED,
                Payloads.write(new OrderEvents.OrderConfirmed(order, "customer-1", List.of(lines), Money.usd(total))), Map.of());
    }

    private static Event rejected() {
        UUID order = UUID.randomUUID();
        return Event.of(OrderEvents.TOPIC, order.toString(), OrderEvents.ORDER_REJECTED, Payloads.write(
                new OrderEvents.OrderRejected(order, "customer-1", OrderEvents.OUT_OF_STOCK, List.of(line(9, 4)), Money.usd(900))),
                Map.of());
    }

    @Test
    void countsTheDaysOutcomesWithTheUnitsAndRevenueOfConfirmedOrders() {
        LocalAnalyticsService analytics = analyticsOn(MONDAY);

        analytics.handle(confirmed(1_000, line(1, 2), line(2, 3)));
        analytics.handle(confirmed(550, line(1, 1)));
        analytics.handle(rejected());

        assertThat(analytics.stats().days()).containsExactly(new OrderStats.Day(MONDAY, 2, 1, 6, 1_550));
        assertThat(analytics.stats().topProducts()).containsExactly(new OrderStats.ProductSales(1, 3),
                new OrderStats.ProductSales(2, 3));
    }

    @Test
    void countsARedeliveredOutcomeOnce() {
        LocalAnalyticsService analytics = analyticsOn(MONDAY);
        Event confirmed = confirmed(700, line(5, 7));
        Event rejected = rejected();

        for (int i = 0; i < 3; i++) {
            analytics.handle(confirmed);
            analytics.handle(rejected);
        }

        assertThat(analytics.stats().days()).containsExactly(new OrderStats.Day(MONDAY, 1, 1, 7, 700));
        assertThat(analytics.stats().topProducts()).containsExactly(new OrderStats.ProductSales(5, 7));
    }

    @Test
    void keepsEachDayApartNewestFirst() {
        LocalDate tuesday = MONDAY.plusDays(1);

        analyticsOn(MONDAY).handle(confirmed(100, line(1, 1)));
        analyticsOn(tuesday).handle(confirmed(200, line(1, 2)));
        analyticsOn(tuesday).handle(rejected());

        assertThat(analyticsOn(tuesday).stats().days()).containsExactly(new OrderStats.Day(tuesday, 1, 1, 2, 200),
                new OrderStats.Day(MONDAY, 1, 0, 1, 100));
    }

    @Test
    void ranksTheTenBestSellingProductsMostUnitsFirst() {
        LocalAnalyticsService analytics = analyticsOn(MONDAY);
        for (int product = 1; product <= 12; product++) {
            analytics.handle(confirmed(100, line(product, product), line(100 + product, 1)));
        }

        List<OrderStats.ProductSales> expected = new ArrayList<>();
        for (int product = 12; product >= 3; product--) {
            expected.add(new OrderStats.ProductSales(product, product));
        }
        assertThat(analytics.stats().topProducts()).containsExactlyElementsOf(expected);
    }

    @Test
    void showsTheLastThirtyDaysOnly() {
        for (int day = 0; day < 31; day++) {
            analyticsOn(MONDAY.plusDays(day)).handle(rejected());
        }

        List<OrderStats.Day> days = analyticsOn(MONDAY).stats().days();

        assertThat(days).hasSize(30);
        assertThat(days.getFirst().day()).isEqualTo(MONDAY.plusDays(30));
        assertThat(days.getLast().day()).isEqualTo(MONDAY.plusDays(1));
    }

    @Test
    void ignoresTheOtherStepsOfTheSagaAndTreatsAnUnreadableOutcomeAsPoison() {
        LocalAnalyticsService analytics = analyticsOn(MONDAY);

        analytics.handle(Event.of(OrderEvents.TOPIC, "order", OrderEvents.ORDER_PLACED, "{}", Map.of()));
        assertThatThrownBy(() -> analytics.handle(Event.of(OrderEvents.TOPIC, "order", OrderEvents.ORDER_CONFIRMED, "{", Map.of())))
                .isInstanceOf(PoisonEventException.class);

        assertThat(analytics.stats().days()).isEmpty();
    }
}
