package archway.platform.tier.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * One miss on its way to the origin, and the requests for the same URL that wait for it
 * instead of asking the origin too (request coalescing). Waiting holds no thread: a waiter
 * is its request, response and callback, completed when the fill lands or its wait times out.
 */
final class Flight {

    /** More waiters than this go to the origin themselves: no flight grows without bound. */
    static final int MAX_WAITERS = 10_000;

    private final List<Waiter> waiters = new ArrayList<>();
    private boolean landed;

    /** Adds {@code waiter}; {@code false} when the fill has landed already (or is full): then it looks again. */
    synchronized boolean join(Waiter waiter) {
        if (landed || waiters.size() >= MAX_WAITERS) {
            return false;
        }
        waiters.add(waiter);
        return true;
    }

    /** Ends the flight; returns its waiters, to be answered. */
    synchronized List<Waiter> land() {
        landed = true;
        List<Waiter> all = new ArrayList<>(waiters);
        waiters.clear();
        return all;
    }

    /** A request waiting for a flight; answered once, by the landing or by its timeout, whichever comes first. */
    static final class Waiter {
        final Request request;
        final Response response;
        final Callback callback;
        private final AtomicBoolean claimed = new AtomicBoolean();
        private volatile Scheduler.Task timeout;

        Waiter(Request request, Response response, Callback callback) {
            this.request = request;
            this.response = response;
            this.callback = callback;
        }

        void timeout(Scheduler.Task task) {
            this.timeout = task;
        }

        /** Whether this caller is the one to answer the waiter (the other one then does nothing). */
        boolean claim() {
            if (!claimed.compareAndSet(false, true)) {
                return false;
            }
            Scheduler.Task task = timeout;
            if (task != null) {
                task.cancel();
            }
            return true;
        }
    }
}
