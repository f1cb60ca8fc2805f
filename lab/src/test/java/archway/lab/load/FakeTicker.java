package archway.lab.load;

import java.util.concurrent.atomic.AtomicLong;

/** A clock that only moves when someone sleeps on it: sleeping is instant, and moves it to the deadline. */
final class FakeTicker implements Ticker {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Override
    public long nanoTime() {
        return now.get();
    }

    @Override
    public void sleepUntil(long deadline) {
        now.accumulateAndGet(deadline, Math::max);
    }

    /** Moves the clock on, as a slow step would. */
    void advance(long nanos) {
        now.addAndGet(nanos);
    }
}
