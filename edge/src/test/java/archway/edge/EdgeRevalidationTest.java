package archway.edge;

import static org.assertj.core.api.Assertions.assertThat;

import archway.platform.testing.Http;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Revalidation of stored answers (RFC 9111, section 4.3) and the request directives that ask for it or bound it (section 5.2.1). */
class EdgeRevalidationTest extends EdgeCacheCase {

    private static final String PATH = "/api/v1/t/item";

    /** An origin whose answer stays "v1" and says so with a 304 to a matching If-None-Match. */
    private void withETag(String cacheControl) {
        origin.script(PATH, (ctx, call) -> {
            ctx.header("Cache-Control", cacheControl).header("ETag", "\"v1\"").header("X-Served", "call " + call);
            if ("\"v1\"".equals(ctx.header("If-None-Match"))) {
                ctx.status(304).result("");
            }
        });
    }

    @Test
    void aStaleEntryWithAnETagIsRevalidatedAndA304RefreshesIt() {
        withETag("max-age=10");
        get(PATH);
        advance(11);

        HttpResponse<String> revalidated = get(PATH);

        assertThat(origin.lastHeaders.get("if-none-match")).isEqualTo("\"v1\"");
        assertThat(revalidated.statusCode()).isEqualTo(200);
        assertThat(cacheOf(revalidated)).isEqualTo("HIT");
        assertThat(revalidated.body()).isEqualTo("answer 1 for " + PATH);
        assertThat(header(revalidated, "X-Served")).as("the 304's headers replace the stored ones").isEqualTo("call 2");
        assertThat(header(revalidated, "Age")).isEqualTo("0");
        assertThat(count("edge.cache.revalidations", "result", "not_modified")).isEqualTo(1);

        advance(9);
        assertThat(cacheOf(get(PATH))).as("fresh again for max-age").isEqualTo("HIT");
        assertThat(origin.callsTo(PATH)).isEqualTo(2);
    }

    @Test
    void aStaleEntryWithLastModifiedIsRevalidatedWithIfModifiedSince() {
        String lastModified = origin.date(-3600);
        origin.script(PATH, (ctx, call) -> {
            ctx.header("Cache-Control", "max-age=10").header("Last-Modified", lastModified);
            if (lastModified.equals(ctx.header("If-Modified-Since"))) {
                ctx.status(304).result("");
            }
        });
        get(PATH);
        advance(11);

        HttpResponse<String> revalidated = get(PATH);

        assertThat(origin.lastHeaders.get("if-modified-since")).isEqualTo(lastModified);
        assertThat(cacheOf(revalidated)).isEqualTo("HIT");
        assertThat(revalidated.body()).isEqualTo("answer 1 for " + PATH);
    }

    @Test
    void aFullAnswerToARevalidationReplacesTheEntry() {
        origin.script(PATH, (ctx, call) -> ctx.header("Cache-Control", "max-age=10").header("ETag", "\"v" + call + "\""));
        get(PATH);
        advance(11);

        HttpResponse<String> replaced = get(PATH);

        assertThat(cacheOf(replaced)).isEqualTo("MISS");
        assertThat(replaced.body()).isEqualTo("answer 2 for " + PATH);
        assertThat(get(PATH).body()).isEqualTo("answer 2 for " + PATH);
        assertThat(header(get(PATH), "ETag")).isEqualTo("\"v2\"");
        assertThat(count("edge.cache.revalidations", "result", "replaced")).isEqualTo(1);
    }

    @Test
    void aFullAnswerThatMayNotBeStoredDropsTheOldEntryToo() {
        origin.script(PATH, (ctx, call) -> ctx.header("Cache-Control", call == 1 ? "max-age=10" : "no-store"));
        get(PATH);
        advance(11);

        assertThat(cacheOf(get(PATH))).isEqualTo("MISS");

        assertThat(cacheOf(get(PATH, "Cache-Control", "max-stale"))).as("nothing left to serve stale").isEqualTo("MISS");
        assertThat(origin.callsTo(PATH)).isEqualTo(3);
    }

    @Test
    void aNoCacheAnswerIsStoredButRevalidatedBeforeEveryUse() {
        withETag("no-cache");
        get(PATH);

        HttpResponse<String> second = get(PATH);
        HttpResponse<String> third = get(PATH);

        assertThat(origin.callsTo(PATH)).isEqualTo(3);
        assertThat(origin.lastHeaders.get("if-none-match")).isEqualTo("\"v1\"");
        assertThat(cacheOf(second)).isEqualTo("HIT");
        assertThat(third.body()).isEqualTo("answer 1 for " + PATH);
    }

    @Test
    void theClientsOwnConditionalsAreAnsweredFromStorage() {
        String lastModified = origin.date(-3600);
        origin.script(PATH, (ctx, call) -> ctx.header("Cache-Control", "max-age=60").header("Last-Modified", lastModified)
                .header("ETag", "\"v1\""));
        get(PATH);

        HttpResponse<String> byDate = get(PATH, "If-Modified-Since", origin.date(0));
        HttpResponse<String> byOlderDate = get(PATH, "If-Modified-Since", origin.date(-7200));
        HttpResponse<String> byOtherTag = get(PATH, "If-None-Match", "\"v0\"", "If-Modified-Since", origin.date(0));

        assertThat(byDate.statusCode()).isEqualTo(304);
        assertThat(cacheOf(byDate)).isEqualTo("HIT");
        assertThat(byOlderDate.statusCode()).isEqualTo(200);
        assertThat(byOtherTag.statusCode()).as("If-None-Match decides when both are sent").isEqualTo(200);
        assertThat(origin.callsTo(PATH)).isEqualTo(1);
    }

