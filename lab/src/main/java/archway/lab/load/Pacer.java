package archway.lab.load;

/**
 * A constant-rate schedule: slot {@code i} is due {@code i / rate} seconds after the start.
 * Slots are computed from their number, never from the previous one, so waking up late
 * does not shift the rest of the schedule: a late slot is taken at once and its lateness
 * stays visible to whoever measures from {@link #slot(long)}.
 */
final class Pacer {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final Ticker ticker;
    private final long start;
    private final long ratePerSecond;

    /**
     * @param ticker        the clock to wait on
     * @param start         when slot 0 is due, on the ticker's scale
     * @param ratePerSecond slots per second, at least 1
     */
    Pacer(Ticker ticker, long start, long ratePerSecond) {
        if (ratePerSecond < 1) {
            throw new IllegalArgumentException("a pacer's rate must be at least 1 per second, was " + ratePerSecond);
        }
        this.ticker = ticker;
        this.start = start;
        this.ratePerSecond = ratePerSecond;
    }

    /** A schedule starting now. */
    static Pacer startingNow(Ticker ticker, long ratePerSecond) {
        return new Pacer(ticker, ticker.nanoTime(), ratePerSecond);
    }

    /** When slot {@code i} is due. Split in whole seconds and the rest so that no product overflows. */
    long slot(long i) {
        return start + (i / ratePerSecond) * NANOS_PER_SECOND + (i % ratePerSecond) * NANOS_PER_SECOND / ratePerSecond;
    }

    /** Waits until slot {@code i} is due and returns that moment (the intended start, not now). */
    long awaitSlot(long i) throws InterruptedException {
        long due = slot(i);
        ticker.sleepUntil(due);
        return due;
    }

    /** How many slots fall in {@code nanos} at this rate (rounded down). */
    static long slotsIn(long nanos, long ratePerSecond) {
        return (nanos / NANOS_PER_SECOND) * ratePerSecond + (nanos % NANOS_PER_SECOND) * ratePerSecond / NANOS_PER_SECOND;
    }
}
