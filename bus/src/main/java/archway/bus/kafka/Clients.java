package archway.bus.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.GroupProtocol;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The settings of every Kafka client a {@link KafkaBus} opens, in one place, each with its
 * reason. Every client gets a client id of its own: two clients with the same id in one JVM
 * clash on their JMX beans.
 */
final class Clients {

    /** How long a send may wait for its acknowledgement, retries included, before it fails. */
    static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(30);

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final String bootstrapServers;
    private final String clientIdPrefix;

    Clients(String bootstrapServers, String clientIdPrefix) {
        this.bootstrapServers = bootstrapServers;
        this.clientIdPrefix = clientIdPrefix;
    }

    Map<String, Object> producer() {
        Map<String, Object> properties = common("producer");
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        // a retried batch is neither duplicated nor reordered by the producer itself, even with
        // five requests in flight; acks=all: acknowledged means on every in-sync replica
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        // the relay waits for each batch's acknowledgements: batching longer only adds latency
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        // bounded, so a broker outage fails the relay's sends (which then retries the rows)
        // instead of holding its transaction open indefinitely
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) DELIVERY_TIMEOUT.toMillis());
        properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        // events are small and the relay waits for each batch: 32 MB of send buffer (the
        // default) would only be heap an instance does not have to spare
        properties.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 8L * 1024 * 1024);
        return properties;
    }

    /** A member of consumer group {@code group}. */
    Map<String, Object> member(String group) {
        Map<String, Object> properties = consumer(group);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        // offsets are committed by hand, only past records handled or dead-lettered
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, GroupProtocol.CLASSIC.name);
        // the broker's minimum: a member killed without leaving loses its partitions within seconds
        properties.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6_000);
        properties.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1_500);
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100);
        // at most 100 small records a poll: the defaults (50 MB a fetch, 1 MB a partition)
        // would let ten members of an instance buffer far more than they ever hand out
        properties.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 4 * 1024 * 1024);
        properties.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 256 * 1024);
        // handlers and their back-offs run between polls; the worker also polls while backing off
        properties.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 300_000);
        // a member joining or leaving moves only the partitions that change hands; the others
        // keep going (a retry in progress on one of them is not disturbed)
        properties.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        return properties;
    }

    /** A consumer outside any group, which reads the partitions it is assigned. */
    Map<String, Object> reader() {
        Map<String, Object> properties = consumer("reader");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return properties;
    }

    Map<String, Object> admin() {
        Map<String, Object> properties = common("admin");
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        return properties;
    }

    private Map<String, Object> consumer(String role) {
        Map<String, Object> properties = common(role);
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        // reading a topic that does not exist yet must not create it with the broker's default
        // partition count; createTopics decides that
        properties.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        return properties;
    }

    private Map<String, Object> common(String role) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientIdPrefix + "-" + role + "-" + SEQUENCE.incrementAndGet());
        // after a broker restart the clients find it again within a second
        properties.put(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
        return properties;
    }
}
