package archway.store;

/** The store could not do what was asked: unreachable, misconfigured, or a failed migration. */
public class StoreException extends RuntimeException {

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
