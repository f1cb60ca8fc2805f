package archway.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import archway.bus.kafka.EmbeddedKafka;
import archway.bus.kafka.KafkaBus;
import archway.cache.CachePlan;
import archway.catalog.CatalogFixture.Instance;
import archway.store.embedded.EmbeddedPostgres;
import archway.store.embedded.TestPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances of the catalog over one PostgreSQL and a real Kafka broker: a change made on
 * one reaches the other's cache through {@code ProductChanged}, each instance in a consumer
 * group of its own.
 */
class CatalogInvalidationTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path folder;
    static EmbeddedKafka kafka;
    static EmbeddedPostgres postgres;
    static CatalogFixture fixture;
    static final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start(new EmbeddedKafka.Settings(folder.resolve("kafka"), 0));
        postgres = TestPostgres.start(folder.resolve("postgres"));
        fixture = new CatalogFixture(postgres, folder);
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable each : opened.reversed()) {
            each.close();
        }
        if (fixture != null) {
            fixture.close();
        }
        if (postgres != null) {
            postgres.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    /** A catalog instance whose products stay cached an hour: only the event can refresh them. */
    private static Instance instance(String name) {
        Instance instance = fixture.instance("", "objects", CachePlan.parse(List.of("catalog.products.ttl=1h")));
        KafkaBus bus = KafkaBus.connect(KafkaBus.Config.of(kafka.bootstrapServers(), name));
        opened.add(bus);
        bus.createTopics(Map.of(CatalogEvents.TOPIC, 2));
        bus.relay(CatalogEvents.TOPIC, instance.catalog().outbox());
        bus.subscribe(instance.catalog().cacheSubscription(name, archway.bus.Subscription.Retry.DEFAULT));
        return instance;
    }

    @Test
    void aChangeOnOneInstanceReachesTheCacheOfTheOtherThroughTheEvent() throws Exception {
        Instance a = instance("app-a");
        Instance b = instance("app-b");
        a.catalog().seedIfEmpty();
        long before = b.catalog().product(77).price().amount(); // now cached on b for an hour
        long after = before + 1_000;

        a.catalog().change(CatalogFixture.ADMIN, 77, new ProductChange(Money.usd(after), null, null, null));

        assertThat(a.catalog().product(77).price().amount()).as("at once where it was made").isEqualTo(after);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (b.catalog().product(77).price().amount() != after && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(b.catalog().product(77).price().amount()).as("on the other instance, through the event").isEqualTo(after);
    }
}
