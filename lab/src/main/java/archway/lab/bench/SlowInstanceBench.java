package archway.lab.bench;

import archway.balancer.Algorithm;
import archway.balancer.Balancer;
import archway.balancer.BalancerConfig;
import archway.platform.telemetry.Telemetry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * What each balancing algorithm does with one slow instance: two stand-in instances (one
 * answering {@code SLOW_MS} later), a balancer per algorithm, and a fixed-rate open-loop
 * load through it. Prints, per algorithm, the rate achieved, p50/p99/p99.9 latency (from
 * each request's intended start, so a stall is not hidden) and the share of requests the
 * slow instance took.
 *
 * <p>Arguments: {@code [rate per s, default 400] [seconds, default 20] [connections, default 64]}.
 */
public final class SlowInstanceBench {

    private static final int SLOW_MS = 20;
    private static final int WARMUP_SECONDS = 5;

    private SlowInstanceBench() {
    }

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 400;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int connections = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
        Server fast = instance("fast", 0, timers);
        Server slow = instance("slow", SLOW_MS, timers);
        HttpClient client = new HttpClient();
        client.setMaxConnectionsPerDestination(connections);
        client.start();
        System.out.printf(Locale.ROOT, "%d req/s for %d s over %d connections; the slow instance answers %d ms later%n",
                rate, seconds, connections, SLOW_MS);
        System.out.printf(Locale.ROOT, "| algorithm | requests/s | p50 (ms) | p99 (ms) | p99.9 (ms) | errors | share to slow |%n");
        System.out.printf(Locale.ROOT, "| --- | ---: | ---: | ---: | ---: | ---: | ---: |%n");
        try {
            for (Algorithm algorithm : Algorithm.values()) {
                try (Telemetry telemetry = Telemetry.create("balancer");
                     Balancer balancer = Balancer.start(BalancerConfig.of("127.0.0.1", 0, List.of(url(fast), url(slow)))
                             .withAlgorithm(algorithm), telemetry)) {
                    awaitUp(balancer);
                    run(client, balancer, rate, WARMUP_SECONDS);
                    Run run = run(client, balancer, rate, seconds);
                    System.out.printf(Locale.ROOT, "| %s | %.0f | %.2f | %.2f | %.2f | %d | %.1f %% |%n", algorithm,
                            run.completed() / (double) seconds, ms(run.latency().getValueAtPercentile(50)),
                            ms(run.latency().getValueAtPercentile(99)), ms(run.latency().getValueAtPercentile(99.9)),
                            run.errors(), 100.0 * run.bySlow() / Math.max(1, run.completed()));
                }
            }
        } finally {
            client.stop();
            fast.stop();
            slow.stop();
            timers.shutdownNow();
        }
    }

    private record Run(Histogram latency, long completed, long errors, long bySlow) {
    }

    /** Sends {@code rate} requests a second for {@code seconds}, each at its planned time whatever the others do. */
    private static Run run(HttpClient client, Balancer balancer, int rate, int seconds) throws InterruptedException {
        Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(30), 3);
        AtomicLong errors = new AtomicLong();
        AtomicLong bySlow = new AtomicLong();
        AtomicLong completed = new AtomicLong();
        int total = rate * seconds;
        CountDownLatch done = new CountDownLatch(total);
        long intervalNanos = TimeUnit.SECONDS.toNanos(1) / rate;
        long start = System.nanoTime();
        URI target = URI.create(balancer.url() + "/work");
        for (int i = 0; i < total; i++) {
            long planned = start + i * intervalNanos;
            long wait = planned - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            client.newRequest(target).timeout(10, TimeUnit.SECONDS).send(new org.eclipse.jetty.client.BufferingResponseListener() {
                @Override
                public void onComplete(Result result) {
                    long took = System.nanoTime() - planned;
                    synchronized (latency) {
                        latency.recordValue(Math.min(took, latency.getHighestTrackableValue()));
                    }
                    if (result.isFailed() || result.getResponse().getStatus() != 200) {
                        errors.incrementAndGet();
                    } else {
                        completed.incrementAndGet();
                        if ("slow".equals(getContentAsString())) {
                            bySlow.incrementAndGet();
                        }
                    }
                    done.countDown();
                }
            });
        }
        done.await(30, TimeUnit.SECONDS);
        return new Run(latency, completed.get(), errors.get(), bySlow.get());
    }

    /** A stand-in app instance: answers its name, {@code delayMs} late (without holding a thread), and {@code /ready}. */
    private static Server instance(String name, int delayMs, ScheduledExecutorService timers) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                Runnable answer = () -> {
                    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
                    response.write(true, BufferUtil.toBuffer(name, StandardCharsets.UTF_8), callback);
                };
                if (delayMs > 0 && !request.getHttpURI().getPath().equals("/ready")) {
                    timers.schedule(answer, delayMs, TimeUnit.MILLISECONDS);
                } else {
                    answer.run();
                }
                return true;
            }
        });
        server.start();
        return server;
    }

    private static URI url(Server server) {
        return URI.create("http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort());
    }

    private static void awaitUp(Balancer balancer) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (balancer.instances().stream().filter(state -> state.isUp()).count() < 2) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the instances did not come up: " + balancer.instances());
            }
            Thread.sleep(50);
        }
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
