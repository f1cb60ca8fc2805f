package archway.lab.load;

import java.util.concurrent.locks.LockSupport;

/**
 * The load generator's time source, in {@link System#nanoTime()} units, and its way of waiting
 * for a moment; injected so that tests of the schedules can move time instead of sleeping.
 */
interface Ticker {

    /** Now, on a monotonic scale with an arbitrary origin. */
    long nanoTime();

    /** Returns at or after {@code deadline} (at once if it has passed). */
    void sleepUntil(long deadline) throws InterruptedException;

    /** The machine's monotonic clock. */
    static Ticker system() {
        return SystemTicker.INSTANCE;
    }

    /** The machine's clock, parking the calling thread until the deadline. */
    enum SystemTicker implements Ticker {
        INSTANCE;

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleepUntil(long deadline) throws InterruptedException {
            long left;
            while ((left = deadline - System.nanoTime()) > 0) {
                LockSupport.parkNanos(left);
                if (Thread.interrupted()) {
                    throw new InterruptedException("interrupted while waiting for the next scheduled request");
                }
            }
        }
    }
}
