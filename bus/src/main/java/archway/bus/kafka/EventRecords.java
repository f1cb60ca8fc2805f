package archway.bus.kafka;

import archway.bus.Event;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/**
 * An {@link Event} as a Kafka record and back: key and value are the event's key and payload,
 * its id and type travel in the headers {@value #EVENT_ID} and {@value #EVENT_TYPE}, next to
 * the event's own headers.
 */
final class EventRecords {

    static final String EVENT_ID = "event_id";
    static final String EVENT_TYPE = "event_type";

    private EventRecords() {
    }

    static ProducerRecord<String, String> toRecord(Event event) {
        ProducerRecord<String, String> record = new ProducerRecord<>(event.topic(), event.key(), event.payload());
        record.headers().add(EVENT_ID, utf8(event.id())).add(EVENT_TYPE, utf8(event.type()));
        event.headers().forEach((name, value) -> {
            // an event header of the same name would make the record's id or type ambiguous
            if (!isReserved(name)) {
                record.headers().add(name, utf8(value));
            }
        });
        return record;
    }

    /**
     * The event a record carries, as far as it carries one: a missing id, type or key reads as
     * empty (see {@link #malformation}), so even a malformed record can be dead-lettered as it was.
     */
    static Event toEvent(ConsumerRecord<String, String> record) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            if (!isReserved(header.key())) {
                headers.put(header.key(), text(header));
            }
        }
        return new Event(header(record, EVENT_ID).orElse(""), record.topic(), record.key() == null ? "" : record.key(),
                header(record, EVENT_TYPE).orElse(""), record.value() == null ? "" : record.value(), headers);
    }

    /** Why the record is not an event of this bus, or empty when it is one. */
    static Optional<String> malformation(ConsumerRecord<String, String> record) {
        for (String name : new String[] {EVENT_ID, EVENT_TYPE}) {
            if (header(record, name).filter(value -> !value.isEmpty()).isEmpty()) {
                return Optional.of("record " + record.topic() + "-" + record.partition() + "@" + record.offset()
                        + " has no " + name + " header");
            }
        }
        return Optional.empty();
    }

    private static boolean isReserved(String name) {
        return name.equals(EVENT_ID) || name.equals(EVENT_TYPE);
    }

    private static Optional<String> header(ConsumerRecord<String, String> record, String name) {
        return Optional.ofNullable(record.headers().lastHeader(name)).map(EventRecords::text);
    }

    private static String text(Header header) {
        return header.value() == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
