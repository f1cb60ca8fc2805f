package archway.bus.kafka;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loop on a daemon thread of its own (a relay, a group member) that stops when asked:
 * {@link #requestStop} raises the flag the loop checks and wakes it ({@link #wake}), and
 * {@link #awaitStop} waits a bounded time, then interrupts as a last resort. Stopping is split
 * in two so that the bus can ask every worker first and then wait for all of them at once.
 */
abstract class Worker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);
    static final Duration STOP_WAIT = Duration.ofSeconds(10);
    private static final Duration INTERRUPTED_STOP_WAIT = Duration.ofSeconds(2);

    private final Thread thread;
    private volatile boolean stopping;

    Worker(String threadName) {
        this.thread = Thread.ofPlatform().name(threadName).daemon().unstarted(this::runLogged);
    }

    /** The loop: returns once {@link #stopping()} is true. */
    abstract void work();

    /** Makes the loop notice {@link #stopping()} soon; interrupts by default. */
    void wake() {
        thread.interrupt();
    }

    final void start() {
        thread.start();
    }

    final boolean stopping() {
        return stopping;
    }

    final String name() {
        return thread.getName();
    }

    final void requestStop() {
        stopping = true;
        wake();
    }

    /** Waits until the thread ended or {@code deadlineNanos} ({@link System#nanoTime}) passed, then interrupts it. */
    final void awaitStop(long deadlineNanos) {
        if (Thread.currentThread() == thread) {
            return; // closed from its own loop (a handler closing its subscription): it ends on return
        }
        try {
            if (!join(deadlineNanos - System.nanoTime())) {
                thread.interrupt();
                if (!join(INTERRUPTED_STOP_WAIT.toNanos())) {
                    LOG.warn("{} did not stop within {} of being asked; leaving it", name(), STOP_WAIT.plus(INTERRUPTED_STOP_WAIT));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        requestStop();
        awaitStop(System.nanoTime() + STOP_WAIT.toNanos());
    }

    private boolean join(long nanos) throws InterruptedException {
        return thread.join(Duration.ofNanos(Math.max(1, nanos)));
    }

    private void runLogged() {
        try {
            work();
        } catch (RuntimeException | Error e) {
            // the loops catch what they can survive; this is a bug or the JVM in trouble
            LOG.error("{} stopped by an unexpected error", name(), e);
        }
    }
}
