package archway.edge;

import archway.objects.local.LocalFolderObjectStore;
import archway.platform.telemetry.Telemetry;
import archway.platform.testing.Http;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the edge cache's test classes share: an edge with a 1 MiB cache (bodies up to 1000
 * bytes) in front of a scripted {@link Origin}, both on a {@link FakeTicker}.
 */
abstract class EdgeCacheCase {

    @TempDir
    Path objectsFolder;

    final FakeTicker ticker = new FakeTicker();
    Origin origin;
    Telemetry telemetry;
    Edge edge;
    Http http;

    @BeforeEach
    void start() {
        origin = new Origin(ticker);
        telemetry = Telemetry.create("edge");
        edge = Edge.start(EdgeConfig.of("127.0.0.1", 0, origin.url()).withCache(1024 * 1024, 1000),
                new LocalFolderObjectStore(objectsFolder), telemetry, ticker);
        http = new Http(edge.url());
    }

    @AfterEach
    void stop() {
        http.close();
        edge.close();
        origin.close();
        telemetry.close();
    }

    HttpResponse<String> get(String path, String... headers) {
        return http.get(path, headers);
    }

    void advance(long seconds) {
        ticker.advance(Duration.ofSeconds(seconds));
    }

    static String cacheOf(HttpResponse<?> response) {
        return response.headers().firstValue("X-Cache").orElse("(none)");
    }

    static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    /** The count of the edge's counter {@code name} with {@code tags} (name, value pairs); {@code 0} when it has none yet. */
    double count(String name, String... tags) {
        Counter counter = telemetry.registry().find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    double gauge(String name) {
        Gauge gauge = telemetry.registry().find(name).gauge();
        return gauge == null ? Double.NaN : gauge.value();
    }

    /** Waits (up to ten seconds) for what other threads do, such as a background refresh landing. */
    static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within 10 s");
            }
            Thread.sleep(10);
        }
    }

    /** Blocks an origin answer until the test opens it (never longer than ten seconds). */
    static void hold(CountDownLatch gate) throws InterruptedException {
        gate.await(10, TimeUnit.SECONDS);
    }
}
