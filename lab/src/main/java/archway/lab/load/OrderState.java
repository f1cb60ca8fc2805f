package archway.lab.load;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;

/**
 * Where an order stands, as {@code GET /api/v1/orders/{id}} tells it.
 *
 * @param status     the order's status
 * @param reason     why it was rejected, or {@code null}
 * @param toTerminal for a terminal order, the server's time from its first {@code PENDING}
 *                   to its terminal entry in {@code history}; empty when not terminal or
 *                   when the history does not say
 */
record OrderState(String status, String reason, Optional<Duration> toTerminal) {

    /**
     * The statuses an order passes through; every other one is terminal. Listing these
     * rather than the terminal ones means a terminal status added later is still counted,
     * by its name, instead of being polled until the deadline.
     */
    static final Set<String> IN_PROGRESS = Set.of("PENDING", "PAID");

    boolean terminal() {
        return !IN_PROGRESS.contains(status);
    }

    /** Reads an order's JSON; one without a {@code status} is an {@link IOException}. */
    static OrderState parse(byte[] body) throws IOException {
        JsonNode order = LoadJson.read(body);
        String status = LoadJson.text(order, "status");
        if (status == null) {
            throw new IOException("the order has no status");
        }
        Optional<Duration> toTerminal = IN_PROGRESS.contains(status) ? Optional.empty() : toTerminal(order.get("history"), status);
        return new OrderState(status, LoadJson.text(order, "reason"), toTerminal);
    }

    /** From the first {@code PENDING} entry (or the first entry) to the last entry with the terminal status (or the last entry). */
    private static Optional<Duration> toTerminal(JsonNode history, String terminal) {
        if (history == null || !history.isArray() || history.isEmpty()) {
            return Optional.empty();
        }
        JsonNode first = history.get(0);
        for (JsonNode change : history) {
            if ("PENDING".equals(LoadJson.text(change, "status"))) {
                first = change;
                break;
            }
        }
        JsonNode last = history.get(history.size() - 1);
        for (JsonNode change : history) {
            if (terminal.equals(LoadJson.text(change, "status"))) {
                last = change;
            }
        }
        Optional<Instant> from = at(first);
        Optional<Instant> to = at(last);
        if (from.isEmpty() || to.isEmpty() || to.get().isBefore(from.get())) {
            return Optional.empty();
        }
        return Optional.of(Duration.between(from.get(), to.get()));
    }

    private static Optional<Instant> at(JsonNode change) {
        String at = LoadJson.text(change, "at");
        if (at == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(at));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
