package archway.gateway.limits;

/**
 * The gateway's rate-limiting port: one bucket per key, each shaped by a {@link LimitPolicy}.
 *
 * <p>The key names who is limited where, such as {@code orders|user:42} or
 * {@code products|addr:203.0.113.9}; the gateway builds it, the limiter only counts. The
 * adapter of the default run keeps buckets in this process; one backed by a shared store
 * (Redis, PostgreSQL) lets several gateways share them, with no change to the gateway.
 */
public interface RateLimiter {

    /** Takes one token from the bucket of {@code key}, made with {@code policy} when it does not exist yet. */
    RateDecision tryConsume(String key, LimitPolicy policy);
}
