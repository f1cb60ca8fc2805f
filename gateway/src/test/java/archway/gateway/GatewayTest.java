package archway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import archway.platform.auth.JwtKeys;
import archway.platform.auth.TokenIssuer;
import archway.platform.net.Ports;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Routing, authentication, authorization, CORS, body limits and forwarding. */
class GatewayTest extends GatewayHarness {

    @Test
    void refusesAProtectedCallWithoutATokenBeforeForwardingIt() throws Exception {
        start();

        HttpResponse<String> response = send("GET", "/api/v1/users/me");

        assertProblem(response, 401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(service.calls.get()).isZero();
    }

    @Test
    void refusesMalformedAuthorizationWithoutEverFailing() throws Exception {
        start();

        for (String authorization : List.of("Bearer", "Bearer ", "Basic x", "Bearer a.b", "Bearer a.b.c",
                "Bearer " + "x".repeat(4000))) {
            HttpResponse<String> response = send("GET", "/api/v1/users/me", "Authorization", authorization);
            assertProblem(response, 401);
        }
        HttpResponse<String> huge = send("GET", "/api/v1/users/me", "Authorization", "Bearer " + "x".repeat(10 * 1024));
        assertProblem(huge, 431);
        assertThat(service.calls.get()).isZero();
    }

    @Test
    void refusesAProtectedCallWithAnInvalidToken() throws Exception {
        start();
        String otherKeysToken = new TokenIssuer(JwtKeys.generate(), Clock.systemUTC(), Duration.ofMinutes(5)).issue(USER);
        Clock anHourAgo = Clock.fixed(Instant.now().minus(Duration.ofHours(1)), ZoneOffset.UTC);
        String expiredToken = new TokenIssuer(keys, anHourAgo, Duration.ofMinutes(5)).issue(USER);

        for (String authorization : List.of("Bearer not-a-jwt", "Basic dXNlcjpwYXNz", "Bearer " + otherKeysToken,
                "Bearer " + expiredToken)) {
            HttpResponse<String> response = send("GET", "/api/v1/users/me", "Authorization", authorization);
            assertProblem(response, 401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).isPresent();
        }
        assertThat(service.calls.get()).isZero();
    }

    @Test
    void forwardsAProtectedCallWithAValidTokenAndItsAuthorizationUnchanged() throws Exception {
        start();
        String authorization = "Bearer " + issuer.issue(USER);

        HttpResponse<String> response = send("GET", "/api/v1/users/me", "Authorization", authorization);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(service.lastHeaders.get("authorization")).isEqualTo(authorization);
    }

    @Test
    void letsOnlyAdminsChangeProductsAndEveryoneReadThem() throws Exception {
        start();
        var json = BodyPublishers.ofString("{}");

        assertProblem(send("PATCH", "/api/v1/products/42", json, "Content-Type", "application/json"), 401);
        assertProblem(send("PATCH", "/api/v1/products/42", json, "Content-Type", "application/json",
                "Authorization", bearer(USER)), 403);
        assertThat(service.calls.get()).isZero();
        assertThat(send("GET", "/api/v1/products/42").statusCode()).isEqualTo(200);
        assertThat(send("PATCH", "/api/v1/products/42", json, "Content-Type", "application/json",
                "Authorization", bearer(ADMIN)).statusCode()).isEqualTo(200);
        assertThat(service.calls.get()).isEqualTo(2);
    }

    @Test
    void letsOnlyAdminsSetStock() throws Exception {
        start();
        var json = BodyPublishers.ofString("{\"available\": 5}");

        assertProblem(send("PUT", "/api/v1/inventory/7", json, "Content-Type", "application/json"), 401);
        HttpResponse<String> forbidden = send("PUT", "/api/v1/inventory/7", json, "Content-Type", "application/json",
                "Authorization", bearer(USER));
        assertProblem(forbidden, 403);
        assertThat(forbidden.body()).contains("admin");
        assertThat(send("PUT", "/api/v1/inventory/7", json, "Content-Type", "application/json",
                "Authorization", bearer(ADMIN)).statusCode()).isEqualTo(200);
        assertThat(service.calls.get()).isEqualTo(1);
    }

    @Test
    void answersMethodNotAllowedWithTheMethodsTheRouteTakes() throws Exception {
        start();

        HttpResponse<String> response = send("GET", "/api/v1/auth/token");

        assertProblem(response, 405);
        assertThat(response.headers().firstValue("Allow")).hasValue("POST");
        assertProblem(send("TRACE", "/api/v1/products"), 405);
        assertThat(service.calls.get()).isZero();
    }

    @Test
    void routesByTheLongestPrefixOnSegmentBoundaries() throws Exception {
        start(table("""
                [{"name": "orders", "path": "/api/v1/orders", "upstream": "app", "authenticated": ["* /api/v1/orders*"]},
                 {"name": "rest", "path": "/api/", "upstream": "app"}]"""));

        assertProblem(get("/api/v1/orders"), 401);
        assertThat(get("/api/v1/ordersx").statusCode()).isEqualTo(404); // the service's own 404: routed to "rest"
        assertThat(limiter.lastKey()).startsWith("rest|");
        assertThat(get("/api/v1/orders", "Authorization", bearer(USER)).statusCode()).isEqualTo(200);
        assertThat(limiter.lastKey()).isEqualTo("orders|user:user-1");
    }

    @Test
    void aValidTokenOnAPublicRouteNamesTheUserAndAnInvalidOneIsIgnored() throws Exception {
        start();

        assertThat(get("/api/v1/products/1", "Authorization", bearer(USER)).statusCode()).isEqualTo(200);
        assertThat(limiter.lastKey()).isEqualTo("products-v1|user:user-1");
        assertThat(get("/api/v1/products/2", "Authorization", "Bearer stale.token.here").statusCode()).isEqualTo(200);
        assertThat(limiter.lastKey()).isEqualTo("products-v1|addr:127.0.0.1");
    }

    @Test
    void protectsAnEncodedSpellingOfAProtectedPath() throws Exception {
        start();

        assertProblem(send("GET", "/api/v1/users/%6De"), 401);
        assertThat(service.calls.get()).isZero();
    }

    @Test
    void answersNotFoundProblemOutsideEveryRoute() throws Exception {
        start();

        assertProblem(send("GET", "/admin/secrets"), 404);
        assertProblem(send("GET", "/api"), 404);
        assertThat(service.calls.get()).isZero();
    }

    @Test
    void answersAPreflightFromAnAllowedOriginItself() throws Exception {
        start();

        HttpResponse<String> response = send("OPTIONS", "/api/v1/users/me", "Origin", SHOP,
                "Access-Control-Request-Method", "PATCH", "Access-Control-Request-Headers", "authorization, content-type");

        assertThat(response.statusCode()).isEqualTo(204);
        var headers = response.headers();
        assertThat(headers.firstValue("Access-Control-Allow-Origin")).hasValue(SHOP);
        assertThat(headers.firstValue("Access-Control-Allow-Methods").orElseThrow()).contains("PATCH", "POST", "GET");
        assertThat(headers.firstValue("Access-Control-Allow-Headers").orElseThrow())
                .contains("Authorization", "Content-Type", "Idempotency-Key", "X-Request-Id", "traceparent");
        assertThat(headers.firstValue("Access-Control-Max-Age")).isPresent();
        assertThat(headers.firstValue("Vary")).hasValue("Origin");
        assertThat(headers.firstValue("Access-Control-Allow-Credentials")).isEmpty();
        assertThat(service.calls.get()).isZero();
    }

    @Test
    void refusesAPreflightFromAnOriginNotAllowed() throws Exception {
        start();

        HttpResponse<String> response = send("OPTIONS", "/api/v1/products/1", "Origin", "https://evil.example.net",
                "Access-Control-Request-Method", "GET");

        assertProblem(response, 403);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(service.calls.get()).isZero();
    }

    @Test
    void letsScriptsOfAllowedOriginsReadResponsesAndNoOthers() throws Exception {
        start();

        HttpResponse<String> allowed = send("GET", "/api/v1/varying", "Origin", SHOP);
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue(SHOP);
        assertThat(allowed.headers().firstValue("Access-Control-Expose-Headers").orElseThrow())
                .contains("X-Request-Id", "Location", "ETag", "X-Cache", "Retry-After");
        assertThat(String.join(",", allowed.headers().allValues("Vary"))).contains("Origin").contains("Accept-Encoding");

        HttpResponse<String> other = send("GET", "/api/v1/products/1", "Origin", "https://evil.example.net");
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(other.headers().firstValue("Vary")).hasValue("Origin");
    }

    @Test
    void refusesABodyOverTheLimitWithoutForwardingIt() throws Exception {
        start(defaults().withMaxBodyBytes(100));
        byte[] large = new byte[1000];

        assertProblem(send("POST", "/api/v1/uploads", BodyPublishers.ofByteArray(large)), 413);
        assertProblem(send("POST", "/api/v1/uploads", BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(large))), 413);
        assertThat(service.calls.get()).isZero();
    }

