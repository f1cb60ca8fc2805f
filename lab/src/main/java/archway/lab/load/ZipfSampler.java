package archway.lab.load;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Ranks {@code 1..n} drawn from a Zipf law: rank {@code k} has weight {@code 1 / k^s}, so a
 * few ranks take most draws (s near 1 is how popularity spreads over a catalog). Exact: it
 * inverts the cumulative distribution, precomputed once ({@code n} doubles), with a binary
 * search per draw.
 */
final class ZipfSampler {

    private final double[] cumulative;

    /**
     * @param n        how many ranks, at least 1
     * @param exponent the exponent {@code s}, at least 0 (0 is uniform)
     */
    ZipfSampler(int n, double exponent) {
        if (n < 1) {
            throw new IllegalArgumentException("a Zipf law needs at least one rank, was " + n);
        }
        if (!(exponent >= 0) || Double.isInfinite(exponent)) {
            throw new IllegalArgumentException("a Zipf exponent must be a finite number of at least 0, was " + exponent);
        }
        cumulative = new double[n];
        double sum = 0;
        for (int k = 1; k <= n; k++) {
            sum += Math.pow(k, -exponent);
            cumulative[k - 1] = sum;
        }
        for (int i = 0; i < n; i++) {
            cumulative[i] /= sum;
        }
        // rounding may leave the last sum a hair under 1; a draw just below 1 must still land
        cumulative[n - 1] = 1.0;
    }

    /** How many ranks there are. */
    int size() {
        return cumulative.length;
    }

    /** The probability of rank {@code k} (1-based). */
    double probability(int k) {
        return k == 1 ? cumulative[0] : cumulative[k - 1] - cumulative[k - 2];
    }

    /** One rank, from 1 to {@link #size()}. */
    int next(RandomGenerator random) {
        double u = random.nextDouble();
        int found = Arrays.binarySearch(cumulative, u);
        // the rank is the first whose cumulative weight exceeds u
        int index = found >= 0 ? found + 1 : -found - 1;
        return Math.min(index, cumulative.length - 1) + 1;
    }
}
