package archway.bus.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One broker for the class (a start costs seconds); the restart test replaces it with a new one on the same folder. */
class EmbeddedKafkaTest {

    @TempDir
    static Path data;

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start(new EmbeddedKafka.Settings(data, 0));
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void aRecordProducedWithAcksAllIsConsumedByAConsumerGroup() throws Exception {
        kafka.createTopics(Map.of("orders", 1));
        String value = "order-" + UUID.randomUUID();
        send("orders", "key-1", value);

        List<ConsumerRecord<String, String>> records = readAll("orders", "group-" + UUID.randomUUID(), 1);

        assertThat(records).extracting(ConsumerRecord::value).contains(value);
        assertThat(records).filteredOn(r -> r.value().equals(value)).extracting(ConsumerRecord::key).containsExactly("key-1");
    }

    @Test
    void topicsCreatedWithThreePartitionsHaveThreePartitionsAndCreatingThemAgainIsFine() throws Exception {
        kafka.createTopics(Map.of("clicks", 3, "payments", 3));
        kafka.createTopics(Map.of("clicks", 3));

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            Map<String, TopicDescription> topics = admin.describeTopics(Set.of("clicks", "payments")).allTopicNames().get();
            assertThat(topics.get("clicks").partitions()).hasSize(3);
            assertThat(topics.get("payments").partitions()).hasSize(3);
        }
    }

    @Test
    void aRecordSurvivesARestartOnTheSameFolderAndNoBrokerProcessOutlivesClose() throws Exception {
        String clusterId = kafka.clusterId();

        assertARecordSurvives("durable", EmbeddedKafka::close, 0);

        assertThat(kafka.clusterId()).isEqualTo(clusterId);
    }

    @Test
    void aKilledBrokerRestartsOnTheSameFolderAndPortWithItsAcknowledgedRecords() throws Exception {
        int port = kafka.port();

        assertARecordSurvives("crashed", EmbeddedKafka::kill, port);

        assertThat(kafka.port()).isEqualTo(port);
    }

    /** Sends a record, ends the broker with {@code stop}, checks its process is gone, starts it again on {@code port} and reads the record. */
    private static void assertARecordSurvives(String topic, Consumer<EmbeddedKafka> stop, int port) throws Exception {
        kafka.createTopics(Map.of(topic, 1));
        String value = "kept-" + UUID.randomUUID();
        send(topic, "k", value);
        long pid = kafka.pid();

        stop.accept(kafka);
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();

        kafka = EmbeddedKafka.start(new EmbeddedKafka.Settings(data, port));

        assertThat(kafka.pid()).isNotEqualTo(pid);
        List<ConsumerRecord<String, String>> records = readAll(topic, "after-restart-" + UUID.randomUUID(), 1);
        assertThat(records).extracting(ConsumerRecord::value).contains(value);
    }

    @Test
    void aTakenPortFailsWithAMessageNamingIt(@TempDir Path otherData) throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();

            assertThatThrownBy(() -> EmbeddedKafka.start(new EmbeddedKafka.Settings(otherData, port)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("port " + port)
                    .hasMessageContaining(otherData.toString());
        }
    }

    private static void send(String topic, String key, String value) throws Exception {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties)) {
            RecordMetadata metadata = producer.send(new ProducerRecord<>(topic, key, value)).get();
            assertThat(metadata.offset()).isNotNegative();
        }
    }

    /** Reads {@code topic} from the beginning with a new group until at least {@code atLeast} records came (or 20 s passed). */
    private static List<ConsumerRecord<String, String>> readAll(String topic, String group, int atLeast) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (records.size() < atLeast && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
            consumer.commitSync();
        }
        return records;
    }
}
