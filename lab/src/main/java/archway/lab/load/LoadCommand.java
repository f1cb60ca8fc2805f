package archway.lab.load;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./archway load}: an open-loop load generator. Requests leave at a constant rate
 * whatever the answers do, and latency is measured from each request's intended start, so
 * a system that falls behind shows its queue in the percentiles (no coordinated omission).
 * The report goes to standard output; progress notes to standard error.
 *
 * <p>Exit codes: 0 when the run was made (whatever its errors: they are in the report), 1
 * when it could not be (the setup failed), 2 for bad options.
 */
@Command(name = "load", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Offer load to a running Archway at a constant rate and report the latency "
                + "from each request's intended start (HdrHistogram percentiles).",
                "Scenarios: browse (product pages by Zipf popularity, some listing pages), "
                        + "order (orders placed as --users shoppers, then followed to a terminal status), "
                        + "fixed (GET --path with the --header values, every time)."})
public final class LoadCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--target", paramLabel = "URL", defaultValue = "http://127.0.0.1:8080", description = "Base URL of the system (default: ${DEFAULT-VALUE}).")
    String target;

    @Option(names = "--scenario", paramLabel = "NAME", defaultValue = "browse", description = "browse, order or fixed (default: ${DEFAULT-VALUE}).")
    Scenario scenario;

    @Option(names = "--rate", paramLabel = "N", defaultValue = "100", description = "Requests scheduled per second (default: ${DEFAULT-VALUE}).")
    long rate;

    @Option(names = "--duration", paramLabel = "TIME", defaultValue = "30s", converter = Durations.Converter.class,
            description = "How long to measure, e.g. 30s, 2m (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--warmup", paramLabel = "TIME", defaultValue = "0s", converter = Durations.Converter.class,
            description = "Load before measuring, not recorded (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--connections", paramLabel = "N", defaultValue = "64", description = "Connections to the target, at most (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--max-in-flight", paramLabel = "N", defaultValue = "2000",
            description = "Requests out at once, at most; a scheduled request beyond it is dropped and counted (default: ${DEFAULT-VALUE}).")
    int maxInFlight;

    @Option(names = "--timeout", paramLabel = "TIME", defaultValue = "10s", converter = Durations.Converter.class,
            description = "Longest a request may take, queueing included (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--zipf", paramLabel = "S", defaultValue = "0.99", description = "browse: Zipf exponent s of product and page popularity, 0 = uniform (default: ${DEFAULT-VALUE}).")
    double zipf;

    @Option(names = "--list-share", paramLabel = "SHARE", defaultValue = "0.1", description = "browse: share of listing pages among the requests (default: ${DEFAULT-VALUE}).")
    double listShare;

    @Option(names = "--users", paramLabel = "N", defaultValue = "20", description = "order: shopper accounts opened for the run (default: ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--follow", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "order: afterwards, follow the accepted orders to a terminal status (default: on).")
    boolean follow;

    @Option(names = "--settle", paramLabel = "TIME", defaultValue = "60s", converter = Durations.Converter.class,
            description = "order: how long to follow them (default: ${DEFAULT-VALUE}).")
    Duration settle;

    @Option(names = "--poll-rate", paramLabel = "N", defaultValue = "200", description = "order: follow-up GETs per second, at most (default: ${DEFAULT-VALUE}).")
    long pollRate;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seed of the random draws: equal seeds, equal request sequences (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--path", paramLabel = "PATH", defaultValue = "/api/v1/products/1",
            description = "fixed: the path (and query) requested every time (default: ${DEFAULT-VALUE}).")
    String path;

    @Option(names = "--header", paramLabel = "'NAME: VALUE'", description = "fixed and browse: a header sent with every request (repeatable), e.g. 'Cache-Control: no-store' to go past the HTTP caches.")
    List<String> headers = new ArrayList<>();

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON to FILE.")
    Path json;

    @Option(names = "--histogram", paramLabel = "FILE", description = "Also write the latency's percentile distribution (HdrHistogram's format, ms) to FILE.")
    Path histogram;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        LoadConfig config;
        try {
            config = config();
        } catch (IllegalArgumentException e) {
            err.println("archway load: " + e.getMessage());
            return 2;
        }
        try {
            LoadRun.Finished finished = LoadRun.run(config, note -> {
                err.println("archway load: " + note);
                err.flush();
            });
            out.print(ReportText.render(finished.report()));
            out.flush();
            config.jsonFile().ifPresent(file -> ReportFiles.writeJson(file, finished.report()));
            config.histogramFile().ifPresent(file -> ReportFiles.writeHistogram(file, finished.latency()));
            return 0;
        } catch (LoadException e) {
            err.println("archway load: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("archway load: interrupted");
            return 1;
        }
    }

    LoadConfig config() {
        return new LoadConfig(target, scenario, rate, duration, warmup, connections, maxInFlight, timeout, zipf,
                listShare, users, follow, settle, pollRate, seed, FixedRequest.of(path, headers), Optional.ofNullable(json), Optional.ofNullable(histogram));
    }
}
