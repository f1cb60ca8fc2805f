package archway.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EdgeCacheTest extends EdgeCacheCase {

    private HttpResponse<String> send(String method, String path, String... headers) {
        return http.send(method, path, headers);
    }

    @Test
    void neverServesAnEncodedCopyToAClientThatDidNotAskForTheEncoding() {
        HttpResponse<String> encoded = get("/api/v1/encoded", "Accept-Encoding", "x-test");
        HttpResponse<String> plain = get("/api/v1/encoded");

        assertThat(encoded.headers().firstValue("Content-Encoding")).hasValue("x-test");
        assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(plain.body()).startsWith("answer 2");
        assertThat(get("/api/v1/encoded").headers().firstValue("X-Cache")).hasValue("HIT");
    }

    @Test
    void servesTheSecondGetOfACacheableAnswerFromMemory() throws Exception {
        HttpResponse<String> first = get("/api/v1/products/1");
        HttpResponse<String> second = get("/api/v1/products/1");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(cacheOf(first)).isEqualTo("MISS");
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(cacheOf(second)).isEqualTo("HIT");
        assertThat(second.body()).isEqualTo(first.body()).isEqualTo("answer 1 for /api/v1/products/1");
        assertThat(second.headers().firstValue("ETag")).hasValue("\"p1-v1\"");
        assertThat(second.headers().firstValue("Cache-Control")).hasValue("public, max-age=60");
        assertThat(second.headers().firstValue("Age")).hasValue("0");
        assertThat(second.headers().firstValue("X-Request-Id")).isPresent()
                .isNotEqualTo(first.headers().firstValue("X-Request-Id"));
        assertThat(origin.callsTo("/api/v1/products/1")).isEqualTo(1);
    }

    @Test
    void agesAnEntryAndAsksTheOriginAgainWhenItsLifetimeIsOver() throws Exception {
        get("/api/v1/products/1");

        ticker.advance(Duration.ofSeconds(30));
        HttpResponse<String> aged = get("/api/v1/products/1");
        assertThat(cacheOf(aged)).isEqualTo("HIT");
        assertThat(aged.headers().firstValue("Age")).hasValue("30");

        ticker.advance(Duration.ofSeconds(31));
        HttpResponse<String> refreshed = get("/api/v1/products/1");
        assertThat(origin.callsTo("/api/v1/products/1")).isEqualTo(2);
        assertThat(origin.lastHeaders.get("if-none-match")).as("revalidated with its ETag").isEqualTo("\"p1-v1\"");
        assertThat(cacheOf(refreshed)).as("the origin answered 304: the stored body, refreshed").isEqualTo("HIT");
        assertThat(refreshed.headers().firstValue("Age")).hasValue("0");
        assertThat(refreshed.body()).isEqualTo("answer 1 for /api/v1/products/1");
    }

    @Test
    void takesTheSharedLifetimeAndTheAgeTheOriginReported() throws Exception {
        get("/api/v1/shared");
        assertThat(cacheOf(get("/api/v1/shared"))).as("s-maxage=30 beats max-age=0").isEqualTo("HIT");

        get("/api/v1/aged");
        HttpResponse<String> aged = get("/api/v1/aged");
        assertThat(aged.headers().firstValue("Age")).hasValue("50");
        ticker.advance(Duration.ofSeconds(11));
        assertThat(cacheOf(get("/api/v1/aged"))).as("60 s lifetime, 50 s used at the origin").isEqualTo("MISS");
    }

    @Test
    void neverStoresAnswersThatASharedCacheMustNotKeep() throws Exception {
        for (String path : new String[] {"/api/v1/private", "/api/v1/no-store", "/api/v1/no-cache", "/api/v1/unmarked",
                "/api/v1/cookie", "/api/v1/big"}) {
            HttpResponse<String> first = get(path);
            HttpResponse<String> second = get(path);
            assertThat(cacheOf(first)).as(path).isEqualTo("MISS");
            assertThat(cacheOf(second)).as(path).isEqualTo("MISS");
            assertThat(origin.callsTo(path)).as(path).isEqualTo(2);
        }
        assertThat(get("/api/v1/big").body()).hasSize(5000);
    }

    @Test
    void answersRequestsWithCredentialsOnlyFromAnswersMarkedForEveryone() throws Exception {
        get("/api/v1/products/1");

        HttpResponse<String> withToken = get("/api/v1/products/1", "Authorization", "Bearer some-token");
        assertThat(cacheOf(withToken)).as("public, max-age=60: the same for everyone").isEqualTo("HIT");

        get("/api/v1/by-language", "Accept-Language", "en");
        HttpResponse<String> first = get("/api/v1/aged", "Authorization", "Bearer some-token");
        HttpResponse<String> second = get("/api/v1/aged", "Authorization", "Bearer some-token");
        assertThat(cacheOf(first)).isEqualTo("BYPASS");
        assertThat(cacheOf(second)).as("max-age=60 alone does not cover a request with Authorization").isEqualTo("BYPASS");
        assertThat(origin.callsTo("/api/v1/aged")).isEqualTo(2);
        assertThat(origin.lastHeaders.get("authorization")).isEqualTo("Bearer some-token");
        assertThat(cacheOf(get("/api/v1/aged"))).isEqualTo("MISS");
        assertThat(cacheOf(get("/api/v1/aged"))).isEqualTo("HIT");
    }

    @Test
    void passesWritesThroughAndDropsTheEntryOfTheirUrl() throws Exception {
        get("/api/v1/products/1");
        assertThat(cacheOf(get("/api/v1/products/1"))).isEqualTo("HIT");

        HttpResponse<String> response = send("POST", "/api/v1/products/1");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(cacheOf(response)).isEqualTo("BYPASS");
        HttpResponse<String> after = get("/api/v1/products/1");
        assertThat(cacheOf(after)).isEqualTo("MISS");
        assertThat(after.body()).as("the origin's third call, after the GET and the POST").isEqualTo("answer 3 for /api/v1/products/1");
    }

    @Test
    void refreshesAnEntryWhenTheClientAsksForAFreshAnswer() throws Exception {
        get("/api/v1/products/1");

        HttpResponse<String> reload = get("/api/v1/products/1", "Cache-Control", "max-age=0");
        assertThat(origin.callsTo("/api/v1/products/1")).as("revalidated at the origin").isEqualTo(2);
        assertThat(cacheOf(reload)).as("the origin answered 304").isEqualTo("HIT");

        get("/api/v1/aged");
        HttpResponse<String> plainReload = get("/api/v1/aged", "Cache-Control", "no-cache");
        assertThat(cacheOf(plainReload)).as("no validator: fetched again").isEqualTo("MISS");
        assertThat(get("/api/v1/aged").body()).isEqualTo("answer 2 for /api/v1/aged");
    }

    @Test
    void answersNotModifiedFromTheCacheWhenTheClientHasTheSameVersion() throws Exception {
        get("/api/v1/products/1");

        HttpResponse<String> response = get("/api/v1/products/1", "If-None-Match", "\"other\", W/\"p1-v1\"");

        assertThat(response.statusCode()).isEqualTo(304);
        assertThat(cacheOf(response)).isEqualTo("HIT");
        assertThat(response.body()).isEmpty();
        assertThat(response.headers().firstValue("ETag")).hasValue("\"p1-v1\"");
        assertThat(origin.callsTo("/api/v1/products/1")).isEqualTo(1);
    }

    @Test
    void neverServesOneVariantForAnother() throws Exception {
        assertThat(get("/api/v1/by-language", "Accept-Language", "en").body()).isEqualTo("in en");
        HttpResponse<String> sameLanguage = get("/api/v1/by-language", "Accept-Language", "en");
        assertThat(cacheOf(sameLanguage)).isEqualTo("HIT");

        HttpResponse<String> otherLanguage = get("/api/v1/by-language", "Accept-Language", "de");
        assertThat(cacheOf(otherLanguage)).isEqualTo("MISS");
        assertThat(otherLanguage.body()).isEqualTo("in de");
    }

    @Test
    void countsItsOutcomesInItsMetrics() throws Exception {
        get("/api/v1/products/1");
        get("/api/v1/products/1");

        String metrics = get("/metrics").body();

        assertThat(metrics).containsPattern("edge_cache_requests_total\\{.*result=\"hit\".*} 1\\.0");
        assertThat(metrics).containsPattern("edge_cache_requests_total\\{.*result=\"miss\".*} 1\\.0");
        assertThat(metrics).contains("edge_cache_bytes");
    }
}
