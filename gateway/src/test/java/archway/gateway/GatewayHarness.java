package archway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import archway.gateway.keys.ApiKey;
import archway.gateway.keys.ApiKeyAuthenticator;
import archway.gateway.keys.UsagePlan;
import archway.gateway.limits.LimitPolicy;
import archway.platform.auth.JwtKeys;
import archway.platform.auth.Principal;
import archway.platform.auth.TokenIssuer;
import archway.platform.auth.TokenVerifier;
import archway.platform.telemetry.Telemetry;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A gateway in front of a {@link Service}, with a counting rate limiter, one API key and a movable clock. */
abstract class GatewayHarness {

    static final String SHOP = "https://shop.example.com";
    static final Principal USER = new Principal("user-1", "user@example.com", Set.of());
    static final Principal ADMIN = new Principal("admin-1", "admin@example.com", Set.of(Principal.ADMIN));
    static final String KEY_SECRET = "ak_feed_s3cr3t";
    static final ApiKey KEY = new ApiKey("feed", "price-feed", new UsagePlan("partner-basic", LimitPolicy.of(2, 3)),
            Instant.parse("2026-01-01T00:00:00Z"), Optional.empty());

    final JwtKeys keys = JwtKeys.generate();
    final TokenIssuer issuer = new TokenIssuer(keys, Clock.systemUTC(), Duration.ofMinutes(5));
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    final CountingLimiter limiter = new CountingLimiter();
    final MovableClock clock = new MovableClock();
    final ApiKeyAuthenticator apiKeys = secret -> secret.equals(KEY_SECRET) ? Optional.of(KEY) : Optional.empty();
    Service service;
    Telemetry telemetry;
    Gateway gateway;

    @BeforeEach
    void startService() {
        service = new Service();
        telemetry = Telemetry.create("gateway");
    }

    @AfterEach
    void stopEverything() {
        if (gateway != null) {
            gateway.close();
        }
        service.close();
        telemetry.close();
        http.close();
    }

    Gateway start(GatewayConfig config) {
        gateway = Gateway.start(config, new TokenVerifier(keys, Clock.systemUTC()), apiKeys, limiter, telemetry, clock);
        return gateway;
    }

    /** The default route table in front of the service, with the shop's origin allowed. */
    Gateway start() {
        return start(defaults());
    }

    GatewayConfig defaults() {
        return GatewayConfig.of("127.0.0.1", 0, service.url()).withAllowedOrigins(java.util.List.of(SHOP));
    }

    /** A gateway whose route table is {@code routesJson} (the {@code routes} array), upstream {@code app} = the service. */
    GatewayConfig table(String routesJson) {
        return GatewayConfig.load("127.0.0.1", 0, json("{\"routes\": " + routesJson + "}"), Map.of("app", service.url()));
    }

    static ByteArrayInputStream json(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    String bearer(Principal principal) {
        return "Bearer " + issuer.issue(principal);
    }

    HttpResponse<String> send(String method, String path, BodyPublisher body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.url() + path))
                .timeout(Duration.ofSeconds(5))
                .method(method, body);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> send(String method, String path, String... headers) throws Exception {
        return send(method, path, BodyPublishers.noBody(), headers);
    }

    HttpResponse<String> get(String path, String... headers) throws Exception {
        return send("GET", path, headers);
    }

    String metrics() throws Exception {
        return get("/metrics").body();
    }

    static void assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.body()).contains("\"status\":" + status).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(response.headers().firstValue("X-Request-Id")).isPresent();
    }

    static void assertProblem(RawHttp.Answer answer, int status) {
        assertThat(answer.status()).isEqualTo(status);
        assertThat(answer.head()).contains("content-type: application/problem+json");
        assertThat(answer.body()).contains("\"status\":" + status).doesNotContain("Exception");
    }
}
