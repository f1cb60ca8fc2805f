package archway.launcher.instance;

import static org.assertj.core.api.Assertions.assertThat;

import archway.cache.Cache;
import archway.cache.CacheSpec;
import archway.cache.caffeine.CaffeineCaches;
import archway.platform.auth.JwtKeys;
import archway.platform.auth.Principal;
import archway.platform.auth.TokenIssuer;
import archway.platform.auth.TokenVerifier;
import archway.platform.json.Json;
import archway.platform.server.ServiceServer;
import archway.platform.telemetry.Telemetry;
import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The instance's cache controls over real HTTP: listed and dropped by administrators only. */
class CacheRoutesTest {

    private static final Principal ADMIN = new Principal("admin-1", "admin@example.com", Set.of(Principal.ADMIN));
    private static final Principal CUSTOMER = new Principal("customer-1", "ann@example.com", Set.of("customer"));

    static Telemetry telemetry;
    static ServiceServer server;
    static HttpClient client;
    static TokenIssuer issuer;
    static Cache<Long, String> products;
    static Cache<String, String> categories;

    @BeforeAll
    static void start() {
        CaffeineCaches caches = new CaffeineCaches(new SimpleMeterRegistry());
        products = caches.create("catalog.products", CacheSpec.of(100, Duration.ofMinutes(5)));
        categories = caches.create("catalog.categories", CacheSpec.of(1, Duration.ofMinutes(5)));
        JwtKeys keys = JwtKeys.generate();
        issuer = new TokenIssuer(keys, Clock.systemUTC(), Duration.ofMinutes(15));
        telemetry = Telemetry.create("cache-routes-test");
        server = ServiceServer.start(ServiceServer.Config.of("cache-routes-test", "127.0.0.1", 0), telemetry, () -> true,
                new CacheRoutes(caches, new TokenVerifier(keys, Clock.systemUTC()))::mount);
        client = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
        telemetry.close();
    }

    private static HttpResponse<String> send(String method, String path, Principal who, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (who != null) {
            request.header("Authorization", "Bearer " + issuer.issue(who));
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return Json.mapper().readTree(response.body());
    }

    @Test
    void listsEachCachesCountsForAnAdministrator() throws Exception {
        products.get(1L, id -> "one");
        products.get(1L, id -> "one");

        HttpResponse<String> response = send("GET", "/caches", ADMIN, null);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode first = json(response).path("items").get(0);
        assertThat(first.path("name").asText()).isEqualTo("catalog.products");
        assertThat(first.path("hits").asLong()).isPositive();
        assertThat(first.has("hit_ratio")).isTrue();
        assertThat(first.has("evictions")).isTrue();
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
    }

    @Test
    void dropsOneKeyOrTheWholeCache() throws Exception {
        products.put(7L, "seven");
        products.put(8L, "eight");
        categories.put("all", "everything");

        HttpResponse<String> one = send("POST", "/caches/catalog.products/invalidate", ADMIN, "{\"key\":7}");
        assertThat(one.statusCode()).as(one.body()).isEqualTo(200);
        assertThat(products.getIfPresent(7L)).isEmpty();
        assertThat(products.getIfPresent(8L)).contains("eight");

        assertThat(send("POST", "/caches/catalog.categories/invalidate", ADMIN, null).statusCode()).isEqualTo(200);
        assertThat(categories.getIfPresent("all")).isEmpty();
    }

    @Test
    void refusesAnyoneButAnAdministratorAnUnknownCacheAndABadKey() throws Exception {
        assertThat(send("GET", "/caches", null, null).statusCode()).isEqualTo(401);
        assertThat(send("GET", "/caches", CUSTOMER, null).statusCode()).isEqualTo(403);
        assertThat(send("POST", "/caches/catalog.products/invalidate", null, null).statusCode()).isEqualTo(401);
        assertThat(send("POST", "/caches/catalog.products/invalidate", CUSTOMER, null).statusCode()).isEqualTo(403);
        HttpResponse<String> unknown = send("POST", "/caches/nothing/invalidate", ADMIN, null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).contains("problem+json"));
        assertThat(send("POST", "/caches/catalog.products/invalidate", ADMIN, "{\"key\":[1]}").statusCode()).isEqualTo(400);
        assertThat(send("POST", "/caches/catalog.products/invalidate", ADMIN, "{\"id\":1}").statusCode()).isEqualTo(400);
        assertThat(send("POST", "/caches/catalog.products/invalidate", ADMIN, "{oops").statusCode()).isEqualTo(400);
    }
}
