package archway.gateway.limits;

/**
 * How much one caller may send: a token bucket of {@code burst} requests refilled at
 * {@code perSecond}, and optionally a quota per UTC day.
 *
 * @param perSecond  the sustained rate, in requests per second
 * @param burst      the most requests that may arrive at once after a quiet period; at least {@code perSecond}
 * @param dailyQuota the most requests per UTC day, {@code 0} for no quota
 */
public record LimitPolicy(long perSecond, long burst, long dailyQuota) {

    public LimitPolicy {
        if (perSecond <= 0) {
            throw new IllegalArgumentException("a rate limit needs a positive rate per second, was " + perSecond);
        }
        if (burst < perSecond) {
            throw new IllegalArgumentException("a rate limit's burst must be at least its rate per second (" + perSecond
                    + "), was " + burst);
        }
        if (dailyQuota < 0) {
            throw new IllegalArgumentException("a daily quota must be 0 (none) or positive, was " + dailyQuota);
        }
    }

    /** A bucket without a daily quota. */
    public static LimitPolicy of(long perSecond, long burst) {
        return new LimitPolicy(perSecond, burst, 0);
    }
}
