package archway.bus.kafka;

import archway.bus.Bus;
import archway.bus.DeadLetter;
import archway.bus.Outbox;
import archway.bus.Subscription;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bus on Kafka: outboxes relayed by one shared idempotent producer, consumer groups as
 * Kafka consumer groups, dead letters in the topic {@value #DEAD_LETTER_TOPIC}.
 *
 * <ul>
 *   <li>Records: key and value are the event's key and payload; the headers
 *       {@code event_id} and {@code event_type} carry its id and type, next to the event's
 *       own headers (such as {@code traceparent}).</li>
 *   <li>{@link #relay}: a thread per outbox (see {@code OutboxRelay}); instances relaying
 *       the same outbox take turns under a PostgreSQL advisory lock, so the events leave in the
 *       order they were written, at least once.</li>
 *   <li>{@link #subscribe}: a consumer and its thread per member (see {@code ConsumerWorker}).
 *       The events of one partition, so of one key, are handled strictly in order, one at a
 *       time; a failing event is retried in place and holds up the events after it in its
 *       partition until it succeeds or is dead-lettered: the price of per-key order.</li>
 *   <li>{@link #deadLetters} and {@link #replay}: see {@code DeadLetterTopic}; a replay is
 *       recorded in {@value #REPLAYED_TOPIC}.</li>
 * </ul>
 *
 * <p>Metrics, when the configuration names a registry: {@code bus.relay.published{relay}}
 * (events the relay had acknowledged), {@code bus.outbox.backlog{relay}} (the outbox's rows,
 * counted at most once a second), {@code bus.consumed{group}} (events handled),
 * {@code bus.retries{group}} (attempts after a failure) and {@code bus.dead.letters{group}};
 * in Prometheus, the counters end in {@code _total}.
 */
public final class KafkaBus implements Bus {

    /** Where dead letters go: one partition, kept forever. */
    public static final String DEAD_LETTER_TOPIC = DeadLetterTopic.TOPIC;
    /** Where replays are recorded (keyed by the dead letter's id): one partition, kept forever. */
    public static final String REPLAYED_TOPIC = DeadLetterTopic.REPLAYED_TOPIC;

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBus.class);
    private static final Pattern RELAY_NAME = Pattern.compile("[a-z][a-z0-9_.-]{0,60}");
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration PRODUCER_CLOSE = Duration.ofSeconds(5);

    private final Config config;
    private final Clients clients;
    private final MeterRegistry registry;
    private final KafkaProducer<String, String> producer;
    private final DeadLetterTopic deadLetters;
    private final Set<Worker> workers = ConcurrentHashMap.newKeySet();
    private boolean closed;

    /**
     * Where the brokers are and how the bus behaves.
     *
     * @param bootstrapServers   the brokers, {@code host:port[,host:port...]}
     * @param clientIdPrefix     starts the client id of every Kafka client of this bus (the
     *                           instance's name, say), as the brokers' logs and quotas see it
     * @param relayPollInterval  how long a relay waits before looking at its outbox again
     *                           when it found it drained (a full batch is followed at once):
     *                           the most an event waits in a quiet outbox, bought with one
     *                           small transaction per interval per relaying instance
     * @param relayBatchSize     the most rows a relay sends in one transaction
     * @param clock              the time of dead letters and replays
     * @param registry           where the metrics go, or {@code null} for none
     */
    public record Config(String bootstrapServers, String clientIdPrefix, Duration relayPollInterval, int relayBatchSize,
                         Clock clock, MeterRegistry registry) {

        /** 20 ms: unnoticeable next to a request, and 50 tiny transactions a second per relay. */
        public static final Duration DEFAULT_RELAY_POLL_INTERVAL = Duration.ofMillis(20);
        public static final int DEFAULT_RELAY_BATCH_SIZE = 500;
        private static final Pattern CLIENT_ID_PREFIX = Pattern.compile("[A-Za-z0-9._-]{1,100}");

        public Config {
            if (bootstrapServers == null || bootstrapServers.isBlank()) {
                throw new IllegalArgumentException("kafka bus bootstrapServers must be set (host:port[,host:port...])");
            }
            if (clientIdPrefix == null || !CLIENT_ID_PREFIX.matcher(clientIdPrefix).matches()) {
                throw new IllegalArgumentException("kafka bus clientIdPrefix must be 1-100 letters, digits, '.', '_' or '-', was "
                        + clientIdPrefix);
            }
            if (relayPollInterval == null || relayPollInterval.toMillis() < 1 || relayPollInterval.toSeconds() > 60) {
                throw new IllegalArgumentException("kafka bus relayPollInterval must be 1 ms to 60 s, was " + relayPollInterval);
            }
            if (relayBatchSize < 1 || relayBatchSize > 10_000) {
                throw new IllegalArgumentException("kafka bus relayBatchSize must be 1-10000, was " + relayBatchSize);
            }
            Objects.requireNonNull(clock, "kafka bus clock must be set");
        }

        /** The defaults: {@value #DEFAULT_RELAY_BATCH_SIZE} rows a batch, 20 ms polls, the system clock, no metrics. */
        public static Config of(String bootstrapServers, String clientIdPrefix) {
            return new Config(bootstrapServers, clientIdPrefix, DEFAULT_RELAY_POLL_INTERVAL, DEFAULT_RELAY_BATCH_SIZE,
                    Clock.systemUTC(), null);
        }

        public Config withRelayPollInterval(Duration interval) {
            return new Config(bootstrapServers, clientIdPrefix, interval, relayBatchSize, clock, registry);
        }

        public Config withRelayBatchSize(int batchSize) {
            return new Config(bootstrapServers, clientIdPrefix, relayPollInterval, batchSize, clock, registry);
        }

        public Config withClock(Clock newClock) {
            return new Config(bootstrapServers, clientIdPrefix, relayPollInterval, relayBatchSize, newClock, registry);
        }

        public Config withRegistry(MeterRegistry newRegistry) {
            return new Config(bootstrapServers, clientIdPrefix, relayPollInterval, relayBatchSize, clock, newRegistry);
        }
    }

    private KafkaBus(Config config) {
        this.config = config;
        this.clients = new Clients(config.bootstrapServers(), config.clientIdPrefix());
        // a registry without members: meters that count nothing, so no code path asks "metrics on?"
        this.registry = config.registry() != null ? config.registry() : new CompositeMeterRegistry();
        this.producer = new KafkaProducer<>(clients.producer());
        this.deadLetters = new DeadLetterTopic(producer, clients, config.clock());
    }

    /**
     * A bus on the brokers of {@code config}. Nothing is sent yet: the producer connects in the
     * background, and a broker that is not there yet is waited for by whatever needs it.
     */
    public static KafkaBus connect(Config config) {
        Objects.requireNonNull(config, "kafka bus config");
        return new KafkaBus(config);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The dead-letter topics are created too. Idempotent: a topic that exists is left as it
     * is, whatever its partition count. The replication factor is the cluster's default.
     */
    @Override
    public void createTopics(Map<String, Integer> partitionsByTopic) {
        Map<String, NewTopic> topics = new LinkedHashMap<>();
        partitionsByTopic.forEach((name, partitions) -> {
            if (partitions == null || partitions < 1) {
                throw new IllegalArgumentException("topic " + name + " needs at least one partition, was " + partitions);
            }
            topics.put(name, newTopic(name, partitions));
        });
        for (String name : List.of(DEAD_LETTER_TOPIC, REPLAYED_TOPIC)) {
            // a dead letter waits for a person, however long that takes
            topics.put(name, newTopic(name, 1).configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1")));
        }
        try (Admin admin = Admin.create(clients.admin())) {
            Map<String, KafkaFuture<Void>> results = admin.createTopics(topics.values()).values();
            for (Map.Entry<String, KafkaFuture<Void>> result : results.entrySet()) {
                awaitCreated(result.getKey(), result.getValue());
            }
        }
    }

    /** With the cluster's default replication factor: 1 on the embedded broker, what the operators chose elsewhere. */
    private static NewTopic newTopic(String name, int partitions) {
        return new NewTopic(name, Optional.of(partitions), Optional.empty());
    }

    private void awaitCreated(String topic, KafkaFuture<Void> creation) {
        try {
            creation.get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + topic + " on " + config.bootstrapServers() + ": "
                        + Warnings.describe(e), e.getCause());
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("creating topic " + topic + " on " + config.bootstrapServers() + " took more than "
                    + ADMIN_TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + topic, e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * @param name a lower-case name ({@code [a-z][a-z0-9_.-]*}); the instances relaying the
     *             same outbox must use the same name, which keys their turn-taking lock
     * @throws IllegalStateException if the outbox table cannot be created (database away)
     */
    @Override
    public AutoCloseable relay(String name, DataSource db) {
        if (name == null || !RELAY_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("relay name must be a lower-case name, was " + name);
        }
        Objects.requireNonNull(db, "relay " + name + " needs a data source");
        requireOpen();
        Outbox.createTable(db);
        AtomicLong backlog = null;
        if (config.registry() != null) {
            backlog = new AtomicLong();
            Gauge.builder("bus.outbox.backlog", backlog, AtomicLong::doubleValue)
                    .tag("relay", name).description("rows waiting in the outbox").register(registry);
        }
        Counter published = Counter.builder("bus.relay.published").tag("relay", name)
                .description("events published from the outbox").register(registry);
        return start(new OutboxRelay(name, db, producer, config.relayPollInterval(), config.relayBatchSize(), published,
                backlog));
    }

    @Override
    public AutoCloseable subscribe(Subscription subscription) {
        Objects.requireNonNull(subscription, "subscription");
        requireOpen();
        String group = subscription.group();
        ConsumerWorker worker = new ConsumerWorker("archway-consumer-" + group, subscription,
                new KafkaConsumer<>(clients.member(group)), deadLetters,
                counter("bus.consumed", group, "events handled"),
                counter("bus.retries", group, "attempts after a failed one"),
                counter("bus.dead.letters", group, "events given up on"));
        return start(worker);
    }

    private Counter counter(String name, String group, String description) {
        return Counter.builder(name).tag("group", group).description(description).register(registry);
    }

    /** Starts {@code worker} unless the bus is closed; closing the returned handle stops it. */
    private synchronized AutoCloseable start(Worker worker) {
        if (closed) {
            // run it only to have it release what it opened (a consumer's connections)
            worker.requestStop();
            worker.start();
            worker.awaitStop(System.nanoTime() + Worker.STOP_WAIT.toNanos());
            throw closedException();
        }
        workers.add(worker);
        worker.start();
        return () -> {
            workers.remove(worker);
            worker.close();
        };
    }

    private synchronized void requireOpen() {
        if (closed) {
            throw closedException();
        }
    }

    private IllegalStateException closedException() {
        return new IllegalStateException("the kafka bus for " + config.bootstrapServers() + " is closed");
    }

    /** {@inheritDoc} Reads both dead-letter topics to their end: an operator's call, not a hot path. */
    @Override
    public List<DeadLetter> deadLetters() {
        return deadLetters.read();
    }

    @Override
    public boolean replay(String deadLetterId) {
        Objects.requireNonNull(deadLetterId, "dead letter id");
        return deadLetters.replay(deadLetterId);
    }

    /**
     * Stops every relay and member (asking all first, then waiting for them together, at most
     * about {@code 10 s}), then closes the producer, which waits up to 5 s for sends in flight.
     */
    @Override
    public void close() {
        List<Worker> stopping;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            stopping = new ArrayList<>(workers);
            workers.clear();
        }
        stopping.forEach(Worker::requestStop);
        long deadline = System.nanoTime() + Worker.STOP_WAIT.toNanos();
        stopping.forEach(worker -> worker.awaitStop(deadline));
        producer.close(PRODUCER_CLOSE);
        LOG.debug("kafka bus for {} closed", config.bootstrapServers());
    }

    @Override
    public String toString() {
        return "KafkaBus[" + config.bootstrapServers() + ", " + config.clientIdPrefix() + "]";
    }
}
