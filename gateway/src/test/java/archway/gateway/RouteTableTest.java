package archway.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import archway.gateway.GatewayConfig.Route;
import archway.gateway.limits.LimitPolicy;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteTableTest {

    private static final URI APP = URI.create("http://127.0.0.1:8081");

    private static GatewayConfig load(String routes) {
        return GatewayConfig.load("127.0.0.1", 0, GatewayHarness.json("{\"routes\": " + routes + "}"), Map.of("app", APP));
    }

    private static void assertRejected(String routes, String... messageParts) {
        var thrown = assertThatIllegalArgumentException().isThrownBy(() -> load(routes));
        for (String part : messageParts) {
            thrown.withMessageContaining(part);
        }
    }

    @Test
    void readsEveryFieldOfARoute() {
        GatewayConfig config = load("""
                [{"name": "products", "path": "/api/v1/products", "upstream": "app", "methods": ["GET", "PATCH"],
                  "authenticated": ["GET /api/v1/products/mine"], "admin": ["PATCH /api/v1/products/*"],
                  "rate_limit": {"per_address": {"per_second": 10, "burst": 20}, "per_user": {"per_second": 30}},
                  "cache": {"public": true},
                  "deprecation": {"deprecated_at": "2026-12-01T00:00:00Z", "sunset": "2027-06-30T00:00:00Z",
                                  "successor": "/api/v2/products"},
                  "timeout_ms": 1500,
                  "circuit_breaker": {"failure_rate_percent": 40, "window_calls": 10, "minimum_calls": 5, "open_seconds": 3}}]""");

        Route route = config.routes().getFirst();
        assertThat(route.upstream()).isEqualTo(APP);
        assertThat(route.methods()).containsExactlyInAnyOrder("GET", "HEAD", "PATCH");
        assertThat(route.needsUser("GET", "/api/v1/products/mine")).isTrue();
        assertThat(route.needsUser("PATCH", "/api/v1/products/4")).isTrue();
        assertThat(route.isAdminCall("PATCH", "/api/v1/products/4")).isTrue();
        assertThat(route.needsUser("GET", "/api/v1/products/4")).isFalse();
        assertThat(route.rateLimit().perAddress()).isEqualTo(LimitPolicy.of(10, 20));
        assertThat(route.rateLimit().perUser()).isEqualTo(LimitPolicy.of(30, 30));
        assertThat(route.cache()).hasValue(new GatewayConfig.Caching(true));
        assertThat(route.deprecation().orElseThrow().sunset()).hasValue(Instant.parse("2027-06-30T00:00:00Z"));
        assertThat(config.timeoutOf(route)).isEqualTo(Duration.ofMillis(1500));
        assertThat(route.circuitBreaker()).isEqualTo(new GatewayConfig.BreakerSettings(40, 10, 5, Duration.ofSeconds(3)));
    }

    @Test
    void givesAnUnsaidFieldItsDefault() {
        Route route = load("[{\"name\": \"api\", \"path\": \"/api/\", \"upstream\": \"app\"}]").routes().getFirst();

        assertThat(route.methods()).isEqualTo(Route.DEFAULT_METHODS);
        assertThat(route.rateLimit()).isEqualTo(GatewayConfig.RateLimits.DEFAULT);
        assertThat(route.cache()).isEmpty();
        assertThat(route.deprecation()).isEmpty();
        assertThat(route.circuitBreaker()).isEqualTo(GatewayConfig.BreakerSettings.DEFAULT);
    }

    @Test
    void theDefaultTableGuardsTheApi() {
        GatewayConfig config = GatewayConfig.of("127.0.0.1", 0, APP);

        assertThat(config.routes()).extracting(Route::name).contains("auth-token", "users", "products-v1", "products-v2",
                "orders", "notifications", "inventory", "api");
        assertThat(config.routes()).allSatisfy(route -> assertThat(route.upstream()).isEqualTo(APP));
        assertThat(config.trustedProxies()).containsExactly("127.0.0.1", "0:0:0:0:0:0:0:1");
        Route signIn = config.routes().stream().filter(r -> r.name().equals("auth-token")).findFirst().orElseThrow();
        assertThat(signIn.rateLimit().perAddress().burst()).isLessThan(GatewayConfig.RateLimits.DEFAULT.perAddress().burst());
    }

    @Test
    void namesTheRouteAndTheFieldOfAMistake() {
        assertRejected("[{\"name\": \"a\", \"path\": \"/api/\", \"upstream\": \"billing\"}]", "'a'", "upstream 'billing'", "[app]");
        assertRejected("[{\"name\": \"a\", \"path\": \"api\", \"upstream\": \"app\"}]", "'a'", "path", "api");
        assertRejected("[{\"name\": \"a\", \"path\": \"/api/\", \"upstream\": \"app\", \"rate_limits\": {}}]",
                "'a'", "unknown field", "rate_limits");
        assertRejected("[{\"name\": \"a\", \"path\": \"/api/\", \"upstream\": \"app\","
                + " \"rate_limit\": {\"per_user\": {\"per_second\": -1}}}]", "'a'", "rate_limit.per_user.per_second", "-1");
        assertRejected("[{\"name\": \"a\", \"path\": \"/api/\", \"upstream\": \"app\","
                + " \"rate_limit\": {\"per_address\": {\"per_second\": 10, \"burst\": 5}}}]", "'a'", "rate_limit.per_address", "burst");
        assertRejected("[{\"name\": \"a\", \"path\": \"/api/\", \"upstream\": \"app\", \"methods\": [\"get\"]}]", "'a'", "methods", "get");
        assertRejected("[{\"name\": \"a\", \"path\": \"/api/v1/orders\", \"upstream\": \"app\","
                + " \"authenticated\": [\"GET /api/v1/users/me\"]}]", "'a'", "authenticated", "outside");
        assertRejected("[{\"name\": \"a\", \"path\": \"/api/\", \"upstream\": \"app\", \"admin\": [\"/api/x\"]}]",
                "'a'", "'<METHOD> <path>'");
        assertRejected("[{\"name\": \"a\", \"path\": \"/api/\", \"upstream\": \"app\","
                + " \"deprecation\": {\"deprecated_at\": \"next year\"}}]", "'a'", "deprecation.deprecated_at");
        assertRejected("[{\"name\": \"a\", \"path\": \"/api/\", \"upstream\": \"app\","
                + " \"circuit_breaker\": {\"window_calls\": 5, \"minimum_calls\": 9}}]", "'a'", "circuit_breaker.minimum_calls", "9");
        assertRejected("[{\"name\": \"a\", \"path\": \"/api/\", \"upstream\": \"app\", \"cache\": {\"public\": \"yes\"}}]",
                "'a'", "cache.public");
        assertRejected("[{\"name\": \"a\", \"path\": \"/api/\", \"upstream\": \"app\", \"timeout_ms\": 0}]", "'a'", "timeout_ms");
        assertRejected("[{\"path\": \"/api/\", \"upstream\": \"app\"}]", "route #1", "name");
        assertRejected("[{\"name\": \"a\", \"path\": \"/api/\", \"upstream\": \"app\"},"
                + " {\"name\": \"a\", \"path\": \"/api/v2/\", \"upstream\": \"app\"}]", "repeat a route name");
        assertRejected("[]", "non-empty");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> GatewayConfig.load("127.0.0.1", 0, GatewayHarness.json("{\"routes\": [}"), Map.of("app", APP)))
                .withMessageContaining("not valid JSON");
    }

    @Test
    void rejectsSettingsThatCannotWork() {
        GatewayConfig config = GatewayConfig.of("127.0.0.1", 0, APP);
        assertThatIllegalArgumentException().isThrownBy(() -> config.withAllowedOrigins(java.util.List.of("*")))
                .withMessageContaining("gateway.allowedOrigins").withMessageContaining("'*'");
        assertThatIllegalArgumentException().isThrownBy(() -> config.withMaxBodyBytes(0))
                .withMessageContaining("gateway.maxBodyBytes").withMessageContaining("0");
        assertThatIllegalArgumentException().isThrownBy(() -> config.withTrustedProxies(java.util.List.of("edge.example.com")))
                .withMessageContaining("gateway.trustedProxies").withMessageContaining("edge.example.com");
        assertThatIllegalArgumentException().isThrownBy(() -> new GatewayConfig.ProtectedCall("GET", "/api/*/orders"))
                .withMessageContaining("/api/*/orders");
    }

    @Test
    void protectedCallsMatchExactPathsAndPrefixes() {
        var me = new GatewayConfig.ProtectedCall("GET", "/api/v1/users/me");
        var orders = new GatewayConfig.ProtectedCall("*", "/api/v1/orders*");

        assertThat(me.matches("GET", "/api/v1/users/me")).isTrue();
        assertThat(me.matches("HEAD", "/api/v1/users/me/")).isTrue();
        assertThat(me.matches("POST", "/api/v1/users/me")).isFalse();
        assertThat(me.matches("GET", "/api/v1/users/mel")).isFalse();
        assertThat(orders.matches("POST", "/api/v1/orders")).isTrue();
        assertThat(orders.matches("GET", "/api/v1/orders/7")).isTrue();
        assertThat(orders.matches("GET", "/api/v1/products")).isFalse();
    }
}
