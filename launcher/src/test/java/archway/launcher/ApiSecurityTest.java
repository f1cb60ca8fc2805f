package archway.launcher;

import static archway.launcher.StoreClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import archway.platform.auth.JwtKeys;
import archway.platform.auth.Principal;
import archway.platform.auth.TokenIssuer;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The OWASP API Security Top 10 (2023) items that apply to Archway, each as an attack on
 * the running system that must fail with the right status, plus the bad input an attacker
 * tries first. Every refusal is a problem document, never a 5xx.
 */
@ExtendWith(RunningSystem.class)
class ApiSecurityTest {

    static ArchwaySystem system;
    static StoreClient store;
    static String admin;

    @BeforeAll
    static void useTheRunningSystem(ArchwaySystem running) {
        system = running;
        store = new StoreClient(running);
        admin = store.admin(running);
    }

    // API1:2023 Broken object level authorization

    @Test
    void api1AShopperCannotReadAnotherShoppersOrderOrProfile() {
        String alice = store.newShopper();
        String bob = store.newShopper();
        HttpResponse<String> placed = store.order(alice, 1, 1, "tok_visa");
        assertThat(placed.statusCode()).isEqualTo(202);
        String orderId = json(placed).get("id").asText();
        String aliceId = json(store.get("/api/v1/users/me", alice)).get("id").asText();

        assertProblem(store.get("/api/v1/orders/" + orderId, bob), 404);
        assertThat(json(store.get("/api/v1/orders", bob)).get("items")).isEmpty();
        assertThat(json(store.get("/api/v1/notifications", bob)).get("items")).isEmpty();
        HttpResponse<String> bobsMe = store.get("/api/v1/users/me", bob);
        assertThat(json(bobsMe).get("id").asText()).isNotEqualTo(aliceId);
        assertThat(store.get("/api/v1/users/" + aliceId, bob).statusCode()).isBetween(403, 404);
    }

    // API2:2023 Broken authentication

    @Test
    void api2ForgedExpiredAndUnsignedTokensAreRefusedWithWwwAuthenticate() {
        JwtKeys keys = JwtKeys.load(system.config().runFolder().keys());
        Principal someone = new Principal("1", "someone@example.com", Set.of(Principal.ADMIN));
        Clock past = Clock.fixed(Instant.now().minus(Duration.ofHours(2)), ZoneOffset.UTC);
        Clock future = Clock.fixed(Instant.now().plus(Duration.ofHours(2)), ZoneOffset.UTC);
        String valid = new TokenIssuer(keys, Clock.systemUTC(), Duration.ofMinutes(5)).issue(someone);
        String[] parts = valid.split("\\.");
        List<String> forged = List.of(
                new TokenIssuer(keys, past, Duration.ofMinutes(5)).issue(someone),                 // expired
                new TokenIssuer(keys, future, Duration.ofMinutes(5)).issue(someone),               // not yet valid
                new TokenIssuer(JwtKeys.generate(), Clock.systemUTC(), Duration.ofMinutes(5)).issue(someone), // unknown kid
                parts[0] + "." + parts[1] + "." + flipped(parts[2]),                              // bad signature
                base64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + ".",              // alg: none
                base64("{\"alg\":\"HS512\",\"kid\":\"x\"}") + "." + parts[1] + "." + parts[2]);    // another algorithm
        for (String token : forged) {
            HttpResponse<String> response = store.get("/api/v1/orders", token);
            assertProblem(response, 401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        }
    }

    @Test
    void api2GuessingPasswordsFromOneAddressIsThrottled() throws Exception {
        // straight to the gateway, as a client behind a proxy the gateway trusts: an address of its own
        String address = "203.0.113." + (1 + (int) (Math.random() * 250));
        List<HttpResponse<String>> answers;
        try (ExecutorService guessers = Executors.newFixedThreadPool(8)) {
            List<Future<HttpResponse<String>>> guesses = new ArrayList<>();
            for (int attempt = 0; attempt < 160; attempt++) {
                String body = "{\"email\":\"admin@archway.local\",\"password\":\"guess-" + attempt + "\"}";
                guesses.add(guessers.submit(() -> StoreClient.send(HttpRequest.newBuilder(URI.create(system.gatewayUrl() + "/api/v1/auth/token"))
                        .header("Content-Type", "application/json")
                        .header("X-Forwarded-For", address)
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build())));
            }
            answers = new ArrayList<>();
            for (Future<HttpResponse<String>> guess : guesses) {
                answers.add(guess.get());
            }
        }
        List<HttpResponse<String>> throttled = answers.stream().filter(r -> r.statusCode() == 429).toList();
        assertThat(throttled).as("160 guesses from one address, 8 at a time, exceed 10/s with a burst of 30").isNotEmpty();
        for (HttpResponse<String> response : answers) {
            if (response.statusCode() == 429) {
                assertProblem(response, 429);
                assertThat(response.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isPositive());
                assertThat(response.headers().firstValue("RateLimit-Remaining")).hasValue("0");
            } else {
                assertProblem(response, 401);
            }
        }
    }

    @Test
    void api2AnApiKeyIssuedOnTheOperationsSideIsLimitedByItsPlanAndStopsWorkingWhenRevoked() {
        assertProblem(ops("POST", "/api-keys", admin, "{\"client\":\"price-feed\",\"plan\":\"gold\"}"), 400);
        HttpResponse<String> issued = ops("POST", "/api-keys", admin, "{\"client\":\"price-feed\",\"plan\":\"basic\"}");
        assertThat(issued.statusCode()).isEqualTo(201);
        String id = json(issued).get("id").asText();
        String secret = json(issued).get("secret").asText();
        assertThat(ops("GET", "/api-keys", null, "").body()).contains(id).doesNotContain(secret);

        HttpResponse<String> first = withKey(secret);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("RateLimit-Limit")).hasValue("20");
        int refused = 0;
        for (int i = 0; i < 40 && refused == 0; i++) {
            if (withKey(secret).statusCode() == 429) {
                refused++;
            }
        }
        assertThat(refused).as("the basic plan's burst of 20 runs out").isEqualTo(1);

        assertThat(ops("DELETE", "/api-keys/" + id, admin, "").statusCode()).isEqualTo(204);
        HttpResponse<String> revoked = withKey(secret);
        assertProblem(revoked, 401);
        assertThat(revoked.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("ApiKey"));
        assertProblem(ops("DELETE", "/api-keys/" + id, admin, ""), 404);
    }

