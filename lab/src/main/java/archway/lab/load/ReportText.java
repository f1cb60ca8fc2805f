package archway.lab.load;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** A report as people read it: one labelled line per fact, milliseconds to about 3 significant digits. */
final class ReportText {

    private ReportText() {
    }

    static String render(LoadReport r) {
        StringBuilder text = new StringBuilder();
        line(text, "archway load", r.scenario() + " -> " + r.target() + ", " + r.ratePerSecond() + "/s for "
                + Durations.format(seconds(r.durationSeconds())) + " after a warm-up of "
                + Durations.format(seconds(r.warmupSeconds())));
        line(text, "offered", rate(r.offeredPerSecond()) + " req/s: " + r.scheduled() + " scheduled, " + r.sent()
                + " sent, " + r.dropped() + " dropped at the in-flight bound");
        line(text, "achieved", rate(r.achievedPerSecond()) + " req/s: " + r.counts().responses() + " answers in "
                + String.format(Locale.ROOT, "%.2f s", r.windowSeconds()));
        line(text, "status", join(r.counts().byClass(), " ", ", ") + "   (by code: " + join(r.counts().byCode(), ": ", ", ") + ")");
        line(text, "errors", r.counts().failures() + " (" + join(r.counts().errors(), " ", ", ") + ")");
        r.counts().errorExamples().forEach((kind, example) -> line(text, "", "first " + kind + ": " + example));
        if (!r.counts().byCache().isEmpty()) {
            line(text, "x-cache", join(r.counts().byCache(), " ", ", ")
                    + String.format(Locale.ROOT, "   (hits: %.1f%%)", 100 * r.counts().hitShare()));
        }
        line(text, "latency", percentiles(r.latency(), true) + "   (from the intended start, "
                + r.latency().count() + " answers)");
        if (r.orders() != null) {
            orders(text, r.orders());
        }
        return text.toString();
    }

    private static void orders(StringBuilder text, OrderSummary orders) {
        line(text, "orders", orders.accepted() + " accepted (" + rate(orders.acceptedPerSecond()) + "/s)"
                + (orders.acceptedWithoutId() > 0 ? ", " + orders.acceptedWithoutId() + " of them without an id" : ""));
        Settlement s = orders.followUp();
        if (s == null) {
            line(text, "follow-up", "off (--no-follow)");
            return;
        }
        String reasons = s.reasons().isEmpty() ? "" : " (rejected: " + join(s.reasons(), " ", ", ") + ")";
        line(text, "terminal", (s.terminal().isEmpty() ? "none" : join(s.terminal(), " ", ", ")) + reasons + " of "
                + s.followed() + " followed");
        line(text, "unsettled", s.unsettled() + " not terminal when the settle time was up (" + s.neverAnswered()
                + " never answered); " + s.pollErrors() + " failed looks");
        line(text, "to terminal", percentiles(s.toTerminal(), false) + "   (server clocks, first PENDING to terminal, "
                + s.toTerminal().count() + " orders)");
    }

    private static String percentiles(Percentiles p, boolean all) {
        if (p.count() == 0) {
            return "none";
        }
        String middle = all ? "  p90 " + ms(p.p90Ms()) : "";
        String tail = all ? "  p99.9 " + ms(p.p999Ms()) : "";
        return "p50 " + ms(p.p50Ms()) + middle + "  p99 " + ms(p.p99Ms()) + tail + "  max " + ms(p.maxMs()) + " ms";
    }

    private static void line(StringBuilder text, String label, String value) {
        text.append(String.format(Locale.ROOT, "%-13s %s%n", label, value));
    }

    private static String join(Map<?, Long> counts, String between, String separator) {
        return counts.entrySet().stream().map(e -> e.getKey() + between + e.getValue()).collect(Collectors.joining(separator));
    }

    private static String rate(double perSecond) {
        return String.format(Locale.ROOT, "%.1f", perSecond);
    }

    private static Duration seconds(double seconds) {
        return Duration.ofNanos(Math.round(seconds * 1e9));
    }

    /** Three significant digits without an exponent: 0.412, 4.12, 41.2, 412, 4120. */
    static String ms(double millis) {
        if (millis < 1) {
            return String.format(Locale.ROOT, "%.3f", millis);
        }
        if (millis < 10) {
            return String.format(Locale.ROOT, "%.2f", millis);
        }
        return String.format(Locale.ROOT, millis < 100 ? "%.1f" : "%.0f", millis);
    }
}
