package archway.balancer;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A member's latency as a peak-sensitive exponentially weighted moving average: a slower
 * answer than the average replaces it at once (the peak), a faster one pulls it down with
 * a weight that grows with the time since the last answer ({@code 1 - e^(-Δt/τ)}, τ = 1.5 s).
 * Read, the average decays the same way towards zero, so a member that got no answers for
 * a few τ looks fast again and is tried.
 *
 * <p>Lock-free: the average and its time stamp are one immutable sample swapped by CAS.
 */
final class PeakEwma {

    static final double TAU_NANOS = 1.5e9;

    private record Sample(double nanos, long stamp) {
    }

    private static final Sample NONE = new Sample(0, 0);

    private final AtomicReference<Sample> sample = new AtomicReference<>(NONE);

    /** Now, in nanoseconds, from the pool's clock (milliseconds are fine for a τ of seconds). */
    static long nanos(Clock clock) {
        return clock.millis() * 1_000_000L;
    }

    void observe(long rttNanos, long now) {
        Sample current;
        Sample next;
        do {
            current = sample.get();
            if (current == NONE || rttNanos > current.nanos()) {
                next = new Sample(rttNanos, now);
            } else {
                double w = weight(current, now);
                next = new Sample(current.nanos() * w + rttNanos * (1 - w), Math.max(now, current.stamp()));
            }
        } while (!sample.compareAndSet(current, next));
    }

    boolean hasSample() {
        return sample.get() != NONE;
    }

    /** The average now, decayed since the last answer; {@code 0} before the first. */
    double nanos(long now) {
        Sample current = sample.get();
        return current.nanos() * weight(current, now);
    }

    private static double weight(Sample sample, long now) {
        return Math.exp(-Math.max(now - sample.stamp(), 0) / TAU_NANOS);
    }
}