    // API3:2023 Broken object property level authorization

    @Test
    void api3ARoleInTheRegistrationBodyDoesNotMakeAnAdmin() {
        String email = "mass-" + UUID.randomUUID() + "@example.com";
        HttpResponse<String> registered = store.post("/api/v1/users", Map.of(), "{\"email\":\"" + email
                + "\",\"password\":\"correct horse battery\",\"name\":\"Mallory\",\"role\":\"admin\",\"roles\":[\"admin\"]}");

        if (registered.statusCode() == 201) {
            assertThat(registered.body()).doesNotContain("password", "admin");
            String token = store.signIn(email, "correct horse battery");
            assertThat(claims(token).path("roles").toString()).doesNotContain("admin");
            assertProblem(patchProduct(token), 403);
        } else {
            assertProblem(registered, 400);
        }
    }

    // API4:2023 Unrestricted resource consumption

    @Test
    void api4OversizedBodiesPagesAndHeadersAreRefused() throws IOException {
        assertProblem(store.post("/api/v1/users", Map.of(), "{\"name\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}"), 413);
        assertProblem(store.get("/api/v1/products?size=100000", null), 400);
        assertProblem(store.get("/api/v2/products?limit=100000", null), 400);
        RawResponse huge = raw(system.gatewayUrl(), "GET /api/v1/products/1 HTTP/1.1\r\nHost: x\r\nX-Filler: "
                + "a".repeat(64 * 1024) + "\r\n\r\n");
        assertThat(huge.status()).isEqualTo(431);
    }

    // API5:2023 Broken function level authorization

    @Test
    void api5AShopperCannotCallAdminFunctions() {
        String shopper = store.newShopper();

        assertProblem(patchProduct(shopper), 403);
        assertProblem(store.send("PUT", "/api/v1/inventory/1", shopper, "{\"stock\": 1000000}"), 403);
        for (String change : List.of("PUT /instances {\"count\": 3}", "POST /keys/rotate {}", "POST /api-keys {\"client\":\"x\",\"plan\":\"basic\"}",
                "PUT /payment-provider/settings {\"latency_ms\": 0, \"error_rate\": 0}", "POST /dead-letters/1/replay {}")) {
            String[] call = change.split(" ", 3);
            assertProblem(ops(call[0], call[1], shopper, call[2]), 403);
            assertProblem(ops(call[0], call[1], null, call[2]), 401);
        }
    }

    // API8:2023 Security misconfiguration

