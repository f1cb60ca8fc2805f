package archway.bus.kafka;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;

/**
 * Warnings of a loop that keeps failing the same way (broker or database away): the first
 * at once, then at most one every {@code interval} with a count of those left out, and one
 * line when it works again. A retry loop that warned at every attempt would bury the log.
 */
final class Warnings {

    private static final int MAX_ERROR_LENGTH = 500;

    private final Logger log;
    private final long intervalNanos;
    private boolean failing;
    private long lastWarned;
    private int suppressed;

    Warnings(Logger log, Duration interval) {
        this.log = log;
        this.intervalNanos = interval.toNanos();
    }

    synchronized void warn(String what, Throwable cause) {
        long now = System.nanoTime();
        if (failing && now - lastWarned < intervalNanos) {
            suppressed++;
            return;
        }
        if (suppressed == 0) {
            log.warn("{}: {}", what, describe(cause));
        } else {
            log.warn("{}: {} (and {} times more since the last warning)", what, describe(cause), suppressed);
        }
        failing = true;
        lastWarned = now;
        suppressed = 0;
    }

    /** Logs {@code what} once if warnings came since the last success. */
    synchronized void recovered(String what) {
        if (failing) {
            log.info(what);
            failing = false;
            suppressed = 0;
        }
    }

    /**
     * The error in one line without a stack trace: class name and message of {@code e} (of its
     * cause, for the wrappers of asynchronous results), at most {@value #MAX_ERROR_LENGTH} characters.
     */
    static String describe(Throwable e) {
        Throwable error = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        String name = error.getClass().getSimpleName().isEmpty() ? error.getClass().getName() : error.getClass().getSimpleName();
        String text = error.getMessage() == null ? name : name + ": " + error.getMessage();
        return text.length() <= MAX_ERROR_LENGTH ? text : text.substring(0, MAX_ERROR_LENGTH - 3) + "...";
    }
}
