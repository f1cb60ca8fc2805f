package archway.provider;

import java.time.Instant;

/**
 * A charge as the provider's API shows it. The card token it was made with stays in the
 * ledger ({@link Ledger.Entry}).
 *
 * @param declineCode why the card was declined; {@code null} (and absent from the JSON) when approved
 */
record Charge(String id, String status, long amount, String currency, String reference, String idempotencyKey,
              String declineCode, Instant createdAt) {

    static final String APPROVED = "approved";
    static final String DECLINED = "declined";
    static final String CARD_DECLINED = "card_declined";
}
