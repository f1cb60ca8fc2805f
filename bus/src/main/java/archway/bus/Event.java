package archway.bus;

import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One event on the bus: what happened ({@code type}), to which aggregate ({@code key}, the
 * partitioning key: every event of one order carries the order id, so they are handled in
 * the order they were written), and the facts as a JSON object ({@code payload}).
 *
 * @param id      unique per event, kept through redelivery and replay: consumers record it
 *                with their effect so a redelivered event changes nothing
 * @param topic   where it is published
 * @param key     the partitioning key
 * @param type    the kind of event, such as {@code OrderPlaced}
 * @param payload a JSON object, {@code snake_case} fields
 * @param headers extra context carried along, such as {@code traceparent}
 */
public record Event(String id, String topic, String key, String type, String payload, Map<String, String> headers) {

    /** The header holding the W3C trace context of the request that caused the event. */
    public static final String TRACEPARENT = "traceparent";

    public Event {
        Objects.requireNonNull(id, "event id");
        Objects.requireNonNull(topic, "event topic");
        Objects.requireNonNull(key, "event key");
        Objects.requireNonNull(type, "event type");
        Objects.requireNonNull(payload, "event payload");
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    /** A new event with a fresh random id. */
    public static Event of(String topic, String key, String type, String payload, Map<String, String> headers) {
        return new Event(UUID.randomUUID().toString(), topic, key, type, payload, headers);
    }
}
