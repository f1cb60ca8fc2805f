package archway.payment;

import java.util.Map;

/**
 * The payment service's port to the card processor outside the store (the simulated
 * provider in the default run). A charge is made at most once per idempotency key: asking
 * again with the same key answers the charge made the first time, so a call that timed out
 * can be repeated safely.
 */
public interface CardProcessor {

    /**
     * Charges a card.
     *
     * @param context trace headers to send along
     * @throws ProcessorUnavailableException when the processor did not answer, or answered
     *                                       that it cannot now: try again later, same key
     * @throws ChargeRefusedException        when it refused the request itself: trying again
     *                                       will not help
     */
    Charge charge(ChargeRequest request, String idempotencyKey, Map<String, String> context);

    /** What to charge: amount in minor units, the card token and our reference (the order id). */
    record ChargeRequest(long amount, String currency, String token, String reference) {
    }

    /**
     * A charge as the processor recorded it.
     *
     * @param approved    whether the money was taken
     * @param declineCode why not, when it was not
     */
    record Charge(String id, boolean approved, long amount, String currency, String declineCode) {
    }

    /** The processor cannot answer now (down, slow, overloaded). */
    final class ProcessorUnavailableException extends RuntimeException {
        public ProcessorUnavailableException(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }

    /** The processor refused the request as malformed or conflicting. */
    final class ChargeRefusedException extends RuntimeException {
        public ChargeRefusedException(String message) {
            super(message, null, false, false);
        }
    }
}
