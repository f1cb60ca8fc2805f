package archway.bus.kafka;

import archway.bus.Event;
import archway.bus.EventHandler;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/** A handler that keeps every event it is given, in the order given, and then does what the test says. */
final class Received implements EventHandler {

    private final List<Event> events = new ArrayList<>();
    private final EventHandler then;

    /** Keeps the events and succeeds. */
    Received() {
        this(event -> { });
    }

    /** Keeps each event, then hands it to {@code then} (which may fail). */
    Received(EventHandler then) {
        this.then = then;
    }

    /**
     * Keeps each event and fails on {@code target} with the exception {@code failure} gives,
     * as long as it gives one ({@code null}: succeed).
     */
    static Received failingOn(Event target, Supplier<Exception> failure) {
        return new Received(event -> {
            Exception e = event.id().equals(target.id()) ? failure.get() : null;
            if (e != null) {
                throw e;
            }
        });
    }

    @Override
    public void handle(Event event) throws Exception {
        synchronized (this) {
            events.add(event);
        }
        then.handle(event);
    }

    synchronized List<Event> events() {
        return List.copyOf(events);
    }

    synchronized int count() {
        return events.size();
    }

    synchronized Set<String> ids() {
        Set<String> ids = new LinkedHashSet<>();
        events.forEach(event -> ids.add(event.id()));
        return ids;
    }

    synchronized boolean hasAll(Collection<Event> expected) {
        Set<String> ids = ids();
        return expected.stream().allMatch(event -> ids.contains(event.id()));
    }

    /** Each key's event ids in the order they first came: what a consumer that dedupes by id sees. */
    synchronized Map<String, List<String>> firstIdsByKey() {
        Map<String, LinkedHashSet<String>> byKey = new LinkedHashMap<>();
        events.forEach(event -> byKey.computeIfAbsent(event.key(), key -> new LinkedHashSet<>()).add(event.id()));
        Map<String, List<String>> result = new LinkedHashMap<>();
        byKey.forEach((key, ids) -> result.put(key, List.copyOf(ids)));
        return result;
    }

    /** The ids of {@code events} by key, in their order. */
    static Map<String, List<String>> idsByKey(List<Event> events) {
        Map<String, List<String>> byKey = new LinkedHashMap<>();
        events.forEach(event -> byKey.computeIfAbsent(event.key(), key -> new ArrayList<>()).add(event.id()));
        return byKey;
    }
}
