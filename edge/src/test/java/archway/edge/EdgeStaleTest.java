package archway.edge;

import static org.assertj.core.api.Assertions.assertThat;

import archway.platform.testing.Http;
import java.net.http.HttpResponse;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Stale answers: stale-while-revalidate and stale-if-error (RFC 5861), and the directives that forbid them. */
class EdgeStaleTest extends EdgeCacheCase {

    private static final String PATH = "/api/v1/t/item";

    @Test
    void withinStaleWhileRevalidateTheStaleAnswerComesAtOnceAndOneRefreshRunsBehindIt() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        origin.script(PATH, (ctx, call) -> {
            ctx.header("Cache-Control", "max-age=10, stale-while-revalidate=60");
            if (call == 2) {
                hold(gate);
            }
        });
        get(PATH);
        advance(15);

        // clients of their own: the refresh holds the first client's exchange until it lands
        try (Http first = new Http(edge.url()); Http second = new Http(edge.url()); Http third = new Http(edge.url())) {
            HttpResponse<String> stale = first.get(PATH);
            await(() -> origin.callsTo(PATH) == 2);
            HttpResponse<String> alsoStale = second.get(PATH);
            HttpResponse<String> stillStale = third.get(PATH);

            assertThat(cacheOf(stale)).isEqualTo("STALE");
            assertThat(stale.body()).isEqualTo("answer 1 for " + PATH);
            assertThat(cacheOf(alsoStale)).isEqualTo("STALE");
            assertThat(cacheOf(stillStale)).isEqualTo("STALE");
            assertThat(origin.callsTo(PATH)).as("one background refresh").isEqualTo(2);

            gate.countDown();
            await(() -> count("edge.cache.revalidations", "result", "replaced") == 1);
        }
        HttpResponse<String> refreshed = get(PATH);
        assertThat(cacheOf(refreshed)).isEqualTo("HIT");
        assertThat(refreshed.body()).isEqualTo("answer 2 for " + PATH);
        assertThat(origin.callsTo(PATH)).isEqualTo(2);

        advance(10 + 61);
        assertThat(cacheOf(get(PATH))).as("past the window: fetched while the client waits").isEqualTo("MISS");
    }

    @Test
    void mustRevalidateProxyRevalidateAndSMaxAgeAreNeverServedStale() {
        for (String directives : new String[] {"max-age=10, must-revalidate", "max-age=10, proxy-revalidate", "s-maxage=10"}) {
            String path = PATH + "-" + directives.hashCode();
            origin.script(path, (ctx, call) -> {
                ctx.header("Cache-Control", directives + ", stale-while-revalidate=60, stale-if-error=60");
                if (call > 1) {
                    ctx.status(503);
                }
            });
            get(path);
            advance(15);
            HttpResponse<String> response = get(path);
            assertThat(response.statusCode()).as(directives).isEqualTo(503);
            assertThat(cacheOf(response)).as(directives).isEqualTo("MISS");
        }
    }

    @Test
    void withinStaleIfErrorAnOriginErrorIsReplacedByTheStaleAnswer() {
        origin.script(PATH, (ctx, call) -> {
            ctx.header("Cache-Control", "max-age=10, stale-if-error=60");
            if (call > 1) {
                ctx.status(503).result("down");
            }
        });
        get(PATH);
        advance(15);

        HttpResponse<String> stale = get(PATH);
        assertThat(stale.statusCode()).isEqualTo(200);
        assertThat(cacheOf(stale)).isEqualTo("STALE");
        assertThat(stale.body()).isEqualTo("answer 1 for " + PATH);
        assertThat(count("edge.cache.revalidations", "result", "error")).isEqualTo(1);

        advance(60);
        HttpResponse<String> tooLate = get(PATH);
        assertThat(tooLate.statusCode()).isEqualTo(503);
        assertThat(tooLate.body()).isEqualTo("down");
    }

    @Test
    void withinStaleIfErrorAnUnreachableOriginIsReplacedByTheStaleAnswer() {
        origin.script(PATH, (ctx, call) -> ctx.header("Cache-Control", "max-age=10, stale-if-error=60"));
        get(PATH);
        origin.close();
        advance(15);

        HttpResponse<String> stale = get(PATH);
        assertThat(stale.statusCode()).isEqualTo(200);
        assertThat(cacheOf(stale)).isEqualTo("STALE");
        assertThat(stale.body()).isEqualTo("answer 1 for " + PATH);

        advance(60);
        Http.assertProblem(get(PATH), 502);
    }

    @Test
    void aRequestsStaleIfErrorAllowsTheStaleAnswerToo() {
        origin.script(PATH, (ctx, call) -> {
            if (call > 1) {
                ctx.status(500);
            } else {
                ctx.header("Cache-Control", "max-age=10");
            }
        });
        get(PATH);
        advance(15);

        assertThat(get(PATH).statusCode()).isEqualTo(500);
        HttpResponse<String> stale = get(PATH, "Cache-Control", "stale-if-error=30");
        assertThat(cacheOf(stale)).isEqualTo("STALE");
        assertThat(stale.statusCode()).isEqualTo(200);
    }
}
