package archway.lab.load;

import java.util.List;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.eclipse.jetty.client.HttpClient;

/** One load run from its configuration: set up, run the open loop, follow up, report. */
final class LoadRun {

    /** The report, and the latency histogram behind it (for {@code --histogram}). */
    record Finished(LoadReport report, Histogram latency) {
    }

    private LoadRun() {
    }

    /**
     * Runs the load.
     *
     * @param notes where to say what is happening (a line per phase)
     * @throws LoadException when the setup fails (the target refuses to open accounts, for one)
     */
    static Finished run(LoadConfig config, Consumer<String> notes) throws InterruptedException {
        try (LoadClient client = LoadClient.start(config.connections(), config.maxInFlight(), config.timeout())) {
            return switch (config.scenario()) {
                case BROWSE -> browse(config, client.http(), notes);
                case ORDER -> order(config, client.http(), notes);
                case FIXED -> fixed(config, client.http(), notes);
            };
        }
    }

    private static Finished browse(LoadConfig config, HttpClient http, Consumer<String> notes) throws InterruptedException {
        Workload workload = new BrowseWorkload(config.target(), config.zipfExponent(), config.listShare(), config.seed(),
                config.fixedRequest().headers());
        RunResult run = openLoop(config, http, workload, notes).run();
        return finished(config, run, null);
    }

    private static Finished fixed(LoadConfig config, HttpClient http, Consumer<String> notes) throws InterruptedException {
        Workload workload = new FixedWorkload(config.target(), config.fixedRequest());
        return finished(config, openLoop(config, http, workload, notes).run(), null);
    }

    private static Finished order(LoadConfig config, HttpClient http, Consumer<String> notes) throws InterruptedException {
        notes.accept("opening " + config.users() + " shopper accounts (not measured)");
        List<Shoppers.Shopper> shoppers = Shoppers.open(http, config.target(), config.users(), config.timeout());
        OrderWorkload workload = new OrderWorkload(config.target(), shoppers, config.seed());
        RunResult run = openLoop(config, http, workload, notes).run();
        Settlement followUp = null;
        if (config.follow()) {
            followUp = new OrderFollower(http, config.target(), shoppers, config.followPlan(), Ticker.system(), notes)
                    .follow(workload.accepted());
        }
        return finished(config, run, OrderSummary.of(run, workload.acceptedWithoutId(), followUp));
    }

    private static OpenLoop openLoop(LoadConfig config, HttpClient http, Workload workload, Consumer<String> notes) {
        return new OpenLoop(http, workload, config.schedule(), Ticker.system(), notes);
    }

    private static Finished finished(LoadConfig config, RunResult run, OrderSummary orders) {
        LoadReport report = LoadReport.of(config.scenario().label(), config.target(), config.ratePerSecond(),
                config.warmup(), run, orders);
        return new Finished(report, run.latency());
    }
}
