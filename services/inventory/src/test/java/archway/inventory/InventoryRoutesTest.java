package archway.inventory;

import static archway.platform.testing.Http.assertProblem;
import static archway.platform.testing.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import archway.platform.auth.JwtKeys;
import archway.platform.auth.TokenIssuer;
import archway.platform.auth.TokenVerifier;
import archway.platform.server.ServiceServer;
import archway.platform.telemetry.Telemetry;
import archway.platform.testing.Http;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inventory over real HTTP, on embedded PostgreSQL. */
class InventoryRoutesTest {

    @TempDir
    static Path folder;
    static InventoryFixture fixture;
    static TokenIssuer issuer;
    static Telemetry telemetry;
    static ServiceServer server;
    static Http http;
    static HttpClient putClient;

    @BeforeAll
    static void start() {
        fixture = InventoryFixture.start(folder);
        JwtKeys keys = JwtKeys.generate();
        issuer = new TokenIssuer(keys, Clock.systemUTC(), Duration.ofMinutes(15));
        telemetry = Telemetry.create("inventory-test");
        server = ServiceServer.start(ServiceServer.Config.of("inventory-test", "127.0.0.1", 0), telemetry, () -> true,
                new InventoryRoutes(fixture.inventory(), new TokenVerifier(keys, Clock.systemUTC()))::mount);
        http = new Http(server.url());
        putClient = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stop() {
        putClient.close();
        http.close();
        server.close();
        telemetry.close();
        fixture.close();
    }

    /** A {@code PUT} of {@code body} as JSON, with an {@code Authorization} header unless it is null. */
    private static HttpResponse<String> put(String path, String authorization, String body) throws Exception {
        HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            put.header("Authorization", authorization);
        }
        return putClient.send(put.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void showsAProductsStockToAnyoneWithoutCaching() {
        long product = fixture.stocked(12);

        HttpResponse<String> response = http.get("/api/v1/inventory/" + product);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode stock = json(response);
        assertThat(stock.path("product_id").asLong()).isEqualTo(product);
        assertThat(stock.path("available").asInt()).isEqualTo(12);
        assertThat(stock.path("reserved").asInt()).isZero();
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
    }

    @Test
    void answersAnIdThatIsNotAPositiveWholeNumberWith400AndAnUnknownOneWith404() {
        for (String id : new String[] {"0", "007", "-1", "abc", "1e3", "1" + "0".repeat(18)}) {
            assertProblem(http.get("/api/v1/inventory/" + id), 400);
        }
        assertProblem(http.get("/api/v1/inventory/987654321"), 404);
    }

    @Test
    void letsAnAdministratorSetTheStock() throws Exception {
        long product = fixture.stocked(3);

        HttpResponse<String> response = put("/api/v1/inventory/" + product, "Bearer " + issuer.issue(InventoryFixture.ADMIN),
                "{\"available\":40}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response).path("available").asInt()).isEqualTo(40);
        assertThat(json(http.get("/api/v1/inventory/" + product)).path("available").asInt()).isEqualTo(40);
    }

    @Test
    void refusesToChangeStockForAnyoneElseOrForABadBody() throws Exception {
        long product = fixture.stocked(3);
        String path = "/api/v1/inventory/" + product;
        String admin = "Bearer " + issuer.issue(InventoryFixture.ADMIN);

        assertProblem(put(path, null, "{\"available\":40}"), 401);
        assertProblem(put(path, "Bearer " + issuer.issue(InventoryFixture.CUSTOMER), "{\"available\":40}"), 403);
        assertProblem(put(path, admin, "{\"available\":-1}"), 400);
        assertProblem(put(path, admin, "{\"available\":\"many\"}"), 400);
        assertProblem(put(path, admin, "{\"available\":40,\"reserved\":0}"), 400);
        assertProblem(put("/api/v1/inventory/987654321", admin, "{\"available\":40}"), 404);

        assertThat(json(http.get(path)).path("available").asInt()).isEqualTo(3);
    }
}
