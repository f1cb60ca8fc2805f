package archway.edge;

import static org.assertj.core.api.Assertions.assertThat;

import archway.platform.telemetry.Telemetry;
import archway.platform.testing.Http;
import archway.platform.tier.ForwardedHeaders;
import archway.platform.tier.Forwarder;
import archway.platform.tier.TierServer;
import archway.platform.tier.Upstreams;
import archway.platform.tier.cache.CachePolicy;
import archway.platform.tier.cache.HttpCache;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cache's operations side (purges) and its settings, on an {@link HttpCache} of their own
 * in front of the test origin, as the edge and the gateway build theirs.
 */
class EdgePurgeTest {

    private static final String PATH = "/api/v1/t/item";

    private final FakeTicker ticker = new FakeTicker();
    private Origin origin;
    private Telemetry telemetry;
    private HttpCache cache;
    private TierServer server;
    private Http http;

    @BeforeEach
    void start() {
        origin = new Origin(ticker);
        telemetry = Telemetry.create("edge");
        start(1024 * 1024, HttpCache.Settings.outermost().withCoalescingWait(Duration.ofMillis(200)));
    }

    private void start(long maxBytes, HttpCache.Settings settings) {
        Forwarder forwarder = new Forwarder(telemetry, Upstreams.fixed(origin.url()),
                Forwarder.Settings.of(Duration.ofSeconds(10), ForwardedHeaders.SET));
        cache = new HttpCache("edge", maxBytes, 1000, CachePolicy.everyRequest(), ticker, telemetry.registry(), settings,
                forwarder);
        server = TierServer.start("127.0.0.1", 0, telemetry, () -> true, cache);
        http = new Http(server.url());
    }

    @AfterEach
    void stop() {
        http.close();
        server.close();
        origin.close();
        telemetry.close();
    }

    private static String cacheOf(HttpResponse<?> response) {
        return response.headers().firstValue("X-Cache").orElse("(none)");
    }

    private void tagged(String path, String tags) {
        origin.script(path, (ctx, call) -> ctx.header("Cache-Control", "max-age=60").header("Surrogate-Key", tags)
                .header("Surrogate-Control", "max-age=600").header("Vary", "Accept-Language"));
    }

    @Test
    void purgingAUrlDropsEveryVariantOfIt() {
        tagged(PATH, "products");
        http.get(PATH, "Accept-Language", "en");
        http.get(PATH, "Accept-Language", "de");

        assertThat(cache.purge(PATH)).isEqualTo(2);

        assertThat(cacheOf(http.get(PATH, "Accept-Language", "en"))).isEqualTo("MISS");
        assertThat(cacheOf(http.get(PATH, "Accept-Language", "de"))).isEqualTo("MISS");
    }

    @Test
    void purgingATagDropsTheEntriesTaggedWithIt() {
        tagged("/api/v1/t/a", "product-1 products");
        tagged("/api/v1/t/b", "product-2  products");
        tagged("/api/v1/t/c", "product-3");
        for (String path : new String[] {"/api/v1/t/a", "/api/v1/t/b", "/api/v1/t/c"}) {
            http.get(path);
        }

        assertThat(cache.purgeTag("products")).isEqualTo(2);

        assertThat(cacheOf(http.get("/api/v1/t/a"))).isEqualTo("MISS");
        assertThat(cacheOf(http.get("/api/v1/t/b"))).isEqualTo("MISS");
        assertThat(cacheOf(http.get("/api/v1/t/c"))).isEqualTo("HIT");
        assertThat(cache.purgeAll()).isEqualTo(3);
        assertThat(telemetry.registry().find("edge.cache.purges").counter().count()).isEqualTo(2);
    }

    @Test
    void aFillThatStartedBeforeAPurgeStoresNothing() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        origin.script(PATH, (ctx, call) -> {
            ctx.header("Cache-Control", "max-age=60");
            if (call == 1) {
                EdgeCacheCase.hold(gate);
            }
        });
        CompletableFuture<HttpResponse<String>> before = CompletableFuture.supplyAsync(() -> http.get(PATH));
        EdgeCacheCase.await(() -> origin.callsTo(PATH) == 1);

        cache.purge(PATH);
        gate.countDown();

        assertThat(before.get().body()).isEqualTo("answer 1 for " + PATH);
        HttpResponse<String> after = http.get(PATH);
        assertThat(cacheOf(after)).isEqualTo("MISS");
        assertThat(after.body()).isEqualTo("answer 2 for " + PATH);
    }

    @Test
    void purgingWhatIsNotStoredDropsNothing() {
        assertThat(cache.purge("/api/v1/t/none")).isZero();
        assertThat(cache.purgeTag("none")).isZero();
        assertThat(cache.purgeAll()).isZero();
    }

    @Test
    void theOutermostCacheStripsSurrogateHeadersAndAnInnerOnePassesThem() {
        tagged(PATH, "products");
        HttpResponse<String> miss = http.get(PATH);
        HttpResponse<String> hit = http.get(PATH);
        assertThat(cacheOf(hit)).isEqualTo("HIT");
        for (HttpResponse<String> response : java.util.List.of(miss, hit)) {
            assertThat(response.headers().firstValue("Surrogate-Key")).isEmpty();
            assertThat(response.headers().firstValue("Surrogate-Control")).isEmpty();
        }
        assertThat(cache.purgeTag("products")).as("stored with the entry all the same").isEqualTo(1);

        stop();
        origin = new Origin(ticker);
        telemetry = Telemetry.create("gateway");
        start(1024 * 1024, HttpCache.Settings.DEFAULTS);
        tagged(PATH, "products");
        http.get(PATH);
        HttpResponse<String> inner = http.get(PATH);
        assertThat(cacheOf(inner)).isEqualTo("HIT");
        assertThat(inner.headers().firstValue("Surrogate-Key")).hasValue("products");
    }

    @Test
    void entriesOverTheByteBoundAreEvictedAndCounted() throws Exception {
        stop();
        origin = new Origin(ticker);
        telemetry = Telemetry.create("edge");
        start(8 * 1024, HttpCache.Settings.outermost());
        for (int i = 0; i < 20; i++) {
            String path = "/api/v1/t/item-" + i;
            origin.script(path, (ctx, call) -> ctx.header("Cache-Control", "max-age=60").result("z".repeat(900)));
            http.get(path);
        }

        EdgeCacheCase.await(() -> telemetry.registry().find("edge.cache.evictions").counter().count() > 0);
        assertThat(telemetry.registry().find("edge.cache.bytes").gauge().value()).isLessThanOrEqualTo(8 * 1024);
        assertThat(telemetry.registry().find("edge.cache.entries").gauge().value()).isBetween(1.0, 8.0);
    }

    @Test
    void aHungFillHoldsItsWaitersOnlyForTheCoalescingWait() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        origin.script(PATH, (ctx, call) -> {
            ctx.header("Cache-Control", "max-age=60");
            if (call == 1) {
                EdgeCacheCase.hold(gate);
            }
        });
        try (Http first = new Http(server.url())) {
            CompletableFuture<HttpResponse<String>> hung = CompletableFuture.supplyAsync(() -> first.get(PATH));
            EdgeCacheCase.await(() -> origin.callsTo(PATH) == 1);

            HttpResponse<String> waiter = http.get(PATH);

            assertThat(waiter.statusCode()).isEqualTo(200);
            assertThat(waiter.body()).as("went to the origin itself").isEqualTo("answer 2 for " + PATH);
            gate.countDown();
            assertThat(hung.get().body()).isEqualTo("answer 1 for " + PATH);
        }
    }
}
