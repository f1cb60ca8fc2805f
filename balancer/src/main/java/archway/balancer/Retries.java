package archway.balancer;

import archway.balancer.PoolConfig.RetryBudget;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A pool's retry budget at run time (Finagle's): every request deposits {@code percent}% of
 * a retry, every retry withdraws one, deposits and withdrawals count for the window, and
 * {@code minPerSecond × window} retries are always there on top. So when the whole pool
 * fails, retries add at most that share of load instead of doubling it.
 *
 * <p>Lock-free: one slot per second of the window for requests and one for retries, each an
 * atomic long holding the slot's second (high half) and its count (low half), reset by the
 * first event of a new second. Two retries racing for the last token may both get it.
 */
final class Retries {

    private final Clock clock;
    private final int percent;
    private final long reserve;
    private final int seconds;
    private final long origin;
    private final AtomicLongArray requests;
    private final AtomicLongArray retries;

    Retries(RetryBudget budget, Clock clock) {
        this.clock = clock;
        this.percent = budget.percent();
        this.seconds = (int) budget.window().toSeconds();
        this.reserve = (long) budget.minPerSecond() * seconds;
        this.origin = clock.millis() / 1000;
        this.requests = new AtomicLongArray(seconds);
        this.retries = new AtomicLongArray(seconds);
    }

    /** A first attempt: deposits its share of a retry. */
    void request() {
        add(requests, second());
    }

    /** Takes one retry from the budget; {@code false} when it is spent. */
    boolean tryRetry() {
        long second = second();
        if (sum(retries, second) >= sum(requests, second) * percent / 100 + reserve) {
            return false;
        }
        add(retries, second);
        return true;
    }

    private long second() {
        return clock.millis() / 1000 - origin;
    }

    private void add(AtomicLongArray slots, long second) {
        int i = (int) (second % seconds);
        long current;
        long next;
        do {
            current = slots.get(i);
            next = (current >>> 32) == second ? current + 1 : (second << 32) | 1;
        } while (!slots.compareAndSet(i, current, next));
    }

    private long sum(AtomicLongArray slots, long second) {
        long total = 0;
        for (int i = 0; i < seconds; i++) {
            long slot = slots.get(i);
            long stamp = slot >>> 32;
            if (stamp <= second && stamp > second - seconds) {
                total += slot & 0xFFFF_FFFFL;
            }
        }
        return total;
    }
}
