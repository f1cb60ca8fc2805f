package archway.lab.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class LoadReportTest {

    @Test
    void offeredRateCountsTheScheduleAndAchievedRateTheAnswersOverTheWindow() {
        RunResult run = run(latencies(1_000), Map.of(200, 900L, 404, 50L, 503, 50L), 1_200, 100,
                Duration.ofSeconds(10), Duration.ofMillis(12_500));

        LoadReport report = LoadReport.of("browse", "http://shop", 120, Duration.ofSeconds(5), run, null);

        assertThat(report.offeredPerSecond()).isEqualTo(120.0);
        assertThat(report.achievedPerSecond()).isEqualTo(1_000 / 12.5);
        assertThat(report.sent()).isEqualTo(1_100);
        assertThat(report.dropped()).isEqualTo(100);
        assertThat(report.warmupSeconds()).isEqualTo(5.0);
        assertThat(report.windowSeconds()).isEqualTo(12.5);
    }

    @Test
    void statusCodesAddUpToTheirClasses() {
        Counts counts = Counts.of(Map.of(200, 900L, 202, 10L, 404, 50L, 503, 7L), Map.of(ErrorKind.TIMEOUT, 3L), Map.of());

        assertThat(counts.byClass()).containsExactly(Map.entry("2xx", 910L), Map.entry("3xx", 0L),
                Map.entry("4xx", 50L), Map.entry("5xx", 7L));
        assertThat(counts.byCode().keySet()).containsExactly(200, 202, 404, 503);
        assertThat(counts.responses()).isEqualTo(967);
        assertThat(counts.errors()).containsExactly(Map.entry("connect", 0L), Map.entry("timeout", 3L), Map.entry("other", 0L));
        assertThat(counts.failures()).isEqualTo(3);
    }

    @Test
    void percentilesAreMillisecondsToThreeSignificantDigits() {
        // 1 ms, 2 ms ... 1000 ms, once each
        Percentiles p = Percentiles.of(latencies(1_000));

        assertThat(p.count()).isEqualTo(1_000);
        assertThat(p.p50Ms()).isCloseTo(500, within(0.5));
        assertThat(p.p90Ms()).isCloseTo(900, within(0.5));
        assertThat(p.p99Ms()).isCloseTo(990, within(1.0));
        assertThat(p.p999Ms()).isCloseTo(999, within(1.0));
        assertThat(p.maxMs()).isCloseTo(1_000, within(1.0));
    }

    @Test
    void anEmptyHistogramHasNoPercentiles() {
        assertThat(Percentiles.of(new Histogram(3))).isEqualTo(Percentiles.NONE);
    }

    @Test
    void acceptedOrdersAreTheMeasured202sPerSecondOfTheWindow() {
        RunResult run = run(latencies(10), Map.of(202, 2_850L, 500, 150L), 3_000, 0, Duration.ofSeconds(30),
                Duration.ofSeconds(30));

        OrderSummary orders = OrderSummary.of(run, 2, null);

        assertThat(orders.accepted()).isEqualTo(2_850);
        assertThat(orders.acceptedPerSecond()).isEqualTo(95.0);
        assertThat(orders.acceptedWithoutId()).isEqualTo(2);
    }

    @Test
    void theTextNamesEveryFigure() {
        RunResult run = run(latencies(100), Map.of(200, 100L), 100, 0, Duration.ofSeconds(1), Duration.ofSeconds(1));
        Settlement settled = new Settlement(100, Map.of("CONFIRMED", 90L, "REJECTED", 8L), Map.of("out_of_stock", 8L),
                2, 1, 4, Percentiles.of(latencies(98)));

        String text = ReportText.render(LoadReport.of("order", "http://shop", 100, Duration.ZERO, run,
                OrderSummary.of(run, 0, settled)));

        assertThat(text).contains("offered", "100.0 req/s", "0 dropped", "achieved", "2xx 100, 3xx 0", "by code: 200: 100",
                "errors        0 (connect 0, timeout 0, other 0)", "p99.9", "CONFIRMED 90, REJECTED 8",
                "rejected: out_of_stock 8", "2 not terminal", "to terminal");
    }

    @Test
    void millisecondsReadToAboutThreeDigits() {
        assertThat(ReportText.ms(0.4123)).isEqualTo("0.412");
        assertThat(ReportText.ms(4.123)).isEqualTo("4.12");
        assertThat(ReportText.ms(41.23)).isEqualTo("41.2");
        assertThat(ReportText.ms(4123.4)).isEqualTo("4123");
    }

    /** A histogram of 1 ms, 2 ms ... n ms, in microseconds. */
    static Histogram latencies(int n) {
        Histogram histogram = new Histogram(3);
        for (int ms = 1; ms <= n; ms++) {
            histogram.recordValue(ms * 1_000L);
        }
        return histogram;
    }

    private static RunResult run(Histogram latency, Map<Integer, Long> codes, long scheduled, long dropped,
                                 Duration duration, Duration window) {
        return new RunResult(latency, Counts.of(codes, Map.of(), Map.of()), scheduled, dropped, duration, window);
    }
}
