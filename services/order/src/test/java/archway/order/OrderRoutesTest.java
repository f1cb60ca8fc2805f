package archway.order;

import static archway.platform.testing.Http.assertProblem;
import static archway.platform.testing.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import archway.bus.Event;
import archway.platform.auth.JwtKeys;
import archway.platform.auth.Principal;
import archway.platform.auth.TokenIssuer;
import archway.platform.auth.TokenVerifier;
import archway.platform.server.ServiceServer;
import archway.platform.telemetry.Telemetry;
import archway.platform.testing.Http;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The order service over real HTTP, on embedded PostgreSQL. */
class OrderRoutesTest {

    private static final String ORDER = "{\"items\":[{\"product_id\":2,\"quantity\":3}],\"payment_token\":\"tok_visa\"}";

    @TempDir
    static Path folder;
    static OrderFixture fixture;
    static TokenIssuer issuer;
    static Telemetry telemetry;
    static ServiceServer server;
    static Http http;

    @BeforeAll
    static void start() {
        fixture = OrderFixture.start(folder);
        JwtKeys keys = JwtKeys.generate();
        issuer = new TokenIssuer(keys, Clock.systemUTC(), Duration.ofMinutes(15));
        telemetry = Telemetry.create("order-test");
        server = ServiceServer.start(ServiceServer.Config.of("order-test", "127.0.0.1", 0), telemetry, () -> true,
                new OrderRoutes(fixture.orders(), new TokenVerifier(keys, Clock.systemUTC()))::mount);
        http = new Http(server.url());
    }

    @AfterAll
    static void stop() {
        http.close();
        server.close();
        telemetry.close();
        fixture.close();
    }

    /** A new customer's {@code Authorization} header value. */
    private static String bearer() {
        return bearer(OrderFixture.customer());
    }

    private static String bearer(Principal customer) {
        return "Bearer " + issuer.issue(customer);
    }

    private static HttpResponse<String> place(String authorization, String key, String body) {
        return http.postJson("/api/v1/orders", body, "Authorization", authorization, "Idempotency-Key", key);
    }

