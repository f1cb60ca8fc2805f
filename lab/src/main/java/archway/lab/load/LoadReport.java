package archway.lab.load;

import java.time.Duration;

/**
 * The outcome of a load run, as printed and as written with {@code --json}.
 *
 * @param scenario          the scenario's name
 * @param target            where the requests went
 * @param ratePerSecond     the rate asked for
 * @param warmupSeconds     the warm-up, not measured
 * @param durationSeconds   the measured part of the schedule
 * @param windowSeconds     from the first measured slot to the last answer (at least the duration)
 * @param offeredPerSecond  requests scheduled in the measured part, per second of it
 * @param achievedPerSecond answers (any status) per second of the window
 * @param scheduled         requests scheduled in the measured part
 * @param sent              of those, the ones sent
 * @param dropped           of those, the ones not sent because {@code --max-in-flight} were out
 * @param counts            how the sent ones ended
 * @param latency           the answers' latency from their intended start
 * @param orders            the {@code order} scenario's part; {@code null} for others
 */
record LoadReport(String scenario, String target, long ratePerSecond, double warmupSeconds, double durationSeconds,
                  double windowSeconds, double offeredPerSecond, double achievedPerSecond, long scheduled, long sent,
                  long dropped, Counts counts, Percentiles latency, OrderSummary orders) {

    static LoadReport of(String scenario, String target, long ratePerSecond, Duration warmup, RunResult run,
                         OrderSummary orders) {
        return new LoadReport(scenario, target, ratePerSecond, seconds(warmup), seconds(run.duration()),
                seconds(run.window()), perSecond(run.scheduled(), run.duration()),
                perSecond(run.counts().responses(), run.window()), run.scheduled(), run.sent(), run.dropped(),
                run.counts(), Percentiles.of(run.latency()), orders);
    }

    /** {@code n} events over {@code period}, per second (0 for an empty period). */
    static double perSecond(long n, Duration period) {
        return period.isZero() ? 0 : n / seconds(period);
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
