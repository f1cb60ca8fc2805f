package archway.lab.load;

/**
 * What the {@code order} scenario adds to a report.
 *
 * @param accepted          measured orders answered {@code 202}
 * @param acceptedPerSecond accepted orders over the run's window
 * @param acceptedWithoutId {@code 202} answers without an order id (not followed)
 * @param followUp          how the accepted orders ended; {@code null} with {@code --no-follow}
 */
record OrderSummary(long accepted, double acceptedPerSecond, long acceptedWithoutId, Settlement followUp) {

    static OrderSummary of(RunResult run, long acceptedWithoutId, Settlement followUp) {
        long accepted = run.counts().count(202);
        return new OrderSummary(accepted, LoadReport.perSecond(accepted, run.window()), acceptedWithoutId, followUp);
    }
}
