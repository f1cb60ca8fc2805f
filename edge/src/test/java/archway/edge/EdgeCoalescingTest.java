package archway.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Concurrent misses for one URL make one trip to the origin. */
class EdgeCoalescingTest extends EdgeCacheCase {

    private static final String PATH = "/api/v1/t/item";

    private List<HttpResponse<String>> concurrently(int n) {
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                pending.add(client.sendAsync(HttpRequest.newBuilder(URI.create(edge.url() + PATH)).timeout(Duration.ofSeconds(20)).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            return pending.stream().map(CompletableFuture::join).toList();
        }
    }

    @Test
    void aHundredConcurrentMissesMakeOneTripToTheOrigin() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        origin.script(PATH, (ctx, call) -> {
            ctx.header("Cache-Control", "max-age=60");
            hold(gate);
        });

        CompletableFuture<List<HttpResponse<String>>> responses = CompletableFuture.supplyAsync(() -> concurrently(100));
        await(() -> count("edge.cache.coalesced") == 99);
        gate.countDown();

        assertThat(responses.get()).hasSize(100).allSatisfy(response -> {
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("answer 1 for " + PATH);
        });
        assertThat(origin.callsTo(PATH)).isEqualTo(1);
        assertThat(responses.get().stream().filter(response -> cacheOf(response).equals("HIT")).count()).isEqualTo(99);
    }

    @Test
    void whenTheAnswerCannotBeStoredTheWaitersGoToTheOriginThemselves() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        origin.script(PATH, (ctx, call) -> {
            ctx.header("Cache-Control", "no-store");
            if (call == 1) {
                hold(gate);
            }
        });

        CompletableFuture<List<HttpResponse<String>>> responses = CompletableFuture.supplyAsync(() -> concurrently(10));
        await(() -> count("edge.cache.coalesced") == 9);
        gate.countDown();

        assertThat(responses.get()).allSatisfy(response -> {
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(cacheOf(response)).isEqualTo("MISS");
        });
        assertThat(origin.callsTo(PATH)).isEqualTo(10);

        concurrently(5);
        assertThat(count("edge.cache.coalesced")).as("not coalesced again for a while (hit-for-pass)").isEqualTo(9);
    }
}
