package archway.lab.load;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** A bound on requests sent and not yet ended, and a way to wait until none is out. */
final class InFlight {

    private final int limit;
    private final Semaphore permits;

    InFlight(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("an in-flight bound must be at least 1, was " + limit);
        }
        this.limit = limit;
        this.permits = new Semaphore(limit);
    }

    /** Takes a place if one is free, without waiting. */
    boolean tryEnter() {
        return permits.tryAcquire();
    }

    /** Takes a place, waiting for one. */
    void enter() throws InterruptedException {
        permits.acquire();
    }

    /** Gives a place back: once per {@link #tryEnter()} or {@link #enter()} that succeeded. */
    void leave() {
        permits.release();
    }

    /**
     * Waits up to {@code wait} until no request is out.
     *
     * @return how many are still out (0 when all ended in time)
     */
    int awaitIdle(Duration wait) throws InterruptedException {
        if (permits.tryAcquire(limit, wait.toNanos(), TimeUnit.NANOSECONDS)) {
            permits.release(limit);
            return 0;
        }
        return limit - permits.availablePermits();
    }
}