    @Test
    void aClientsConditionalOnAMissIsAnsweredFromTheFullAnswerThatIsStored() {
        withETag("max-age=60");

        HttpResponse<String> matching = get(PATH, "If-None-Match", "\"v1\"");
        HttpResponse<String> plain = get(PATH);
        HttpResponse<String> other = get("/api/v1/t/other", "If-None-Match", "\"v1\"");

        assertThat(matching.statusCode()).isEqualTo(304);
        assertThat(origin.lastHeaders).doesNotContainKey("if-none-match");
        assertThat(cacheOf(plain)).as("the full answer was stored").isEqualTo("HIT");
        assertThat(plain.body()).isEqualTo("answer 1 for " + PATH);
        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(origin.callsTo(PATH)).isEqualTo(1);
    }

    @Test
    void aClientsConditionalMatchingARevalidatedEntryGetsA304() {
        withETag("max-age=10");
        get(PATH);
        advance(11);

        HttpResponse<String> response = get(PATH, "If-None-Match", "\"v1\"");

        assertThat(response.statusCode()).isEqualTo(304);
        assertThat(cacheOf(response)).isEqualTo("HIT");
        assertThat(origin.callsTo(PATH)).isEqualTo(2);
    }

    @Test
    void requestDirectivesNoCacheAndMaxAgeZeroRevalidate() {
        withETag("max-age=60");
        get(PATH);

        assertThat(cacheOf(get(PATH, "Cache-Control", "no-cache"))).isEqualTo("HIT");
        assertThat(cacheOf(get(PATH, "Cache-Control", "max-age=0"))).isEqualTo("HIT");
        assertThat(cacheOf(get(PATH, "Pragma", "no-cache"))).isEqualTo("HIT");
        assertThat(origin.callsTo(PATH)).as("each one asked the origin").isEqualTo(4);
    }

    @Test
    void requestDirectivesMaxAgeMinFreshAndMaxStaleBoundWhatIsServed() {
        origin.script(PATH, (ctx, call) -> ctx.header("Cache-Control", "max-age=60"));
        get(PATH);
        advance(30);

        assertThat(cacheOf(get(PATH, "Cache-Control", "max-age=40"))).isEqualTo("HIT");
        assertThat(cacheOf(get(PATH, "Cache-Control", "min-fresh=20"))).isEqualTo("HIT");
        assertThat(origin.callsTo(PATH)).isEqualTo(1);
        assertThat(cacheOf(get(PATH, "Cache-Control", "min-fresh=40"))).as("30 s of freshness left").isEqualTo("MISS");
        advance(30);
        assertThat(cacheOf(get(PATH, "Cache-Control", "max-age=20"))).as("older than 20 s").isEqualTo("MISS");
        assertThat(origin.callsTo(PATH)).isEqualTo(3);

        advance(70);
        assertThat(cacheOf(get(PATH, "Cache-Control", "max-stale=20"))).as("stale by 10 s").isEqualTo("STALE");
        assertThat(cacheOf(get(PATH, "Cache-Control", "max-stale"))).isEqualTo("STALE");
        assertThat(cacheOf(get(PATH, "Cache-Control", "max-stale=5"))).isEqualTo("MISS");
    }

    @Test
    void maxStaleNeverServesWhatMustBeRevalidated() {
        origin.script(PATH, (ctx, call) -> ctx.header("Cache-Control", "max-age=10, must-revalidate"));
        get(PATH);
        advance(20);
        assertThat(cacheOf(get(PATH, "Cache-Control", "max-stale"))).isEqualTo("MISS");
    }

    @Test
    void onlyIfCachedAnswersFromStorageOrWith504() {
        origin.script(PATH, (ctx, call) -> ctx.header("Cache-Control", "max-age=60"));

        HttpResponse<String> nothing = get(PATH, "Cache-Control", "only-if-cached");
        Http.assertProblem(nothing, 504);
        assertThat(origin.callsTo(PATH)).isZero();

        get(PATH);
        HttpResponse<String> stored = get(PATH, "Cache-Control", "only-if-cached");
        assertThat(stored.statusCode()).isEqualTo(200);
        assertThat(cacheOf(stored)).isEqualTo("HIT");
        advance(61);
        assertThat(get(PATH, "Cache-Control", "only-if-cached").statusCode()).as("stale, may not revalidate").isEqualTo(504);
        assertThat(origin.callsTo(PATH)).isEqualTo(1);
    }

    @Test
    void requestNoStoreBypassesTheCache() {
        origin.script(PATH, (ctx, call) -> ctx.header("Cache-Control", "max-age=60"));
        get(PATH);

        HttpResponse<String> bypassed = get(PATH, "Cache-Control", "no-store");

        assertThat(cacheOf(bypassed)).isEqualTo("BYPASS");
        assertThat(bypassed.body()).isEqualTo("answer 2 for " + PATH);
        assertThat(get(PATH).body()).as("the stored answer is untouched").isEqualTo("answer 1 for " + PATH);
    }
}
