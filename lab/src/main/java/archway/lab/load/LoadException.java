package archway.lab.load;

/** The load could not be run as asked: the target refused the setup, a file could not be written. */
final class LoadException extends RuntimeException {

    LoadException(String message) {
        super(message);
    }

    LoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