    /**
     * The answer (status line, headers, body) to a POST with an {@code Idempotency-Key} of
     * {@code key}'s bytes as they are: the JDK client would send a non-ASCII character as '?'.
     */
    private static String rawPlace(String bearer, byte[] key) {
        URI url = URI.create(server.url());
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/orders HTTP/1.1\r\nHost: " + url.getAuthority() + "\r\nAuthorization: " + bearer
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + ORDER.length()
                    + "\r\nConnection: close\r\nIdempotency-Key: ").getBytes(StandardCharsets.US_ASCII));
            out.write(key);
            out.write(("\r\n\r\n" + ORDER).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String newKey() {
        return UUID.randomUUID().toString();
    }

    @Test
    void refusesCallersWithoutAValidToken() {
        HttpResponse<String> anonymous = http.postJson("/api/v1/orders", ORDER, "Idempotency-Key", newKey());

        assertProblem(anonymous, 401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).isPresent();
        assertProblem(place("Bearer not-a-token", newKey(), ORDER), 401);
        assertProblem(http.get("/api/v1/orders"), 401);
        assertProblem(http.get("/api/v1/orders/" + UUID.randomUUID()), 401);
    }

    @Test
    void requiresAnIdempotencyKeyOfVisibleAsciiUpTo128Characters() {
        String bearer = bearer();

        assertThat(assertProblem(http.postJson("/api/v1/orders", ORDER, "Authorization", bearer), 400)
                .path("detail").asText()).contains("Idempotency-Key");
        assertThat(assertProblem(place(bearer, "", ORDER), 400).path("detail").asText()).contains("Idempotency-Key");
        assertThat(assertProblem(place(bearer, "k".repeat(129), ORDER), 400).path("detail").asText()).contains("128");
        assertThat(rawPlace(bearer, "clé-1".getBytes(StandardCharsets.UTF_8))).startsWith("HTTP/1.1 400").contains("visible ASCII");
        assertThat(rawPlace(bearer, "clé-1".getBytes(StandardCharsets.ISO_8859_1))).startsWith("HTTP/1.1 400").contains("visible ASCII");
        assertProblem(place(bearer, "two words", ORDER), 400);
        assertThat(place(bearer, "k".repeat(128), ORDER).statusCode()).isEqualTo(202);
    }

    @Test
    void refusesABodyThatIsNotAnOrderInJson() {
        String bearer = bearer();

        assertProblem(http.post("/api/v1/orders", "text/plain", ORDER, "Authorization", bearer, "Idempotency-Key", newKey()), 415);
        assertProblem(place(bearer, newKey(), "{\"items\":[{\"product_id\":2,"), 400);
        assertProblem(place(bearer, newKey(), ""), 400);
        assertThat(assertProblem(place(bearer, newKey(), "{\"items\":[{\"product_id\":2,\"quantity\":3}],\"total\":1}"), 400)
                .path("detail").asText()).contains("total");
        assertThat(assertProblem(place(bearer, newKey(), "{\"items\":[{\"product_id\":2,\"quantity\":0}]}"), 400)
                .path("detail").asText()).contains("quantity");
        assertThat(assertProblem(place(bearer, newKey(), "{\"items\":[{\"product_id\":999,\"quantity\":1}]}"), 400)
                .path("detail").asText()).contains("999");
    }

    @Test
    void acceptsAnOrderWith202AndWhereToFollowIt() {
        String bearer = bearer();

        HttpResponse<String> response = http.postJson("/api/v1/orders", ORDER, "Authorization", bearer,
                "Idempotency-Key", newKey(), "traceparent", OrderFixture.TRACEPARENT);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode order = json(response);
        String id = order.path("id").asText();
        assertThat(order.path("status").asText()).isEqualTo("PENDING");
        assertThat(order.path("total").path("amount").asLong()).isEqualTo(600);
        assertThat(order.path("items").get(0).path("name").asText()).isEqualTo("Product 2");
        assertThat(response.headers().firstValue("Location")).contains("/api/v1/orders/" + id);
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(response.headers().firstValue("Idempotent-Replayed")).isEmpty();

        HttpResponse<String> followed = http.get("/api/v1/orders/" + id, "Authorization", bearer);
        assertThat(followed.statusCode()).isEqualTo(200);
        assertThat(json(followed).path("status").asText()).isEqualTo("PENDING");
        assertThat(fixture.outbox(UUID.fromString(id))).singleElement().satisfies(event -> assertThat(event.headers())
                .as("the event continues the request's trace").hasEntrySatisfying(Event.TRACEPARENT,
                        traceparent -> assertThat(traceparent).contains("4bf92f3577b34da6a3ce929d0e0e4736")));
    }

    @Test
    void answersARetryWithTheSameOrderAndSaysItIsAReplay() {
        String bearer = bearer();
        String key = newKey();
        HttpResponse<String> first = place(bearer, key, ORDER);

        HttpResponse<String> retry = place(bearer, key, ORDER);

        assertThat(retry.statusCode()).isEqualTo(202);
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).contains("true");
        assertThat(retry.headers().firstValue("Location")).isEqualTo(first.headers().firstValue("Location"));
        assertThat(json(retry).path("id")).isEqualTo(json(first).path("id"));
        assertProblem(place(bearer, key, "{\"items\":[{\"product_id\":2,\"quantity\":4}]}"), 422);
    }

    @Test
    void showsCustomersTheirOwnOrdersOnly() {
        Principal ann = OrderFixture.customer();
        String location = place(bearer(ann), newKey(), ORDER).headers().firstValue("Location").orElseThrow();
        String bob = bearer();

        assertProblem(http.get(location, "Authorization", bob), 404);
        assertProblem(http.get("/api/v1/orders/not-an-id", "Authorization", bob), 404);
        assertProblem(http.get("/api/v1/orders/" + UUID.randomUUID(), "Authorization", bob), 404);
        assertThat(json(http.get("/api/v1/orders", "Authorization", bob)).path("total").asLong()).isZero();

        JsonNode anns = json(http.get("/api/v1/orders?size=5", "Authorization", bearer(ann)));
        assertThat(anns.path("total").asLong()).isOne();
        assertThat(location).endsWith(anns.path("items").get(0).path("id").asText());
        assertProblem(http.get("/api/v1/orders?size=0", "Authorization", bearer(ann)), 400);
    }

    @Test
    void anotherCustomersOrderLooksLikeNoOrderAtAllAndCannotBeChanged() {
        Principal ann = OrderFixture.customer();
        String location = place(bearer(ann), newKey(), ORDER).headers().firstValue("Location").orElseThrow();
        String annsOrder = json(http.get(location, "Authorization", bearer(ann))).toString();
        String bob = bearer();

        JsonNode foreign = assertProblem(http.get(location, "Authorization", bob), 404);
        JsonNode missing = assertProblem(http.get("/api/v1/orders/" + UUID.randomUUID(), "Authorization", bob), 404);
        assertThat(foreign.path("title")).as("the same answer as for an order that does not exist").isEqualTo(missing.path("title"));
        assertThat(foreign.toString()).doesNotContain(ann.subject());
        for (String method : List.of("PUT", "PATCH", "DELETE", "POST")) {
            int status = http.send(method, location, "Authorization", bob).statusCode();
            assertThat(status).as(method + " on another's order").isIn(404, 405);
        }

        assertThat(json(http.get(location, "Authorization", bearer(ann))).toString()).isEqualTo(annsOrder);
    }

    @Test
    void aListNeverShowsAnotherCustomersOrdersWhateverTheQueryAsks() {
        Principal ann = OrderFixture.customer();
        Principal bob = OrderFixture.customer();
        String annsLocation = place(bearer(ann), newKey(), ORDER).headers().firstValue("Location").orElseThrow();
        String bobsLocation = place(bearer(bob), newKey(), ORDER).headers().firstValue("Location").orElseThrow();

        for (String query : List.of("", "?customer_id=" + ann.subject(), "?user=" + ann.subject(), "?subject=" + ann.subject())) {
            JsonNode bobs = json(http.get("/api/v1/orders" + query, "Authorization", bearer(bob)));
            assertThat(bobs.path("total").asLong()).as(query).isOne();
            assertThat(bobsLocation).endsWith(bobs.path("items").get(0).path("id").asText());
            assertThat(annsLocation).doesNotEndWith(bobs.path("items").get(0).path("id").asText());
        }
    }

    @Test
    void anIdempotencyKeyBelongsToItsCaller() {
        Principal ann = OrderFixture.customer();
        String key = newKey();
        HttpResponse<String> anns = place(bearer(ann), key, ORDER);

        HttpResponse<String> bobs = place(bearer(), key, ORDER);

        assertThat(bobs.statusCode()).isEqualTo(202);
        assertThat(bobs.headers().firstValue("Idempotent-Replayed")).as("not a replay of another's order").isEmpty();
        assertThat(json(bobs).path("id").asText()).isNotEqualTo(json(anns).path("id").asText());
    }
}
