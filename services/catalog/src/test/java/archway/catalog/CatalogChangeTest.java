package archway.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import archway.bus.Event;
import archway.bus.Outbox;
import archway.bus.Payloads;
import archway.cache.CachePlan;
import archway.catalog.CatalogFixture.Instance;
import archway.platform.problem.ProblemException;
import archway.store.Transactions;
import archway.store.embedded.EmbeddedPostgres;
import archway.store.embedded.TestPostgres;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A product change and its event, and the write-behind view counter, on the service itself:
 * one seeded catalog, with instances that share it (one per test that needs its own caches or
 * counter).
 */
class CatalogChangeTest {

    @TempDir
    static Path folder;
    static EmbeddedPostgres postgres;
    static CatalogFixture fixture;
    static Instance instance;

    @BeforeAll
    static void start() {
        postgres = TestPostgres.start(folder);
        fixture = new CatalogFixture(postgres, folder);
        instance = fixture.instance("", "objects");
        instance.catalog().seedIfEmpty();
    }

    @AfterAll
    static void stop() {
        fixture.close();
        postgres.close();
    }

    private static ProductChange price(long amount) {
        return new ProductChange(Money.usd(amount), null, null, null);
    }

    @Test
    void appendsProductChangedInTheTransactionOfTheChange() {
        instance.catalog().change(CatalogFixture.ADMIN, 101, new ProductChange(Money.usd(4321), "New name", null, 5));

        List<Event> events = Outbox.waiting(instance.catalog().outbox(), "101");
        assertThat(events).hasSize(1);
        Event event = events.getFirst();
        assertThat(event.topic()).isEqualTo(CatalogEvents.TOPIC);
        assertThat(event.type()).isEqualTo(CatalogEvents.PRODUCT_CHANGED);
        CatalogEvents.ProductChanged payload = Payloads.read(event, CatalogEvents.ProductChanged.class);
        assertThat(payload.productId()).isEqualTo(101);
        assertThat(payload.changed()).containsExactly("price", "name", "stock");
        assertThat(event.payload()).contains("\"product_id\":101");
    }

    @Test
    void leavesNeitherTheChangeNorItsEventWhenTheTransactionRollsBack() {
        long before = instance.catalog().product(102).price().amount();

        assertThatThrownBy(() -> Transactions.inTransaction(instance.catalog().outbox(), "change and fail", tx -> {
            instance.catalog().apply(tx, 102, price(before + 1));
            throw new IllegalStateException("the store went away");
        })).hasMessage("the store went away");

        assertThat(Outbox.waiting(instance.catalog().outbox(), "102")).isEmpty();
        instance.catalog().invalidate(102);
        assertThat(instance.catalog().product(102).price().amount()).isEqualTo(before);
    }

    @Test
    void refusesAChangeFromACustomerOrToAnotherCurrencyOrAnUnknownProduct() {
        assertThatThrownBy(() -> instance.catalog().change(CatalogFixture.CUSTOMER, 103, price(1)))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.problem().status()).isEqualTo(403));
        assertThatThrownBy(() -> instance.catalog().change(CatalogFixture.ADMIN, 103, new ProductChange(new Money(1, "EUR"), null, null, null)))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.problem().status()).isEqualTo(400));
        assertThatThrownBy(() -> instance.catalog().change(CatalogFixture.ADMIN, 20_000, price(1)))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.problem().status()).isEqualTo(404));
        assertThat(Outbox.waiting(instance.catalog().outbox(), "103")).isEmpty();
    }

    @Test
    void writesViewsInBatchesAndACrashLosesOnlyWhatWasCountedSinceTheLastFlush() {
        Instance counting = fixture.instance("", "objects", CachePlan.parse(List.of("catalog.views.flush=1h")));
        ViewCounter views = counting.catalog().viewCounter();
        for (int i = 0; i < 40; i++) {
            counting.catalog().countView(201);
            counting.catalog().countView(202);
        }
        views.flush();
        assertThat(counting.registry().get("catalog.views.flushes").counter().count()).isEqualTo(1);
        assertThat(counting.registry().get("catalog.views.flush.rows").summary().totalAmount()).isEqualTo(2);
        for (int i = 0; i < 7; i++) {
            counting.catalog().countView(201);
        }
        assertThat(counting.catalog().views(201).views()).isEqualTo(47);
        assertThat(counting.registry().get("catalog.views.pending").gauge().value()).isEqualTo(7);

        views.abandon(); // a crash: the flusher stops without the final flush

        assertThat(instance.catalog().views(201).views()).as("lost the 7 counted since the last flush, no more").isEqualTo(40);
        assertThat(instance.catalog().views(202).views()).isEqualTo(40);
    }

    @Test
    void writesWhatIsPendingOnACleanClose() {
        Instance counting = fixture.instance("", "objects", CachePlan.parse(List.of("catalog.views.flush=1h")));
        for (int i = 0; i < 25; i++) {
            counting.catalog().countView(301);
        }
        assertThat(instance.catalog().views(301).views()).as("not written yet").isZero();

        counting.catalog().close();

        assertThat(instance.catalog().views(301).views()).isEqualTo(25);
        assertThat(counting.registry().get("catalog.views.pending").gauge().value()).isZero();
    }

    @Test
    void writesEachViewAtOnceWhenWriteBehindIsOff() {
        Instance direct = fixture.instance("", "objects", CachePlan.parse(List.of("catalog.views=off")));
        direct.catalog().countView(401);
        direct.catalog().countView(401);

        assertThat(instance.catalog().views(401).views()).isEqualTo(2);
        assertThat(direct.registry().get("catalog.views.flushes").counter().count()).isEqualTo(2);
    }

    @Test
    void asksTheStoreOnceForRepeatedAsksOfAnUnknownProduct() {
        Instance plain = fixture.instance("", "objects");
        double before = plain.storeQueries();
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> plain.catalog().product(50_000)).isInstanceOf(ProblemException.class);
        }
        assertThat(plain.storeQueries()).as("one look in the store for five asks").isEqualTo(before + 1);
        assertThat(CachePlan.defaults().spec(CachePlan.PRODUCTS).negativeTtl()).isEqualTo(java.time.Duration.ofSeconds(5));
    }
}
