package archway.platform.tier.cache;

import com.github.benmanes.caffeine.cache.Ticker;

/**
 * The cache's one time source: its {@link Ticker}, and the wall-clock time derived from it
 * (the wall clock at start plus the ticker's progress), which {@code Date}, {@code Expires}
 * and {@code Last-Modified} are compared with. One source keeps both in step when a test
 * moves the ticker.
 */
final class CacheClock {

    static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long NANOS_PER_MILLI = 1_000_000L;

    private final Ticker ticker;
    private final long startNanos;
    private final long startMillis;

    CacheClock(Ticker ticker) {
        this.ticker = ticker;
        this.startNanos = ticker.read();
        this.startMillis = System.currentTimeMillis();
    }

    long nanos() {
        return ticker.read();
    }

    /** The wall-clock time, in epoch milliseconds, at {@code nanos} on the ticker. */
    long wallMillis(long nanos) {
        return startMillis + (nanos - startNanos) / NANOS_PER_MILLI;
    }
}
