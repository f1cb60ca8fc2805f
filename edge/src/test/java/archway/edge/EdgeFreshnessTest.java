package archway.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** How long the edge serves an answer from storage, and which answers it stores at all (RFC 9111, sections 3 and 4.2). */
class EdgeFreshnessTest extends EdgeCacheCase {

    private static final String PATH = "/api/v1/t/item";

    private void answer(String cacheControl, String... headers) {
        origin.script(PATH, (ctx, call) -> {
            if (cacheControl != null) {
                ctx.header("Cache-Control", cacheControl);
            }
            for (int i = 0; i < headers.length; i += 2) {
                ctx.header(headers[i], headers[i + 1]);
            }
        });
    }

    /** Whether the edge answers from storage {@code seconds} after the answer was stored. */
    private boolean storedFor(long seconds) {
        get(PATH);
        advance(seconds);
        return cacheOf(get(PATH)).equals("HIT");
    }

    @Test
    void maxAgeIsTheLifetime() {
        answer("max-age=10");
        assertThat(storedFor(9)).isTrue();
        advance(2);
        HttpResponse<String> stale = get(PATH);
        assertThat(cacheOf(stale)).isEqualTo("MISS");
        assertThat(stale.body()).isEqualTo("answer 2 for " + PATH);
    }

    @Test
    void sMaxAgeWinsOverMaxAgeInASharedCache() {
        answer("max-age=100, s-maxage=5");
        assertThat(storedFor(6)).isFalse();
    }

    @Test
    void expiresMinusDateWhenThereIsNoMaxAge() {
        answer(null, "Expires", origin.date(20));
        assertThat(storedFor(19)).isTrue();
        advance(2);
        assertThat(cacheOf(get(PATH))).isEqualTo("MISS");
    }

    @Test
    void anInvalidExpiresIsInThePast() {
        answer(null, "Expires", "0");
        assertThat(storedFor(0)).isFalse();
    }

    @Test
    void maxAgeWinsOverExpires() {
        answer("max-age=30", "Expires", origin.date(5));
        assertThat(storedFor(20)).isTrue();
    }

    @Test
    void withoutAnExplicitLifetimeATenthOfTheTimeSinceLastModified() {
        answer(null, "Last-Modified", origin.date(-1000));
        assertThat(storedFor(99)).as("a lifetime of 100 s").isTrue();
        advance(2);
        assertThat(cacheOf(get(PATH))).isNotEqualTo("HIT");
    }

    @Test
    void heuristicsOnlyForTheStatusesThatAllowThem() {
        origin.script(PATH, (ctx, call) -> ctx.status(302).header("Location", "/elsewhere").header("Last-Modified", origin.date(-1000)));
        assertThat(storedFor(1)).isFalse();

        origin.script("/api/v1/t/gone", (ctx, call) -> ctx.status(410).header("Last-Modified", origin.date(-1000)));
        get("/api/v1/t/gone");
        assertThat(cacheOf(get("/api/v1/t/gone"))).as("410 is heuristically cacheable").isEqualTo("HIT");
    }

    @Test
    void otherStatusesWithAnExplicitLifetimeAreStored() {
        origin.script(PATH, (ctx, call) -> ctx.status(404).header("Cache-Control", "max-age=60"));
        HttpResponse<String> first = get(PATH);
        HttpResponse<String> second = get(PATH);
        assertThat(second.statusCode()).isEqualTo(404);
        assertThat(cacheOf(second)).isEqualTo("HIT");
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(origin.callsTo(PATH)).isEqualTo(1);
    }

    @Test
    void noStoreAndPrivateAreNeverStored() {
        for (String directives : new String[] {"no-store, max-age=60", "private, max-age=60", "private=\"Set-Cookie\", max-age=60",
                "max-age=60, no-store=\"x\""}) {
            answer(directives);
            assertThat(storedFor(0)).as(directives).isFalse();
        }
    }

    @Test
    void theAgeCountsTheOriginsAgeAndTheApparentAgeOfItsDate() {
        answer("max-age=60", "Age", "5");
        get(PATH);
        advance(10);
        assertThat(header(get(PATH), "Age")).isEqualTo("15");

        origin.script("/api/v1/t/old", (ctx, call) -> ctx.header("Cache-Control", "max-age=30").header("Date", origin.date(-20)));
        get("/api/v1/t/old");
        HttpResponse<String> old = get("/api/v1/t/old");
        // the origin's Date has a resolution of a second, and this test's real time passes too
        assertThat(Integer.parseInt(header(old, "Age"))).as("generated 20 s before it arrived").isBetween(19, 21);
        advance(11);
        assertThat(cacheOf(get("/api/v1/t/old"))).isEqualTo("MISS");
    }

    @Test
    void malformedOrConflictingDirectivesAreReadTheMostRestrictiveWay() {
        answer("max-age=abc");
        assertThat(storedFor(0)).as("a malformed max-age is stale").isFalse();

        answer("max-age=100, max-age=10");
        assertThat(storedFor(11)).as("the smaller of two").isFalse();

        for (String garbage : new String[] {"=,,;;=", "max-age=\"", "max-age==5, , public=", "\u00e9t\u00e9"}) {
            answer(garbage);
            HttpResponse<String> response = get(PATH);
            assertThat(response.statusCode()).as(garbage).isEqualTo(200);
        }
    }

