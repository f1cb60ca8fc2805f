package archway.lab.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TallyTest {

    @Test
    void countsAnswersByWhatTheCacheInFrontSaid() {
        Tally tally = new Tally();
        for (int i = 0; i < 6; i++) {
            tally.answered(200, "HIT");
        }
        tally.answered(200, "MISS");
        tally.answered(200, "STALE");
        tally.answered(404, null);
        tally.answered(200, "HIT");

        Counts counts = tally.snapshot();

        assertThat(counts.byCache()).containsExactlyInAnyOrderEntriesOf(
                Map.of("HIT", 7L, "MISS", 1L, "STALE", 1L, Counts.NO_CACHE, 1L));
        assertThat(counts.hitShare()).isEqualTo(0.7);
        assertThat(counts.count(200)).isEqualTo(9);
        RunResult run = new RunResult(LoadReportTest.latencies(10), counts, 10, 0, Duration.ofSeconds(1), Duration.ofSeconds(1));
        assertThat(ReportText.render(LoadReport.of("browse", "http://shop", 10, Duration.ZERO, run, null)))
                .contains("x-cache").contains("HIT 7").contains("hits: 70.0%");
    }

    @Test
    void reportsNoCacheLineWhenNothingWasCounted() {
        assertThat(new Tally().snapshot().hitShare()).isZero();
    }
}
