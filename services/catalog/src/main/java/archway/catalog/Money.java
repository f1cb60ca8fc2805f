package archway.catalog;

/**
 * An amount of money in minor units (cents), never a floating-point number.
 *
 * @param currency an ISO 4217 code such as {@code USD}
 */
public record Money(long amount, String currency) {

    public static Money usd(long cents) {
        return new Money(cents, "USD");
    }
}