    @Test
    void aRequestWithAuthorizationUsesOnlyAnswersMarkedForSharing() {
        origin.script("/api/v1/t/public", (ctx, call) -> ctx.header("Cache-Control", "public, max-age=60"));
        origin.script("/api/v1/t/shared", (ctx, call) -> ctx.header("Cache-Control", "s-maxage=60"));
        origin.script("/api/v1/t/plain", (ctx, call) -> ctx.header("Cache-Control", "max-age=60"));
        for (String path : new String[] {"/api/v1/t/public", "/api/v1/t/shared"}) {
            get(path, "Authorization", "Bearer a");
            assertThat(cacheOf(get(path, "Authorization", "Bearer b"))).as(path).isEqualTo("HIT");
        }
        get("/api/v1/t/plain", "Authorization", "Bearer a");
        assertThat(cacheOf(get("/api/v1/t/plain", "Authorization", "Bearer a"))).isEqualTo("BYPASS");
        assertThat(cacheOf(get("/api/v1/t/plain"))).as("nothing was stored").isEqualTo("MISS");
        assertThat(cacheOf(get("/api/v1/t/plain", "Authorization", "Bearer a"))).as("stored for anonymous requests only")
                .isEqualTo("BYPASS");
        assertThat(cacheOf(get("/api/v1/t/public", "Authorization", "Bearer a", "Cache-Control", "no-cache")))
                .as("a request with credentials whose answer is stored").isEqualTo("MISS");
    }

    @Test
    void aHeadIsAnsweredFromTheStoredGet() {
        answer("max-age=60");
        HttpResponse<String> got = get(PATH);

        HttpResponse<String> head = http.send("HEAD", PATH);

        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(cacheOf(head)).isEqualTo("HIT");
        assertThat(head.body()).isEmpty();
        assertThat(header(head, "Content-Length")).isEqualTo(Integer.toString(got.body().length()));
        assertThat(origin.callsTo(PATH)).isEqualTo(1);
    }

    @Test
    void aWriteDropsItsUrlAndTheUrlItsLocationNames() {
        origin.script("/api/v1/t/list", (ctx, call) -> ctx.header("Cache-Control", "max-age=60"));
        origin.script("/api/v1/t/created", (ctx, call) -> ctx.header("Cache-Control", "max-age=60"));
        origin.script("/api/v1/t/failing", (ctx, call) -> ctx.header("Cache-Control", "max-age=60"));
        origin.script("/api/v1/t/list-post", (ctx, call) -> ctx.status(201).header("Location", "/api/v1/t/created")
                .header("Content-Location", edge.url() + "/api/v1/t/list"));
        for (String path : new String[] {"/api/v1/t/list", "/api/v1/t/created", "/api/v1/t/failing"}) {
            get(path);
            assertThat(cacheOf(get(path))).isEqualTo("HIT");
        }

        HttpResponse<String> post = http.send("POST", "/api/v1/t/list-post");

        assertThat(post.statusCode()).isEqualTo(201);
        assertThat(cacheOf(post)).isEqualTo("BYPASS");
        assertThat(cacheOf(get("/api/v1/t/created"))).as("named by Location").isEqualTo("MISS");
        assertThat(cacheOf(get("/api/v1/t/list"))).as("named by Content-Location").isEqualTo("MISS");

        origin.script("/api/v1/t/failing", (ctx, call) -> ctx.status(409));
        http.send("DELETE", "/api/v1/t/failing");
        assertThat(cacheOf(get("/api/v1/t/failing"))).as("an error changed nothing").isEqualTo("HIT");
        http.send("PUT", "/api/v1/t/list");
        assertThat(cacheOf(get("/api/v1/t/list"))).isEqualTo("MISS");
    }

    @Test
    void anAnswerOverTheCacheableSizePassesThroughUnstored() {
        origin.script(PATH, (ctx, call) -> ctx.header("Cache-Control", "max-age=60").result("y".repeat(3 * 1024 * 1024)));

        HttpResponse<String> first = get(PATH);
        HttpResponse<String> second = get(PATH);

        assertThat(first.body()).hasSize(3 * 1024 * 1024);
        assertThat(second.body()).hasSize(3 * 1024 * 1024);
        assertThat(cacheOf(second)).isEqualTo("MISS");
        assertThat(gauge("edge.cache.bytes")).isLessThan(1024 * 1024);
    }

    @Test
    void itsMetricsShowOnTheEdge() {
        answer("max-age=60");
        get(PATH);
        get(PATH);
        get(PATH);

        String metrics = get("/metrics").body();

        assertThat(metrics).containsPattern("edge_cache_entries\\S* 1\\.0");
        assertThat(metrics).containsPattern("edge_cache_hit_ratio\\S* 0\\.66");
        assertThat(metrics).contains("edge_cache_evictions_total", "edge_cache_coalesced_total", "edge_cache_purges_total",
                "result=\"not_modified\"", "edge_cache_bytes");
    }
}
