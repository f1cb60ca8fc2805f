package archway.gateway;

import archway.gateway.limits.LimitPolicy;
import archway.gateway.limits.RateDecision;
import archway.gateway.limits.RateLimiter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** A rate limiter that allows each key its policy's burst, never refills, and remembers the keys it was asked about. */
final class CountingLimiter implements RateLimiter {

    static final long RETRY_AFTER_SECONDS = 7;

    final List<String> keys = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicLong> taken = new ConcurrentHashMap<>();

    @Override
    public RateDecision tryConsume(String key, LimitPolicy policy) {
        keys.add(key);
        long n = taken.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
        boolean allowed = n <= policy.burst();
        return new RateDecision(allowed, policy.burst(), Math.max(0, policy.burst() - n), 1, allowed ? 0 : RETRY_AFTER_SECONDS);
    }

    String lastKey() {
        return keys.getLast();
    }
}
