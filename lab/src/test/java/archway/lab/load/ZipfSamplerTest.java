package archway.lab.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ZipfSamplerTest {

    private static final int DRAWS = 200_000;

    @Test
    void rankOneTakesItsExpectedShareOfTheDraws() {
        ZipfSampler zipf = new ZipfSampler(10_000, 0.99);
        double harmonic = 0;
        for (int k = 1; k <= 10_000; k++) {
            harmonic += Math.pow(k, -0.99);
        }
        double expected = 1 / harmonic;

        int[] counts = draw(zipf, new SplittableRandom(42));

        // the standard deviation of the share is about 0.0007 at this many draws
        assertThat(counts[1] / (double) DRAWS).isCloseTo(expected, within(0.004));
        assertThat(counts[2] / (double) DRAWS).isCloseTo(expected / Math.pow(2, 0.99), within(0.004));
    }

    @Test
    void probabilitiesFollowThePowerLawAndSumToOne() {
        ZipfSampler zipf = new ZipfSampler(1_000, 1.2);

        assertThat(zipf.probability(1) / zipf.probability(10)).isCloseTo(Math.pow(10, 1.2), within(1e-6));
        double sum = 0;
        for (int k = 1; k <= 1_000; k++) {
            sum += zipf.probability(k);
        }
        assertThat(sum).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void exponentZeroIsUniform() {
        ZipfSampler zipf = new ZipfSampler(10, 0);

        int[] counts = draw(zipf, new SplittableRandom(7));

        for (int k = 1; k <= 10; k++) {
            assertThat(counts[k] / (double) DRAWS).isCloseTo(0.1, within(0.005));
        }
    }

    @Test
    void drawsOnlyRanksFromOneToN() {
        ZipfSampler zipf = new ZipfSampler(3, 0.99);

        int[] counts = draw(zipf, new SplittableRandom(1));

        assertThat(counts[0]).isZero();
        assertThat(counts[1] + counts[2] + counts[3]).isEqualTo(DRAWS);
    }

    @Test
    void rejectsNoRanksAndNegativeExponents() {
        assertThatThrownBy(() -> new ZipfSampler(0, 1)).hasMessageContaining("at least one rank");
        assertThatThrownBy(() -> new ZipfSampler(10, -0.5)).hasMessageContaining("exponent");
        assertThatThrownBy(() -> new ZipfSampler(10, Double.NaN)).hasMessageContaining("exponent");
    }

    private static int[] draw(ZipfSampler zipf, SplittableRandom random) {
        int[] counts = new int[zipf.size() + 1];
        for (int i = 0; i < DRAWS; i++) {
            counts[zipf.next(random)]++;
        }
        return counts;
    }
}
