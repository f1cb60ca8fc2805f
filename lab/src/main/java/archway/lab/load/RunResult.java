package archway.lab.load;

import java.time.Duration;
import org.HdrHistogram.Histogram;

/**
 * What the measured part of an open-loop run saw.
 *
 * @param latency   answers' latencies from their intended start, in microseconds (complete once the run returned)
 * @param counts    how the sent requests ended
 * @param scheduled requests the schedule held ({@code rate x duration})
 * @param dropped   scheduled requests not sent because the in-flight bound was reached
 * @param duration  the measured part of the schedule
 * @param window    from the first measured slot to the last answer (or the schedule's end, if later)
 */
record RunResult(Histogram latency, Counts counts, long scheduled, long dropped, Duration duration, Duration window) {

    /** Requests actually sent. */
    long sent() {
        return scheduled - dropped;
    }
}
