package archway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a route's table entry switches on: response caching, deprecation headers and its circuit breaker. */
class GatewayRouteFeaturesTest extends GatewayHarness {

    private static final String CACHED = """
            [{"name": "public", "path": "/api/v1/products", "upstream": "app", "cache": {"public": true}},
             {"name": "private", "path": "/api/v1/users", "upstream": "app", "cache": {"public": false}},
             {"name": "rest", "path": "/api/", "upstream": "app"}]""";

    private static final String FLAKY = """
            [{"name": "flaky", "path": "/api/v1/flaky", "upstream": "app",
              "circuit_breaker": {"failure_rate_percent": 50, "window_calls": 4, "minimum_calls": 4, "open_seconds": 5}},
             {"name": "rest", "path": "/api/", "upstream": "app"}]""";

    @Test
    void servesAPublicRouteFromTheCacheEvenToCallersWithCredentials() throws Exception {
        start(table(CACHED));

        HttpResponse<String> miss = get("/api/v1/products/1", "Authorization", bearer(USER));
        HttpResponse<String> hit = get("/api/v1/products/1", "X-Api-Key", KEY_SECRET);
        HttpResponse<String> anonymousHit = get("/api/v1/products/1");

        assertThat(miss.headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(hit.headers().firstValue("X-Cache")).hasValue("HIT");
        assertThat(hit.body()).isEqualTo("ok");
        assertThat(anonymousHit.headers().firstValue("X-Cache")).hasValue("HIT");
        assertThat(service.calls.get()).isEqualTo(1);
        // per-request headers are this request's, never the stored answer's
        assertThat(hit.headers().firstValue("RateLimit-Remaining")).isPresent();
        assertThat(hit.headers().firstValue("X-Request-Id")).isNotEqualTo(miss.headers().firstValue("X-Request-Id"));
        assertThat(metrics()).containsPattern("gateway_cache_requests_total\\{.*result=\"hit\".*} 2\\.0");
    }

    @Test
    void passesCallersWithCredentialsByANonPublicCachedRoute() throws Exception {
        start(table(CACHED));

        assertThat(get("/api/v1/users/me", "Authorization", bearer(USER)).headers().firstValue("X-Cache")).hasValue("BYPASS");
        assertThat(get("/api/v1/users/me", "Authorization", bearer(USER)).headers().firstValue("X-Cache")).hasValue("BYPASS");
        assertThat(service.calls.get()).isEqualTo(2);
    }

    @Test
    void neverCachesARouteWithoutCache() throws Exception {
        start(table(CACHED.replace("\"cache\": {\"public\": true}", "\"methods\": [\"GET\"]")));

        get("/api/v1/products/1");
        HttpResponse<String> second = get("/api/v1/products/1");

        assertThat(second.headers().firstValue("X-Cache")).hasValue("BYPASS");
        assertThat(service.calls.get()).isEqualTo(2);
    }

    @Test
    void announcesTheDeprecationSunsetAndSuccessorOfADeprecatedRoute() throws Exception {
        start();

        HttpResponse<String> response = get("/api/v1/products");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Deprecation")).hasValue("@1796083200");
        assertThat(response.headers().firstValue("Sunset")).hasValue("Wed, 30 Jun 2027 00:00:00 GMT");
        assertThat(String.join(", ", response.headers().allValues("Link")))
                .isEqualTo("</api/v1/products?page=2>; rel=\"next\", </api/v2/products>; rel=\"successor-version\"");
        HttpResponse<String> fromCache = get("/api/v1/products");
        assertThat(fromCache.headers().firstValue("X-Cache")).hasValue("HIT");
        assertThat(fromCache.headers().allValues("Link")).hasSize(1);
        assertThat(fromCache.headers().firstValue("Link").orElseThrow()).endsWith("rel=\"successor-version\"");
        assertThat(get("/api/v1/orders", "Authorization", bearer(USER)).headers().firstValue("Deprecation")).isEmpty();
    }

    @Test
    void opensTheCircuitOfAFailingUpstreamAndClosesItWhenItRecovers() throws Exception {
        start(table(FLAKY));
        for (int i = 0; i < 4; i++) {
            assertThat(get("/api/v1/flaky").statusCode()).isEqualTo(500);
        }

        HttpResponse<String> refused = get("/api/v1/flaky");

        assertProblem(refused, 503);
        assertThat(refused.body()).contains("the flaky upstream is failing; its circuit is open");
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(service.calls.get()).isEqualTo(4);
        assertThat(get("/api/v1/products/1").statusCode()).isEqualTo(200); // other routes are unaffected
        assertThat(metrics()).containsPattern("gateway_circuit_state\\{.*route=\"flaky\".*} 2\\.0");

        clock.advance(Duration.ofSeconds(3));
        assertThat(get("/api/v1/flaky").headers().firstValue("Retry-After")).hasValue("2");
        clock.advance(Duration.ofSeconds(2).plusMillis(1));
        service.flakyStatus.set(200);
        for (int i = 0; i < GatewayConfig.BreakerSettings.HALF_OPEN_CALLS; i++) {
            assertThat(get("/api/v1/flaky").statusCode()).isEqualTo(200);
        }

        assertThat(metrics()).containsPattern("gateway_circuit_state\\{.*route=\"flaky\".*} 0\\.0");
        assertThat(get("/api/v1/flaky").statusCode()).isEqualTo(200);
    }

    @Test
    void countsATimeoutAsAFailureOfThatRouteOnly() throws Exception {
        start(table("""
                [{"name": "slow", "path": "/api/v1/slow", "upstream": "app", "timeout_ms": 200,
                  "circuit_breaker": {"failure_rate_percent": 50, "window_calls": 4, "minimum_calls": 4, "open_seconds": 5}},
                 {"name": "flaky", "path": "/api/v1/flaky", "upstream": "app"}]"""));
        service.flakyStatus.set(200);
        for (int i = 0; i < 4; i++) {
            assertProblem(get("/api/v1/slow"), 504);
        }

        assertThat(get("/api/v1/flaky").statusCode()).isEqualTo(200); // its own circuit, still closed
        assertProblem(get("/api/v1/slow"), 503);
    }

    @Test
    void neverAllowsCredentialsNorAWildcardOrigin() throws Exception {
        start(defaults().withAllowedOrigins(List.of(SHOP, "https://admin.example.com")));

        HttpResponse<String> preflight = send("OPTIONS", "/api/v1/orders", "Origin", "https://admin.example.com",
                "Access-Control-Request-Method", "POST");
        HttpResponse<String> actual = get("/api/v1/products/1", "Origin", SHOP);
        HttpResponse<String> nullOrigin = get("/api/v1/products/1", "Origin", "null");

        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://admin.example.com");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
        assertThat(actual.headers().firstValue("Access-Control-Allow-Origin")).hasValue(SHOP);
        assertThat(actual.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
        assertThat(nullOrigin.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(actual.headers().allValues("Access-Control-Allow-Origin")).doesNotContain("*");
    }
}
