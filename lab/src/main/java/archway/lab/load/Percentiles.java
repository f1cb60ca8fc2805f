package archway.lab.load;

import org.HdrHistogram.Histogram;

/**
 * The shape of a distribution in milliseconds, read from a histogram of microseconds.
 * HdrHistogram's values are exact to 3 significant digits: a percentile here is the
 * highest value equivalent to the recorded one at that precision.
 *
 * @param count how many values
 */
record Percentiles(long count, double p50Ms, double p90Ms, double p99Ms, double p999Ms, double maxMs) {

    static final Percentiles NONE = new Percentiles(0, 0, 0, 0, 0, 0);

    /** The percentiles of a histogram of microseconds ({@link #NONE} for an empty one). */
    static Percentiles of(Histogram micros) {
        if (micros.getTotalCount() == 0) {
            return NONE;
        }
        return new Percentiles(micros.getTotalCount(), at(micros, 50), at(micros, 90), at(micros, 99), at(micros, 99.9),
                millis(micros.getMaxValue()));
    }

    private static double at(Histogram micros, double percentile) {
        return millis(micros.getValueAtPercentile(percentile));
    }

    private static double millis(long micros) {
        return micros / 1_000.0;
    }
}
