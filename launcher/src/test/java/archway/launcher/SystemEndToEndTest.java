package archway.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import archway.platform.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole single-region topology on free ports - embedded PostgreSQL, two app-instance
 * processes, balancer, gateway, edge, operations entry - driven from the outside through
 * the edge, as a browser or a user's script would.
 */
@ExtendWith(RunningSystem.class)
@Order(Integer.MAX_VALUE) // after every other class on the shared system: the last test here kills an instance
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SystemEndToEndTest {

    static ArchwaySystem system;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void useTheRunningSystem(ArchwaySystem running) {
        system = running;
    }

    @Test
    @Order(1)
    void servesTheStorefrontFromObjectStorage() throws Exception {
        HttpResponse<String> page = get(system.edgeUrl() + "/", Map.of());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(page.body()).containsIgnoringCase("<html");
    }

    @Test
    @Order(2)
    void productReadIsAMissThenAHitAtTheEdge() throws Exception {
        HttpResponse<String> first = get(system.edgeUrl() + "/api/v1/products/42", Map.of());
        HttpResponse<String> second = get(system.edgeUrl() + "/api/v1/products/42", Map.of());

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.headers().firstValue("X-Cache")).hasValue("HIT");
        assertThat(second.body()).isEqualTo(first.body());
        JsonNode product = Json.mapper().readTree(first.body());
        assertThat(product.get("id").asLong()).isEqualTo(42);
        assertThat(product.get("price").get("currency").asText()).isEqualTo("USD");
        assertThat(first.headers().firstValue("X-Request-Id")).isPresent();
    }

    @Test
    @Order(3)
    void anUnchangedProductAnswers304ToItsETag() throws Exception {
        HttpResponse<String> first = get(system.edgeUrl() + "/api/v1/products/7", Map.of());
        String etag = first.headers().firstValue("ETag").orElseThrow();

        HttpResponse<String> again = get(system.edgeUrl() + "/api/v1/products/7", Map.of("If-None-Match", etag));

        assertThat(again.statusCode()).isEqualTo(304);
    }

    @Test
    @Order(3)
    void aClientThatAcceptsNoEncodingNeverGetsACompressedCopy() throws Exception {
        String page = system.edgeUrl() + "/api/v1/products?size=50&page=3";
        HttpResponse<String> gzipClient = get(page, Map.of("Accept-Encoding", "gzip"));
        HttpResponse<String> plainClient = get(page, Map.of());

        assertThat(gzipClient.statusCode()).isEqualTo(200);
        assertThat(plainClient.statusCode()).isEqualTo(200);
        assertThat(plainClient.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(Json.mapper().readTree(plainClient.body()).get("items")).hasSize(50);
    }

    @Test
    @Order(4)
    void theCallersTraceIdReachesTheInstanceThroughEveryHop() throws Exception {
        String traceId = UUID.randomUUID().toString().replace("-", "");
        String traceparent = "00-" + traceId + "-00f067aa0ba902b7-01";

        // no-cache: every cache on the way (edge, gateway) asks the instance, whoever read product 1234 before
        HttpResponse<String> response = get(system.edgeUrl() + "/api/v1/products/1234",
                Map.of("traceparent", traceparent, "Cache-Control", "no-cache"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(logsMention(traceId, "launcher")).as("edge, gateway and balancer logged the trace id").isTrue();
        assertThat(logsMention(traceId, "app-")).as("an app instance logged the trace id").isTrue();
    }

    @Test
    @Order(5)
    void aProtectedRouteNeedsAToken() throws Exception {
        HttpResponse<String> anonymous = get(system.edgeUrl() + "/api/v1/users/me", Map.of());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).isPresent();
        assertProblem(anonymous);

        String email = "e2e-" + UUID.randomUUID() + "@example.com";
        HttpResponse<String> registered = postJson("/api/v1/users",
                "{\"email\":\"" + email + "\",\"password\":\"correct horse battery\",\"name\":\"Ada\"}");
        assertThat(registered.statusCode()).isEqualTo(201);
        assertThat(registered.body()).doesNotContain("password");
        HttpResponse<String> token = postJson("/api/v1/auth/token",
                "{\"email\":\"" + email + "\",\"password\":\"correct horse battery\"}");
        assertThat(token.statusCode()).isEqualTo(200);
        String accessToken = Json.mapper().readTree(token.body()).get("access_token").asText();

        HttpResponse<String> me = get(system.edgeUrl() + "/api/v1/users/me", Map.of("Authorization", "Bearer " + accessToken));

        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(me.headers().firstValue("X-Cache")).hasValue("BYPASS");
        assertThat(Json.mapper().readTree(me.body()).get("email").asText()).isEqualTo(email);
    }

    @Test
    @Order(6)
    void badInputGetsAProblemNeverAServerError() throws Exception {
        String edge = system.edgeUrl();
        List<HttpResponse<String>> responses = List.of(
                get(edge + "/api/v1/products?page=0", Map.of()),
                get(edge + "/api/v1/products?size=100000", Map.of()),
                get(edge + "/api/v1/products?page=abc", Map.of()),
                get(edge + "/api/v1/products/999999999", Map.of()),
                get(edge + "/api/v1/products/not-a-number", Map.of()),
                postJson("/api/v1/users", "{\"email\": \"broken"),
                send(HttpRequest.newBuilder(URI.create(edge + "/api/v1/users"))
                        .header("Content-Type", "text/plain")
                        .POST(HttpRequest.BodyPublishers.ofString("hello")).build()),
                postJson("/api/v1/users", "{\"email\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}"),
                get(edge + "/api/v1/no-such-thing", Map.of()),
                send(HttpRequest.newBuilder(URI.create(edge + "/api/v1/products/1"))
                        .method("DELETE", HttpRequest.BodyPublishers.noBody()).build()));
        for (HttpResponse<String> response : responses) {
            assertThat(response.statusCode()).as("%s %s", response.request().method(), response.request().uri())
                    .isBetween(400, 499);
            assertProblem(response);
        }
    }

    @Test
    @Order(7)
    void topologyListsEveryComponentWithItsProcess() throws Exception {
        HttpResponse<String> topology = get(system.opsUrl() + "/topology", Map.of());

        assertThat(topology.statusCode()).isEqualTo(200);
        JsonNode components = Json.mapper().readTree(topology.body()).get("components");
        assertThat(components.findValuesAsText("role")).contains("edge", "gateway", "balancer", "instance", "postgres");
        for (JsonNode component : components) {
            assertThat(component.get("pid").asLong()).as(component.get("name").asText()).isPositive();
            assertThat(component.get("state").asText()).isEqualTo("up");
        }
        assertThat(get(system.opsUrl() + "/ready", Map.of()).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(8)
    void theReadPathKeepsAnsweringWhenAnInstanceIsKilled() throws Exception {
        system.instances().getFirst().process().kill();

        for (int page = 1; page <= 20; page++) {
            // distinct queries, so the edge cannot answer from its cache
            HttpResponse<String> response = get(system.edgeUrl() + "/api/v1/products?size=5&page=" + (100 + page), Map.of());
            assertThat(response.statusCode()).as("page %d after the kill", page).isEqualTo(200);
        }
    }

    private static boolean logsMention(String traceId, String prefix) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            try (var files = Files.list(system.config().runFolder().logs())) {
                for (Path log : files.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
                    if (Files.readString(log).contains(traceId)) {
                        return true;
                    }
                }
            }
            Thread.sleep(100);
        }
        return false;
    }

    private static void assertProblem(HttpResponse<String> response) throws IOException {
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = Json.mapper().readTree(response.body());
        assertThat(problem.get("status").asInt()).isEqualTo(response.statusCode());
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(response.body()).doesNotContain("Exception", "\tat ", "SQL");
    }

    private static HttpResponse<String> get(String url, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        headers.forEach(request::header);
        return send(request.build());
    }

    private static HttpResponse<String> postJson(String path, String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(system.edgeUrl() + path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
