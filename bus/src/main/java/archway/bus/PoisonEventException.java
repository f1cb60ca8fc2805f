package archway.bus;

/**
 * Thrown by a handler for an event that can never be handled as it is (a payload that is
 * not the JSON its type needs, say): it goes to the dead-letter topic at once, without
 * retries. Cheap to throw: no stack trace.
 */
public class PoisonEventException extends RuntimeException {

    public PoisonEventException(String message) {
        super(message, null, false, false);
    }

    public PoisonEventException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
