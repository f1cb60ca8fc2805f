package archway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** What never crosses the gateway, what every answer carries, and requests that are refused for their shape. */
class GatewayHygieneTest extends GatewayHarness {

    @Test
    void stripsHopByHopProxyAndInternalHeadersFromRequests() throws Exception {
        start();

        RawHttp.Answer answer = RawHttp.send(gateway.port(), "GET /api/v1/products/1 HTTP/1.1\r\nHost: localhost\r\n"
                + "Connection: X-Hop\r\nX-Hop: 1\r\nKeep-Alive: timeout=5\r\nTE: trailers\r\nTrailer: X-Sum\r\n"
                + "Proxy-Authorization: Basic eDp5\r\nProxy-Foo: bar\r\n"
                + "X-Archway-Principal: admin\r\nx-archway-roles: admin\r\nX-Custom: kept\r\n");

        assertThat(answer.status()).as(answer.head() + answer.body()).isEqualTo(200);
        assertThat(service.lastHeaders).doesNotContainKeys("x-hop", "keep-alive", "te", "trailer",
                "proxy-authorization", "proxy-foo", "x-archway-principal", "x-archway-roles");
        assertThat(service.lastHeaders.get("x-custom")).isEqualTo("kept");
    }

    @Test
    void stripsInternalHopByHopAndBannerHeadersFromResponses() throws Exception {
        start();

        HttpResponse<String> response = get("/api/v1/noisy");

        assertThat(response.statusCode()).isEqualTo(200);
        var headers = response.headers().map().keySet();
        assertThat(headers).doesNotContain("x-archway-instance", "x-powered-by", "keep-alive", "proxy-agent", "server");
        assertThat(response.headers().firstValue("X-Kept")).hasValue("yes");
    }

    @Test
    void marksEveryAnswerNosniffWithARequestIdAndNoBanner() throws Exception {
        start();

        for (HttpResponse<String> response : java.util.List.of(get("/api/v1/products/1"), get("/nowhere"),
                get("/api/v1/users/me"), send("DELETE", "/api/v1/auth/token"))) {
            assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(response.headers().firstValue("X-Request-Id")).isPresent();
            assertThat(response.headers().firstValue("Server")).isEmpty();
            assertThat(response.headers().firstValue("X-Powered-By")).isEmpty();
        }
    }

    @Test
    void passesTheCallersRequestIdOnAndBack() throws Exception {
        start();

        HttpResponse<String> response = get("/api/v1/products/1", "X-Request-Id", "order-check-0001");

        assertThat(response.headers().firstValue("X-Request-Id")).hasValue("order-check-0001");
        assertThat(service.lastHeaders.get("x-request-id")).isEqualTo("order-check-0001");
    }

    @Test
    void refusesOversizedHeadersAndUrisAsProblems() throws Exception {
        start();

        RawHttp.Answer longUri = RawHttp.send(gateway.port(), "GET /api/v1/products/" + "a".repeat(20_000)
                + " HTTP/1.1\r\nHost: localhost\r\n");
        RawHttp.Answer bigHeader = RawHttp.send(gateway.port(), "GET /api/v1/products/1 HTTP/1.1\r\nHost: localhost\r\n"
                + "X-Big: " + "b".repeat(20_000) + "\r\n");

        assertProblem(longUri, 414);
        assertProblem(bigHeader, 431);
        assertThat(longUri.head()).contains("x-content-type-options: nosniff");
        assertThat(service.calls.get()).isZero();
    }

    @Test
    void neverForwardsAPathThatEscapesItsRoute() throws Exception {
        start();

        for (String path : new String[] {"/api/v1/../../etc/passwd", "/api/v1/products/../../../etc/passwd", "/api/./v1/orders",
                "/api/v1/%2e%2e/%2e%2e/etc/passwd", "/api/v1/products%2F..%2F..%2Fadmin", "/api/v1/users/%2e%2e/me",
                "/api/%2e%2e/admin"}) {
            RawHttp.Answer answer = RawHttp.send(gateway.port(), "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n");
            assertThat(answer.status()).as(path).isBetween(400, 499);
            assertThat(answer.head()).as(path).contains("content-type: application/problem+json");
        }
        assertThat(service.calls.get()).isZero();
    }
}