    @Test
    void api8NoBannersNoWildcardCorsAndNoTrace() throws IOException {
        for (String url : List.of(system.edgeUrl(), system.gatewayUrl(), system.balancerUrl())) {
            HttpResponse<String> response = StoreClient.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/products/1")).build());
            assertThat(response.headers().firstValue("Server")).as(url).isEmpty();
            assertThat(response.headers().firstValue("X-Powered-By")).as(url).isEmpty();
        }
        HttpResponse<String> fromEvil = StoreClient.send(HttpRequest.newBuilder(URI.create(system.edgeUrl() + "/api/v1/products/2"))
                .header("Origin", "https://evil.example").build());
        assertThat(fromEvil.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(fromEvil.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        HttpResponse<String> preflight = StoreClient.send(HttpRequest.newBuilder(URI.create(system.edgeUrl() + "/api/v1/orders"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST").build());
        assertProblem(preflight, 403);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        RawResponse trace = raw(system.edgeUrl(), "TRACE /api/v1/products/1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(trace.status()).isEqualTo(405);
        assertThat(trace.text()).doesNotContain("Host: x");
    }

    // Bad input: an attacker's first tries

    @ParameterizedTest
    @ValueSource(strings = {"Bearer", "Bearer ", "Basic YWRtaW46YWRtaW4=", "Bearer a.b", "Bearer a.b.c", "bearer ...",
            "Bearer eyJhbGciOiJIUzI1NiJ9.e30.", "Token abc", "Bearer \u00e9\u00e8"})
    void malformedAuthorizationHeadersAre401(String authorization) throws IOException {
        RawResponse response = raw(system.edgeUrl(), "GET /api/v1/orders HTTP/1.1\r\nHost: x\r\nAuthorization: " + authorization
                + "\r\nConnection: close\r\n\r\n");
        assertThat(response.status()).as(authorization).isEqualTo(401);
        assertThat(response.text()).contains("application/problem+json");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/../../etc/passwd", "/api/v1/%2e%2e/%2e%2e/etc/passwd", "/api/v1/products/..%2F..%2Fetc%2Fpasswd",
            "/api/..;/ops/topology", "/api/v1/products/%00", "/%2e%2e/admin-password", "/api/v1/products/1%252e%252e%252f"})
    void pathTraversalAttemptsGetA4xxAndNothingOutsideTheApi(String path) throws IOException {
        for (String url : List.of(system.edgeUrl(), system.gatewayUrl())) {
            RawResponse response = raw(url, "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertThat(response.status()).as("%s%s", url, path).isBetween(400, 499);
            assertThat(response.text()).doesNotContain("root:", "\tat ", "Exception");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TRACE", "CONNECT", "PROPFIND", "FOO", "DEBUG"})
    void unsupportedMethodsGetA4xx(String method) throws IOException {
        RawResponse response = raw(system.gatewayUrl(), method + " /api/v1/products/1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(response.status()).as(method).isBetween(400, 499);
    }

    /** A machine client's read, straight to the gateway (the edge would answer a cached copy). */
    private static HttpResponse<String> withKey(String secret) {
        return StoreClient.send(HttpRequest.newBuilder(URI.create(system.gatewayUrl() + "/api/v1/products/3"))
                .header("X-Api-Key", secret).header("Cache-Control", "no-store").build());
    }

    private static HttpResponse<String> patchProduct(String token) {
        return store.send("PATCH", "/api/v1/products/1", token, "{\"name\": \"pwned\"}");
    }

    private static HttpResponse<String> ops(String method, String path, String token, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(system.opsUrl() + path))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return StoreClient.send(request.build());
    }

    private static void assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as("%s %s: %s", response.request().method(), response.request().uri(), response.body())
                .isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(json(response).get("status").asInt()).isEqualTo(status);
        assertThat(response.body()).doesNotContain("Exception", "\tat ", "SQL");
    }

    private static JsonNode claims(String token) {
        return StoreClient.json(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
    }

    private static String base64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String flipped(String signature) {
        char first = signature.charAt(0);
        return (first == 'A' ? 'B' : 'A') + signature.substring(1);
    }

    /** The status line and everything after it, of one request written as is (no client tidies it up). */
    record RawResponse(int status, String text) {
    }

    private static RawResponse raw(String baseUrl, String request) throws IOException {
        URI uri = URI.create(baseUrl);
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[16 * 1024];
            StringBuilder text = new StringBuilder();
            int n;
            try {
                while ((n = in.read(buffer)) > 0) {
                    text.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                    if (text.indexOf("\r\n\r\n") > 0 && isComplete(text)) {
                        break;
                    }
                }
            } catch (java.net.SocketException e) {
                // the server may close as soon as it has answered a bad request
            }
            String answer = text.toString();
            if (!answer.startsWith("HTTP/1.1 ")) {
                throw new AssertionError("no HTTP answer to " + request.lines().findFirst().orElse("") + ": " + answer);
            }
            return new RawResponse(Integer.parseInt(answer.substring(9, 12)), answer);
        }
    }

    private static boolean isComplete(StringBuilder text) {
        int end = text.indexOf("\r\n\r\n");
        String head = text.substring(0, end).toLowerCase(java.util.Locale.ROOT);
        int at = head.indexOf("content-length:");
        if (at < 0) {
            return !head.contains("transfer-encoding: chunked") || text.indexOf("\r\n0\r\n\r\n") > 0;
        }
        int length = Integer.parseInt(head.substring(at + 15, head.indexOf('\n', at) < 0 ? head.length() : head.indexOf('\n', at)).strip());
        return text.length() - end - 4 >= length;
    }
}
