package archway.bus.kafka;

import archway.bus.DeadLetter;
import archway.bus.Event;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dead letters, kept in Kafka itself: each one a JSON record of {@value #TOPIC}, and each
 * replay a record of {@value #REPLAYED_TOPIC} keyed by the dead letter's id. Both topics have
 * one partition, so "oldest first" is their offset order.
 *
 * <h2>Design notes</h2>
 * Nothing but the topics holds the state, so every instance sees the same dead letters and a
 * replay done by one is seen by all. Reading them is a scan from the beginning with a consumer
 * outside any group (assigned the partitions, so it commits nothing and joins nothing), up to
 * the end offsets taken when the scan starts: a dead-letter list is an operator's question,
 * asked rarely, and the topics stay small (a dead letter is a bug to fix, not traffic).
 */
final class DeadLetterTopic {

    static final String TOPIC = "archway.dead-letters";
    static final String REPLAYED_TOPIC = "archway.dead-letters.replayed";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterTopic.class);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration SEND_TIMEOUT = Clients.DELIVERY_TIMEOUT.plusSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Producer<String, String> producer;
    private final Clients clients;
    private final Clock clock;

    DeadLetterTopic(Producer<String, String> producer, Clients clients, Clock clock) {
        this.producer = producer;
        this.clients = clients;
        this.clock = clock;
    }

    /** Sends a dead letter; it is kept once the returned future completes. */
    Future<RecordMetadata> publish(String group, Event event, String error, int attempts) {
        String id = UUID.randomUUID().toString();
        ObjectNode letter = JSON.createObjectNode()
                .put("id", id)
                .put("group", group);
        ObjectNode delivered = letter.putObject("event")
                .put("id", event.id())
                .put("topic", event.topic())
                .put("key", event.key())
                .put("type", event.type())
                .put("payload", event.payload());
        ObjectNode headers = delivered.putObject("headers");
        event.headers().forEach(headers::put);
        letter.put("error", error)
                .put("attempts", attempts)
                .put("failed_at", clock.instant().toString());
        return producer.send(new ProducerRecord<>(TOPIC, id, letter.toString()));
    }

    /** Every dead letter, oldest first, with {@code replayed} set from the replay records. */
    List<DeadLetter> read() {
        Map<String, List<ConsumerRecord<String, String>>> records = readToEnd(List.of(TOPIC, REPLAYED_TOPIC));
        Set<String> replayed = new HashSet<>();
        records.get(REPLAYED_TOPIC).forEach(record -> replayed.add(record.key()));
        List<DeadLetter> letters = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records.get(TOPIC)) {
            parse(record, replayed).ifPresent(letters::add);
        }
        return letters;
    }

    /**
     * Publishes the dead letter's event again, then the record that it was replayed. A
     * malformed record comes back as it was (an empty id or type), so it is dead-lettered again.
     * Synchronized, so one bus never replays a letter twice; two instances replaying the same
     * letter at the same moment may both publish it, which consumers absorb by its event id.
     */
    synchronized boolean replay(String deadLetterId) {
        Optional<DeadLetter> letter = read().stream().filter(l -> l.id().equals(deadLetterId)).findFirst();
        if (letter.isEmpty() || letter.get().replayed()) {
            return false;
        }
        Event event = letter.get().event();
        await(producer.send(EventRecords.toRecord(event)), "replaying dead letter " + deadLetterId);
        String marker = JSON.createObjectNode()
                .put("dead_letter_id", deadLetterId)
                .put("replayed_at", clock.instant().toString())
                .toString();
        await(producer.send(new ProducerRecord<>(REPLAYED_TOPIC, deadLetterId, marker)),
                "recording the replay of dead letter " + deadLetterId);
        LOG.info("dead letter {} replayed: event {} ({}) of group {} published again to {}", deadLetterId, event.id(),
                event.type(), letter.get().group(), event.topic());
        return true;
    }

    /** The records of each topic from its beginning up to its end offsets at the start; a missing topic reads as empty. */
    private Map<String, List<ConsumerRecord<String, String>>> readToEnd(List<String> topics) {
        Map<String, List<ConsumerRecord<String, String>>> records = new LinkedHashMap<>();
        topics.forEach(topic -> records.put(topic, new ArrayList<>()));
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(clients.reader())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                for (PartitionInfo partition : consumer.partitionsFor(topic, READ_TIMEOUT)) {
                    partitions.add(new TopicPartition(topic, partition.partition()));
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, READ_TIMEOUT);
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p, READ_TIMEOUT) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading the dead letters took more than " + READ_TIMEOUT.toSeconds() + " s");
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
                        records.get(record.topic()).add(record);
                    }
                }
            }
        }
        return records;
    }

    private static Optional<DeadLetter> parse(ConsumerRecord<String, String> record, Set<String> replayed) {
        try {
            JsonNode letter = JSON.readTree(record.value());
            JsonNode event = letter.required("event");
            Map<String, String> headers = new LinkedHashMap<>();
            event.path("headers").properties().forEach(header -> headers.put(header.getKey(), header.getValue().asText()));
            String id = letter.required("id").asText();
            return Optional.of(new DeadLetter(id, letter.required("group").asText(),
                    new Event(event.required("id").asText(), event.required("topic").asText(), event.required("key").asText(),
                            event.required("type").asText(), event.required("payload").asText(), headers),
                    letter.path("error").asText(), letter.path("attempts").asInt(),
                    Instant.parse(letter.required("failed_at").asText()), replayed.contains(id)));
        } catch (JsonProcessingException | IllegalArgumentException | java.time.format.DateTimeParseException e) {
            LOG.warn("record {}-{}@{} of {} is not a dead letter, skipped: {}", record.topic(), record.partition(),
                    record.offset(), TOPIC, Warnings.describe(e));
            return Optional.empty();
        }
    }

    private static void await(Future<RecordMetadata> send, String what) {
        try {
            send.get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(what + " failed: " + Warnings.describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + what, e);
        }
    }
}
