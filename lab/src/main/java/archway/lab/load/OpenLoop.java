package archway.lab.load;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.function.Consumer;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Result;

/**
 * The open loop: requests leave at a constant rate whatever the answers do, and each one's
 * latency runs from its <em>intended</em> start.
 *
 * <p>Design notes. A closed loop (send, wait, send again) slows down with the server and so
 * never sees the queue it would have built: the requests that a stall delays are simply
 * not sent, and the stall shows as one slow sample ("coordinated omission"). Here one
 * thread walks a fixed schedule ({@link Pacer}) and hands each request to Jetty's
 * non-blocking client; the clock of a request starts at its slot, so time spent behind a
 * stalled server, in the client's queue for a connection, or behind a late scheduling
 * thread (a GC pause of this JVM included) all count. In-flight requests are bounded by a
 * semaphore taken without waiting: a slot that finds the bound reached is <em>dropped</em>
 * and counted, so a system that cannot keep up shows drops instead of an ever-growing
 * client queue and an out-of-memory generator. Requests scheduled in the warm-up are sent
 * alike but neither counted nor recorded.
 */
final class OpenLoop {

    /** The first slot is a little ahead, so it is not already late when the loop starts. */
    private static final long LEAD_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /** After the timeout every request has ended; this is for the callbacks to run. */
    private static final Duration DRAIN_GRACE = Duration.ofSeconds(5);
    private static final int SIGNIFICANT_DIGITS = 3;

    private final HttpClient client;
    private final Workload workload;
    private final Schedule schedule;
    private final Ticker ticker;
    private final Consumer<String> notes;
    private final InFlight inFlight;
    private final Tally tally = new Tally();
    // microseconds; auto-resizing, so no latency is ever out of range
    private final Histogram latency = new ConcurrentHistogram(SIGNIFICANT_DIGITS);
    private final LongAccumulator lastAnswer = new LongAccumulator(Math::max, Long.MIN_VALUE);

    /**
     * The shape of a run.
     *
     * @param ratePerSecond requests scheduled per second
     * @param warmup        how long to send before measuring (may be zero)
     * @param duration      how long to measure
     * @param maxInFlight   requests sent and not yet ended, at most
     * @param timeout       the longest a request may take, its queueing in the client included
     */
    record Schedule(long ratePerSecond, Duration warmup, Duration duration, int maxInFlight, Duration timeout) {

        Schedule {
            if (ratePerSecond < 1 || maxInFlight < 1 || warmup.isNegative() || !duration.isPositive() || !timeout.isPositive()) {
                throw new IllegalArgumentException("not a schedule: rate " + ratePerSecond + "/s, warm-up " + warmup
                        + ", duration " + duration + ", in flight " + maxInFlight + ", timeout " + timeout);
            }
        }
    }

    /**
     * @param notes where to say what the loop is doing (a phase change, a slow drain)
     */
    OpenLoop(HttpClient client, Workload workload, Schedule schedule, Ticker ticker, Consumer<String> notes) {
        this.client = client;
        this.workload = workload;
        this.schedule = schedule;
        this.ticker = ticker;
        this.notes = notes;
        this.inFlight = new InFlight(schedule.maxInFlight());
    }

    /** Runs the whole schedule, then waits for the requests still out. */
    RunResult run() throws InterruptedException {
        long rate = schedule.ratePerSecond();
        long warmupSlots = Pacer.slotsIn(schedule.warmup().toNanos(), rate);
        long measuredSlots = Pacer.slotsIn(schedule.duration().toNanos(), rate);
        Pacer pacer = new Pacer(ticker, ticker.nanoTime() + LEAD_NANOS, rate);
        if (warmupSlots > 0) {
            notes.accept("warming up for " + Durations.format(schedule.warmup()) + " at " + rate + "/s");
        }
        long dropped = 0;
        for (long i = 0; i < warmupSlots + measuredSlots; i++) {
            if (i == warmupSlots) {
                notes.accept("measuring for " + Durations.format(schedule.duration()) + " at " + rate + "/s");
            }
            long intended = pacer.awaitSlot(i);
            boolean measured = i >= warmupSlots;
            if (inFlight.tryEnter()) {
                send(intended, measured);
            } else if (measured) {
                dropped++;
            }
        }
        long measureStart = pacer.slot(warmupSlots);
        long scheduleEnd = pacer.slot(warmupSlots + measuredSlots);
        drain();
        long end = Math.max(scheduleEnd, lastAnswer.get());
        return new RunResult(latency, tally.snapshot(), measuredSlots, dropped, schedule.duration(),
                Duration.ofNanos(end - measureStart));
    }

    private void send(long intended, boolean measured) {
        Request request;
        try {
            request = workload.next(client).timeout(schedule.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            inFlight.leave();
            throw e;
        }
        Exchanges.send(request, measured && workload.readsBodies(),
                (result, body) -> completed(result, body, intended, measured));
    }

    private void completed(Result result, byte[] body, long intended, boolean measured) {
        try {
            if (!measured) {
                return;
            }
            if (result.isSucceeded()) {
                long now = ticker.nanoTime();
                latency.recordValue(Math.max(0, (now - intended) / 1_000));
                lastAnswer.accumulate(now);
                tally.answered(result.getResponse().getStatus(), result.getResponse().getHeaders().get("X-Cache"));
                workload.answered(result.getRequest(), result.getResponse(), body);
            } else {
                tally.failed(result.getFailure());
            }
        } finally {
            inFlight.leave();
        }
    }

    /** Waits for every request out to end. */
    private void drain() throws InterruptedException {
        Duration wait = schedule.timeout().plus(DRAIN_GRACE);
        int stillOut = inFlight.awaitIdle(wait);
        if (stillOut > 0) {
            notes.accept("warning: " + stillOut + " requests still out " + Durations.format(wait)
                    + " after the last was sent; the report leaves them out");
        }
    }
}