    @Test
    void forwardsAStreamedBodyWithinTheLimitWhole() throws Exception {
        start(defaults().withMaxBodyBytes(100_000));
        byte[] body = new byte[60_000];

        HttpResponse<String> response = send("POST", "/api/v1/uploads", BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("received 60000 bytes");
    }

    @Test
    void removesInternalHeadersAClientSent() throws Exception {
        start();

        send("GET", "/api/v1/products/1", "X-Archway-Principal", "admin", "x-archway-roles", "admin", "X-Custom", "kept");

        assertThat(service.lastHeaders).doesNotContainKeys("x-archway-principal", "x-archway-roles");
        assertThat(service.lastHeaders.get("x-custom")).isEqualTo("kept");
    }

    @Test
    void tellsTheServiceWhoTheClientIs() throws Exception {
        start();

        send("GET", "/api/v1/products/1", "X-Forwarded-For", "203.0.113.7", "X-Forwarded-Proto", "https");

        assertThat(service.lastHeaders.get("x-forwarded-for")).isEqualTo("203.0.113.7, 127.0.0.1");
        assertThat(service.lastHeaders.get("x-forwarded-proto")).isEqualTo("https");
        assertThat(service.lastHeaders.get("x-forwarded-host")).isEqualTo("127.0.0.1:" + gateway.port());
        assertThat(service.lastHeaders.get("x-request-id")).hasSize(32);
    }

    @Test
    void answersGatewayTimeoutProblemWhenTheServiceIsTooSlow() throws Exception {
        start(defaults().withUpstreamTimeout(Duration.ofMillis(200)));

        assertProblem(send("GET", "/api/v1/slow"), 504);
    }

    @Test
    void givesEachRouteItsOwnTimeout() throws Exception {
        start(table("""
                [{"name": "slow", "path": "/api/v1/slow", "upstream": "app", "timeout_ms": 200},
                 {"name": "rest", "path": "/api/", "upstream": "app", "timeout_ms": 5000}]"""));

        HttpResponse<String> response = get("/api/v1/slow");

        assertProblem(response, 504);
        assertThat(response.body()).contains("200 ms");
    }

    @Test
    void answersBadGatewayProblemWhenTheUpstreamIsUnreachable() throws Exception {
        start(GatewayConfig.of("127.0.0.1", 0, URI.create("http://127.0.0.1:" + Ports.free())));

        assertProblem(send("GET", "/api/v1/products/1"), 502);
    }

    @Test
    void answersItsOwnHealthWithoutForwarding() throws Exception {
        start();

        HttpResponse<String> health = send("GET", "/health");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("{\"status\":\"up\"}");
        assertThat(health.headers().firstValue("Server")).isEmpty();
        assertThat(send("GET", "/metrics").body()).contains("gateway_rejections_total");
        assertThat(service.calls.get()).isZero();
    }
}
