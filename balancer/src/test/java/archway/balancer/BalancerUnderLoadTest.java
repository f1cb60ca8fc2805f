package archway.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import archway.platform.telemetry.Telemetry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The balancer with real instances under steady concurrent load, as a user would run it. */
class BalancerUnderLoadTest {

    private static final Logger LOG = LoggerFactory.getLogger(BalancerUnderLoadTest.class);
    private static final int CLIENTS = 12;

    private final List<AutoCloseable> started = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @AfterEach
    void stopEverything() throws Exception {
        for (AutoCloseable component : started.reversed()) {
            component.close();
        }
        http.close();
    }

    private App app(String name) {
        App app = App.start(name);
        started.add(app);
        return app;
    }

    private Balancer balancer(BalancerConfig config, App... upInstances) throws InterruptedException {
        Telemetry telemetry = Telemetry.create("balancer");
        started.add(telemetry);
        Balancer balancer = Balancer.start(config, telemetry);
        started.add(balancer);
        for (App instance : upInstances) {
            awaitTrue(instance.name + " up", () -> isUp(balancer, instance));
        }
        return balancer;
    }

    private static boolean isUp(Balancer balancer, App instance) {
        return balancer.instances().stream().anyMatch(s -> s.url().equals(instance.url()) && s.isUp());
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(20);
        }
    }

    /** Outcomes of a load run: status codes (0 for no answer) and latencies in microseconds. */
    private record Outcomes(ConcurrentLinkedQueue<Integer> statuses, ConcurrentLinkedQueue<Long> micros) {
        Outcomes() {
            this(new ConcurrentLinkedQueue<>(), new ConcurrentLinkedQueue<>());
        }

        long failed() {
            return statuses.stream().filter(status -> status != 200).count();
        }

        long p99() {
            List<Long> sorted = new ArrayList<>(micros);
            Collections.sort(sorted);
            return sorted.isEmpty() ? 0 : sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(sorted.size() * 0.99) - 1));
        }
    }

    /** {@link #CLIENTS} clients, each sending one request after the other (GETs, and POSTs with a body if asked) until stopped. */
    private final class Load implements AutoCloseable {
        final Outcomes outcomes = new Outcomes();
        final AtomicInteger sent = new AtomicInteger();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
        private final List<Future<?>> running = new ArrayList<>();

        Load(Balancer balancer, boolean withPosts, int limit) {
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                running.add(clients.submit(() -> {
                    for (int i = 0; !stop.get() && sent.incrementAndGet() <= limit; i++) {
                        boolean post = withPosts && i % 2 == 1;
                        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(balancer.url() + "/api/v1/who"))
                                .timeout(Duration.ofSeconds(10));
                        if (post) {
                            request.POST(HttpRequest.BodyPublishers.ofString("order " + client + "-" + i));
                        }
                        long start = System.nanoTime();
                        int status;
                        try {
                            status = http.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
                        } catch (Exception e) {
                            status = 0;
                        }
                        outcomes.micros().add((System.nanoTime() - start) / 1000);
                        outcomes.statuses().add(status);
                    }
                    return null;
                }));
            }
        }

        void awaitSent(int n) throws InterruptedException {
            awaitTrue(n + " requests sent", () -> sent.get() >= n);
        }

        /** Waits for every client to stop (at its limit, or at once when {@code now}). */
        void finish(boolean now) throws Exception {
            stop.set(now);
            for (Future<?> client : running) {
                client.get();
            }
        }

        @Override
        public void close() {
            stop.set(true);
            clients.close();
        }
    }

    private static BalancerConfig config(Algorithm algorithm, App... instances) {
        return BalancerConfig.of("127.0.0.1", 0, java.util.Arrays.stream(instances).map(App::url).toList())
                .withHealthChecks("/ready", Duration.ofMillis(500), Duration.ofMillis(400))
                .withAlgorithm(algorithm);
    }

    private double slowShare(Algorithm algorithm, App fast, App slow, List<String> p99s) throws Exception {
        Balancer balancer = balancer(config(algorithm, fast, slow), fast, slow);
        int fastBefore = fast.calls.get();
        int slowBefore = slow.calls.get();
        try (Load load = new Load(balancer, false, 600)) {
            load.finish(false);
            assertThat(load.outcomes.failed()).as(algorithm + ": failed requests").isZero();
            p99s.add(algorithm + " p99 " + load.outcomes.p99() / 1000.0 + " ms");
        }
        int toFast = fast.calls.get() - fastBefore;
        int toSlow = slow.calls.get() - slowBefore;
        balancer.close();
        return (double) toSlow / (toFast + toSlow);
    }

    @Test
    void leastOutstandingAndPeakEwmaSendLessTrafficToASlowInstanceThanRoundRobin() throws Exception {
        App fast = app("fast");
        App slow = app("slow");
        slow.extraLatencyMs.set(50);
        List<String> p99s = new ArrayList<>();

        double roundRobin = slowShare(Algorithm.ROUND_ROBIN, fast, slow, p99s);
        double leastOutstanding = slowShare(Algorithm.LEAST_OUTSTANDING, fast, slow, p99s);
        double peakEwma = slowShare(Algorithm.PEAK_EWMA, fast, slow, p99s);
        LOG.info("share to the slow instance: round-robin {}, least outstanding {}, peak EWMA {}; {}",
                roundRobin, leastOutstanding, peakEwma, p99s);

        assertThat(roundRobin).isBetween(0.45, 0.55);
        assertThat(leastOutstanding).as("least outstanding, against round-robin's %s", roundRobin).isLessThan(roundRobin * 0.7);
        assertThat(peakEwma).as("peak EWMA, against round-robin's %s", roundRobin).isLessThan(roundRobin * 0.7);
    }

    @Test
    void anInstanceThatStopsUnderLoadIsEjectedAndAlmostNoRequestFails() throws Exception {
        App one = app("app-1");
        App two = app("app-2");
        Balancer balancer = balancer(config(Algorithm.ROUND_ROBIN, one, two), one, two);
        int total = 8000;
        try (Load load = new Load(balancer, true, total)) {
            load.awaitSent(800);
            two.close();
            load.finish(false);

            long failed = load.outcomes.failed();
            LOG.info("{} of {} requests failed after app-2 stopped, with {}", failed, load.outcomes.statuses().size(),
                    load.outcomes.statuses().stream().filter(status -> status != 200).toList());
            assertThat(failed).as("failed requests of %d", total).isLessThanOrEqualTo(total / 1000);
        }
        String metrics = http.send(HttpRequest.newBuilder(URI.create(balancer.url() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).containsPattern("balancer_ejections_total\\{component=\"balancer\",pool=\"app\"} [1-9]");
        assertThat(one.postedBodies).allMatch(body -> body.startsWith("order "));
    }

    @Test
    void instancesAddedAndDrainedUnderLoadFailNoRequest() throws Exception {
        App one = app("app-1");
        App two = app("app-2");
        App three = app("app-3");
        App four = app("app-4");
        Balancer balancer = balancer(config(Algorithm.LEAST_OUTSTANDING, one, two), one, two);
        try (Load load = new Load(balancer, true, Integer.MAX_VALUE)) {
            load.awaitSent(300);
            balancer.add(three.url());
            balancer.add(four.url());
            awaitTrue("app-3 and app-4 up", () -> isUp(balancer, three) && isUp(balancer, four));
            load.awaitSent(load.sent.get() + 300);

            balancer.drain(one.url()).get();
            balancer.drain(two.url()).get();
            int oneAfterDrain = one.calls.get();
            int twoAfterDrain = two.calls.get();
            one.close();
            two.close();
            load.awaitSent(load.sent.get() + 300);
            load.finish(true);

            assertThat(load.outcomes.failed()).as("failed requests of %d", load.outcomes.statuses().size()).isZero();
            assertThat(one.calls.get()).isEqualTo(oneAfterDrain);
            assertThat(two.calls.get()).isEqualTo(twoAfterDrain);
            assertThat(three.calls.get()).isPositive();
            assertThat(four.calls.get()).isPositive();
        }
        assertThat(balancer.instances()).extracting(InstanceState::url).containsExactly(three.url(), four.url());
    }
}
