package archway.lab.load;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A load run as asked for on the command line: validated at construction, each failure an
 * {@link IllegalArgumentException} naming the option and the bad value.
 *
 * @param target         the base URL the requests go to, without a trailing slash
 * @param scenario       what to send
 * @param ratePerSecond  requests scheduled per second
 * @param duration       how long to measure
 * @param warmup         how long to send before measuring (not recorded)
 * @param connections    connections to the target, at most
 * @param maxInFlight    requests out at once, at most; a slot beyond it is dropped
 * @param timeout        the longest a request may take
 * @param zipfExponent   {@code browse}: the Zipf law's {@code s} for product ids and pages
 * @param listShare      {@code browse}: the share of listing pages among the requests
 * @param users          {@code order}: shopper accounts opened for the run
 * @param follow         {@code order}: follow the accepted orders to a terminal status afterwards
 * @param settle         {@code order}: how long to follow them
 * @param pollsPerSecond {@code order}: the follow-up's {@code GET}s per second, at most
 * @param seed           the seed of the random draws (products, pages)
 * @param fixedRequest   {@code fixed}: the path and headers sent every time
 * @param jsonFile       where to write the report as JSON, if anywhere
 * @param histogramFile  where to write the latency's percentile distribution, if anywhere
 */
record LoadConfig(String target, Scenario scenario, long ratePerSecond, Duration duration, Duration warmup,
                  int connections, int maxInFlight, Duration timeout, double zipfExponent, double listShare,
                  int users, boolean follow, Duration settle, long pollsPerSecond, long seed,
                  FixedRequest fixedRequest, Optional<Path> jsonFile, Optional<Path> histogramFile) {

    /**
     * Orders kept to follow, at most: each costs some 150 bytes of a launcher heap of 256 MB
     * that also holds the client's buffers.
     */
    static final long MAX_FOLLOWED_ORDERS = 500_000;
    /** The follow-up's own bound on {@code GET}s out at once: it is meant to be gentle. */
    static final int FOLLOW_IN_FLIGHT = 32;

    LoadConfig {
        target = target(target);
        if (scenario == null) {
            throw new IllegalArgumentException("--scenario must be browse, order or fixed");
        }
        if (fixedRequest == null) {
            throw new IllegalArgumentException("--path must be set");
        }
        range("--rate", ratePerSecond, 1, 100_000);
        range("--duration", duration, Duration.ofMillis(1), Duration.ofHours(24));
        range("--warmup", warmup, Duration.ZERO, Duration.ofHours(1));
        range("--connections", connections, 1, 10_000);
        range("--max-in-flight", maxInFlight, 1, 100_000);
        range("--timeout", timeout, Duration.ofMillis(1), Duration.ofMinutes(10));
        if (!(zipfExponent >= 0 && zipfExponent <= 10)) {
            throw new IllegalArgumentException("--zipf must be a number from 0 (uniform) to 10, was " + zipfExponent);
        }
        if (!(listShare >= 0 && listShare <= 1)) {
            throw new IllegalArgumentException("--list-share must be a number from 0 to 1, was " + listShare);
        }
        range("--users", users, 1, 10_000);
        range("--settle", settle, Duration.ZERO, Duration.ofHours(1));
        range("--poll-rate", pollsPerSecond, 1, 10_000);
        long orders = Pacer.slotsIn(duration.toNanos(), ratePerSecond);
        if (orders == 0) {
            throw new IllegalArgumentException("--rate " + ratePerSecond + " for --duration " + Durations.format(duration)
                    + " schedules no request; raise either");
        }
        if (scenario == Scenario.ORDER && follow && orders > MAX_FOLLOWED_ORDERS) {
            throw new IllegalArgumentException("--rate x --duration is " + orders + " orders, and --follow keeps each "
                    + "accepted one to follow it: at most " + MAX_FOLLOWED_ORDERS + "; shorten the run or pass --no-follow");
        }
        writable("--json", jsonFile);
        writable("--histogram", histogramFile);
    }

    /** The open loop's part. */
    OpenLoop.Schedule schedule() {
        return new OpenLoop.Schedule(ratePerSecond, warmup, duration, maxInFlight, timeout);
    }

    /** The follow-up's part. */
    OrderFollower.Plan followPlan() {
        return new OrderFollower.Plan(pollsPerSecond, settle, timeout, FOLLOW_IN_FLIGHT);
    }

    private static String target(String text) {
        String problem = "--target must be an http:// or https:// URL such as http://127.0.0.1:8080, was " + text;
        if (text == null) {
            throw new IllegalArgumentException(problem);
        }
        URI uri;
        try {
            uri = new URI(text.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(problem, e);
        }
        boolean web = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
        if (!web || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException(problem);
        }
        String base = uri.toString();
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    private static void range(String option, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(option + " must be " + min + " to " + max + ", was " + value);
        }
    }

    private static void range(String option, Duration value, Duration min, Duration max) {
        if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(option + " must be " + Durations.format(min) + " to "
                    + Durations.format(max) + ", was " + (value == null ? "missing" : Durations.format(value)));
        }
    }

    private static void writable(String option, Optional<Path> file) {
        Optional<Path> folder = file.map(f -> f.toAbsolutePath().getParent());
        if (folder.isPresent() && !Files.isDirectory(folder.get())) {
            throw new IllegalArgumentException(option + " names a file in " + folder.get() + ", which is not a folder");
        }
    }
}
