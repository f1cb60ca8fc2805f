package archway.provider;

import archway.platform.problem.ProblemException;
import java.util.regex.Pattern;

/**
 * The body of {@code POST /v1/charges}: a valid one or none at all (its constructor answers
 * bad input with a {@code 400} problem naming the field; the JSON mapper rejects unknown
 * fields and wrong types).
 *
 * @param amount    in minor units of {@code currency} (cents), 1 to {@value #MAX_AMOUNT}
 * @param currency  an ISO 4217 code such as {@code USD}
 * @param token     the card, as a token such as {@code tok_visa}
 * @param reference the merchant's reference, such as the order id, 1 to {@value #REFERENCE_MAX} characters
 */
record ChargeRequest(Long amount, String currency, String token, String reference) {

    static final long MAX_AMOUNT = 10_000_000_000L;
    static final int REFERENCE_MAX = 100;
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    private static final Pattern TOKEN = Pattern.compile("tok_[a-z0-9_]{1,32}");

    ChargeRequest {
        if (amount == null) {
            throw ProblemException.badRequest("amount is required");
        }
        if (amount < 1 || amount > MAX_AMOUNT) {
            throw ProblemException.badRequest("amount must be 1 to " + MAX_AMOUNT + " minor units, was " + amount);
        }
        if (currency == null || !CURRENCY.matcher(currency).matches()) {
            throw ProblemException.badRequest("currency must be three upper-case letters such as USD");
        }
        if (token == null || !TOKEN.matcher(token).matches()) {
            throw ProblemException.badRequest("token must be tok_ and 1 to 32 lower-case letters, digits or underscores");
        }
        reference(reference);
    }

    /** Checks a reference (also the ledger's filter); a {@code 400} problem unless it is 1 to 100 characters. */
    static String reference(String reference) {
        if (reference == null) {
            throw ProblemException.badRequest("reference is required");
        }
        int length = reference.codePointCount(0, reference.length());
        if (length < 1 || length > REFERENCE_MAX) {
            throw ProblemException.badRequest("reference must be 1 to " + REFERENCE_MAX + " characters long, was " + length);
        }
        return reference;
    }
}
