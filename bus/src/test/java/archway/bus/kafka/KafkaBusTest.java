package archway.bus.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import archway.bus.DeadLetter;
import archway.bus.Event;
import archway.bus.PoisonEventException;
import archway.bus.Subscription;
import archway.store.embedded.EmbeddedPostgres;
import archway.store.embedded.TestPostgres;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bus end to end on one broker and one PostgreSQL for the class; each test has topics,
 * groups and an outbox schema of its own.
 */
class KafkaBusTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Instant NOW = Instant.parse("2030-01-02T03:04:05Z");
    private static final Subscription.Retry QUICK = new Subscription.Retry(3, Duration.ofMillis(10), Duration.ofMillis(50));
    private static final AtomicInteger TESTS = new AtomicInteger();

    @TempDir
    static Path folder;
    private static EmbeddedKafka kafka;
    private static EmbeddedPostgres postgres;

    private final List<AutoCloseable> opened = new ArrayList<>();
    private SimpleMeterRegistry registry;
    private KafkaBus bus;
    private Shop shop;
    private String name;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start(new EmbeddedKafka.Settings(folder.resolve("kafka"), 0));
        postgres = TestPostgres.start(folder.resolve("postgres"));
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @BeforeEach
    void openBus(TestInfo test) {
        int n = TESTS.incrementAndGet();
        name = "t" + n;
        registry = new SimpleMeterRegistry();
        bus = open(KafkaBus.connect(config("test-" + n).withRegistry(registry)));
        shop = open(Shop.open(postgres, name + "_"));
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : opened.reversed()) {
            closeable.close();
        }
    }

    private <T extends AutoCloseable> T open(T closeable) {
        opened.add(closeable);
        return closeable;
    }

    private static KafkaBus.Config config(String clientIdPrefix) {
        return KafkaBus.Config.of(kafka.bootstrapServers(), clientIdPrefix).withClock(Clock.fixed(NOW, ZoneOffset.UTC));
    }

    /** A topic of this test, created with {@code partitions}. */
    private String topic(int partitions) {
        String topic = name + ".orders";
        bus.createTopics(Map.of(topic, partitions));
        return topic;
    }

    /** Starts this test's group {@code <name>-billing} on {@code topic} with {@code received}, then the relay of its outbox. */
    private void billingAndRelay(String topic, Received received, Subscription.Retry retry) {
        open(bus.subscribe(new Subscription(name + "-billing", List.of(topic), received, retry)));
        open(bus.relay("shop", shop.db()));
    }

    @Test
    void eventsCommittedToTheOutboxReachASubscriberInPerKeyOrderWithTheirIdTypeKeyAndHeaders() throws Exception {
        String topic = topic(3);
        Received received = new Received();
        billingAndRelay(topic, received, QUICK);

        List<Event> events = new ArrayList<>();
        for (int n = 0; n < 50; n++) {
            for (String key : List.of("order-a", "order-b", "order-c")) {
                events.add(Shop.order(topic, key, n));
            }
        }
        for (int i = 0; i < events.size(); i += 10) {
            shop.place(events.subList(i, i + 10));
        }

        Await.until("150 events", WAIT, () -> received.hasAll(events));
        assertThat(received.firstIdsByKey()).isEqualTo(Received.idsByKey(events));
        Event first = received.events().stream().filter(e -> e.id().equals(events.getFirst().id())).findFirst().orElseThrow();
        assertThat(first).isEqualTo(events.getFirst());
        assertThat(first.headers()).containsEntry(Event.TRACEPARENT, Shop.TRACE.get(Event.TRACEPARENT));
        Await.until("an empty outbox", WAIT, () -> shop.outboxRows() == 0);
        assertThat(registry.get("bus.relay.published").tag("relay", "shop").counter().count()).isGreaterThanOrEqualTo(150);
        assertThat(registry.get("bus.consumed").tag("group", name + "-billing").counter().count()).isGreaterThanOrEqualTo(150);
    }

    @Test
    void anEventAppendedInARolledBackTransactionIsNeverDelivered() throws Exception {
        String topic = topic(1);
        Received received = new Received();
        billingAndRelay(topic, received, QUICK);
        Event rolledBack = Shop.order(topic, "order-a", 1);
        Event committed = Shop.order(topic, "order-a", 2);

        shop.placeAndRollBack(List.of(rolledBack));
        shop.place(List.of(committed));

        // the relay sends in outbox order on one partition: had the first one been relayed, it would have come first
        Await.until("the committed event", WAIT, () -> received.ids().contains(committed.id()));
        assertThat(received.ids()).containsExactly(committed.id());
        assertThat(shop.count("orders")).isEqualTo(1);
    }

    @Test
    void twoRelaysOnOneOutboxDeliverEveryEventWithEachKeyInOrder() throws Exception {
        String topic = topic(3);
        Received received = new Received();
        open(bus.subscribe(new Subscription(name + "-billing", List.of(topic), received, QUICK)));
        KafkaBus other = open(KafkaBus.connect(config("test-other")));
        open(bus.relay("shop", shop.db()));
        open(other.relay("shop", shop.db()));

        List<Event> events = new ArrayList<>();
        for (int n = 0; n < 200; n++) {
            Event event = Shop.order(topic, "order-" + n % 4, n);
            events.add(event);
            shop.place(List.of(event));
        }

        Await.until("200 events", WAIT, () -> received.hasAll(events));
        assertThat(received.firstIdsByKey()).isEqualTo(Received.idsByKey(events));
        Await.until("an empty outbox", WAIT, () -> shop.outboxRows() == 0);
    }

    @Test
    void aHandlerThatFailsTwiceGetsTheEventThreeTimesAndTheLaterEventsOfItsKeyOnlyAfterIt() throws Exception {
        String topic = topic(1);
        Event first = Shop.order(topic, "order-a", 1);
        Event second = Shop.order(topic, "order-a", 2);
        Event third = Shop.order(topic, "order-a", 3);
        AtomicInteger failures = new AtomicInteger();
        Received received = Received.failingOn(first,
                () -> failures.incrementAndGet() <= 2 ? new IllegalStateException("the stock service is away") : null);
        billingAndRelay(topic, received, QUICK);

        shop.place(List.of(first, second, third));

        Await.until("the third event", WAIT, () -> received.ids().contains(third.id()));
        assertThat(received.events()).extracting(Event::id)
                .containsExactly(first.id(), first.id(), first.id(), second.id(), third.id());
        assertThat(registry.get("bus.retries").tag("group", name + "-billing").counter().count()).isEqualTo(2);
        assertThat(deadLettersOf(name + "-billing")).isEmpty();
    }

    @Test
    void anEventThatAlwaysFailsIsDeadLetteredTheRestFlowsAndAReplayDeliversItOnce() throws Exception {
        String topic = topic(1);
        String group = name + "-billing";
        Event broken = Shop.order(topic, "order-a", 1);
        Event later = Shop.order(topic, "order-a", 2);
        AtomicBoolean fixed = new AtomicBoolean();
        Received received = Received.failingOn(broken, () -> fixed.get() ? null : new IllegalStateException("no such product"));
        billingAndRelay(topic, received, QUICK);

        shop.place(List.of(broken, later));

        Await.until("the later event", WAIT, () -> received.ids().contains(later.id()));
        assertThat(received.events()).extracting(Event::id).containsExactly(broken.id(), broken.id(), broken.id(), later.id());
        List<DeadLetter> letters = deadLettersOf(group);
        assertThat(letters).hasSize(1);
        DeadLetter letter = letters.getFirst();
        assertThat(letter.event()).isEqualTo(broken);
        assertThat(letter.error()).isEqualTo("IllegalStateException: no such product");
        assertThat(letter.attempts()).isEqualTo(3);
        assertThat(letter.failedAt()).isEqualTo(NOW);
        assertThat(letter.replayed()).isFalse();
        assertThat(registry.get("bus.dead.letters").tag("group", group).counter().count()).isEqualTo(1);

        fixed.set(true);
        assertThat(bus.replay(letter.id())).isTrue();

        Await.until("the replayed event", WAIT, () -> received.count() == 5);
        assertThat(received.events().getLast()).isEqualTo(broken);
        assertThat(bus.replay(letter.id())).isFalse();
        assertThat(deadLettersOf(group)).singleElement().extracting(DeadLetter::replayed).isEqualTo(true);
        assertThat(bus.replay("no-such-letter")).isFalse();
    }

    @Test
    void aRecordWithoutAnEventIdAndAPoisonEventAreDeadLetteredWithoutRetries() throws Exception {
        String topic = topic(1);
        String group = name + "-billing";
        Event poison = Shop.order(topic, "order-a", 1);
        Event good = Shop.order(topic, "order-a", 2);
        Received received = Received.failingOn(poison, () -> new PoisonEventException("payload is not an order"));
        billingAndRelay(topic, received, Subscription.Retry.DEFAULT);

        sendRaw(topic, "order-a", "{\"not\":\"an event\"}");
        shop.place(List.of(poison, good));

        Await.until("the good event", WAIT, () -> received.ids().contains(good.id()));
        assertThat(received.events()).extracting(Event::id).containsExactly(poison.id(), good.id());
        List<DeadLetter> letters = deadLettersOf(group);
        assertThat(letters).extracting(DeadLetter::attempts).containsExactly(0, 1);
        assertThat(letters.get(0).error()).contains("event_id");
        assertThat(letters.get(0).event().payload()).isEqualTo("{\"not\":\"an event\"}");
        assertThat(letters.get(1).event()).isEqualTo(poison);
        assertThat(letters.get(1).error()).isEqualTo("PoisonEventException: payload is not an order");
        assertThat(registry.get("bus.retries").tag("group", group).counter().count()).isZero();
    }

    @Test
    void twoMembersOfOneGroupShareThePartitionsAndHandleEveryEventOnce() throws Exception {
        String topic = topic(4);
        String group = name + "-billing";
        Received one = new Received();
        Received two = new Received();
        open(bus.subscribe(new Subscription(group, List.of(topic), one, QUICK)));
        open(bus.subscribe(new Subscription(group, List.of(topic), two, QUICK)));
        open(bus.relay("shop", shop.db()));

        // until both members have partitions: the second may join after the first started handling
        List<Event> events = new ArrayList<>();
        Await.until("both members handling events", WAIT, () -> {
            placeEvents(topic, events, 8);
            return one.count() > 0 && two.count() > 0;
        });
        placeEvents(topic, events, 40);

        Await.until("every event", WAIT, () -> handledIds(one, two).containsAll(ids(events)));
        assertThat(handledIds(one, two)).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids(events));
    }

    @Test
    void twoGroupsEachGetEveryEvent() throws Exception {
        String topic = topic(2);
        Received billing = new Received();
        Received shipping = new Received();
        open(bus.subscribe(new Subscription(name + "-billing", List.of(topic), billing, QUICK)));
        open(bus.subscribe(new Subscription(name + "-shipping", List.of(topic), shipping, QUICK)));
        open(bus.relay("shop", shop.db()));

        List<Event> events = new ArrayList<>();
        placeEvents(topic, events, 20);

        Await.until("every event in both groups", WAIT, () -> billing.hasAll(events) && shipping.hasAll(events));
        assertThat(billing.ids()).hasSize(20);
        assertThat(shipping.ids()).hasSize(20);
    }

    /** Kills the class's broker and starts it again on the same folder and port: the later tests find it back. */
    @Test
    void everyEventCommittedWhileTheBrokerIsKilledAndRestartedIsDeliveredInKeyOrder() throws Exception {
        String topic = topic(3);
        Received received = new Received();
        billingAndRelay(topic, received, Subscription.Retry.DEFAULT);
        List<Event> committed = new CopyOnWriteArrayList<>();
        CountDownLatch halfway = new CountDownLatch(1);
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            Future<?> writing = writer.submit(() -> {
                for (int n = 0; n < 300; n++) {
                    Event event = Shop.order(topic, "order-" + n % 5, n);
                    shop.place(List.of(event));
                    committed.add(event);
                    if (n == 100) {
                        halfway.countDown();
                    }
                    Thread.sleep(5);
                }
                return null;
            });
            assertThat(halfway.await(30, TimeUnit.SECONDS)).isTrue();
            long pid = kafka.pid();

            kafka.kill();
            assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
            kafka = EmbeddedKafka.start(new EmbeddedKafka.Settings(kafka.settings().dataDirectory(), kafka.port()));
            writing.get(60, TimeUnit.SECONDS);

            Await.until("300 events after the restart", Duration.ofSeconds(60), () -> received.hasAll(committed));
        } finally {
            writer.shutdownNow();
        }
        assertThat(committed).hasSize(300);
        assertThat(received.firstIdsByKey()).isEqualTo(Received.idsByKey(committed));
        Await.until("an empty outbox", WAIT, () -> shop.outboxRows() == 0);
    }

    @Test
    void createTopicsIsIdempotentAndCreatesTheDeadLetterTopics() throws Exception {
        bus.createTopics(Map.of(name + ".payments", 3));
        bus.createTopics(Map.of(name + ".payments", 3, name + ".stock", 2));

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            Map<String, TopicDescription> topics = admin.describeTopics(Set.of(name + ".payments", name + ".stock",
                    KafkaBus.DEAD_LETTER_TOPIC, KafkaBus.REPLAYED_TOPIC)).allTopicNames().get();
            assertThat(topics.get(name + ".payments").partitions()).hasSize(3);
            assertThat(topics.get(name + ".stock").partitions()).hasSize(2);
            assertThat(topics.get(KafkaBus.DEAD_LETTER_TOPIC).partitions()).hasSize(1);
            assertThat(topics.get(KafkaBus.REPLAYED_TOPIC).partitions()).hasSize(1);
        }
        assertThatThrownBy(() -> bus.createTopics(Map.of(name + ".none", 0))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aClosedBusRefusesNewWork() {
        bus.close();

        assertThatThrownBy(() -> bus.relay("shop", shop.db())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> bus.subscribe(Subscription.of(name + "-billing", List.of("x"), event -> { })))
                .isInstanceOf(IllegalStateException.class);
    }

    private void placeEvents(String topic, List<Event> events, int count) {
        List<Event> batch = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            batch.add(Shop.order(topic, "order-" + (events.size() + n) % 8, events.size() + n));
        }
        try {
            shop.place(batch);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        events.addAll(batch);
    }

    /** The ids the members handled, duplicates kept. */
    private static List<String> handledIds(Received... members) {
        List<String> ids = new ArrayList<>();
        for (Received member : members) {
            ids.addAll(ids(member.events()));
        }
        return ids;
    }

    private static List<String> ids(List<Event> events) {
        return events.stream().map(Event::id).toList();
    }

    private List<DeadLetter> deadLettersOf(String group) {
        return bus.deadLetters().stream().filter(letter -> letter.group().equals(group)).toList();
    }

    private static void sendRaw(String topic, String key, String value) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
            ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, value);
            record.headers().add("event_type", "OrderPlaced".getBytes(StandardCharsets.UTF_8));
            producer.send(record).get();
        }
    }
}
