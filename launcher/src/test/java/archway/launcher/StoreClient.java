package archway.launcher;

import archway.platform.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The store's public API as a shopper's script uses it, through the edge of a running
 * system: registration, sign-in, orders. One per test class; each shopper is a new account.
 */
final class StoreClient {

    static final Set<String> TERMINAL = Set.of("CONFIRMED", "REJECTED");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String edge;

    StoreClient(ArchwaySystem system) {
        this.edge = system.edgeUrl();
    }

    /** A new customer account, signed in: its Bearer token. */
    String newShopper() {
        String email = "shopper-" + UUID.randomUUID() + "@example.com";
        HttpResponse<String> registered = post("/api/v1/users", Map.of(),
                "{\"email\":\"" + email + "\",\"password\":\"correct horse battery\",\"name\":\"Shopper\"}");
        if (registered.statusCode() != 201) {
            throw new IllegalStateException("registration answered " + registered.statusCode() + ": " + registered.body());
        }
        return signIn(email, "correct horse battery");
    }

    String signIn(String email, String password) {
        HttpResponse<String> token = post("/api/v1/auth/token", Map.of(),
                "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}");
        if (token.statusCode() != 200) {
            throw new IllegalStateException("sign-in of " + email + " answered " + token.statusCode() + ": " + token.body());
        }
        return json(token).get("access_token").asText();
    }

    /** The administrator, signed in with the password the run folder holds. */
    String admin(ArchwaySystem system) {
        return signIn(RunFolder.ADMIN_EMAIL, system.config().runFolder().adminPassword(null));
    }

    /** {@code POST /api/v1/orders} of one line, with a fresh idempotency key. */
    HttpResponse<String> order(String token, long productId, int quantity, String paymentToken) {
        return order(token, UUID.randomUUID().toString(), orderBody(productId, quantity, paymentToken));
    }

    HttpResponse<String> order(String token, String idempotencyKey, String body) {
        return post("/api/v1/orders", Map.of("Authorization", "Bearer " + token, "Idempotency-Key", idempotencyKey), body);
    }

    static String orderBody(long productId, int quantity, String paymentToken) {
        return "{\"items\":[{\"product_id\":" + productId + ",\"quantity\":" + quantity + "}],\"payment_token\":\""
                + paymentToken + "\"}";
    }

    HttpResponse<String> get(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(edge + path)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request.build());
    }

    /**
     * {@code POST} of a JSON body. A {@code 429} is waited out as its {@code Retry-After}
     * says and the request sent again, as a polite client does: test suites register and
     * sign in many accounts from one address, which the gateway throttles.
     */
    HttpResponse<String> post(String path, Map<String, String> headers, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(edge + path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        HttpResponse<String> response = send(request.build());
        for (int retry = 0; retry < 10 && response.statusCode() == 429; retry++) {
            pause(1000 * response.headers().firstValue("Retry-After").map(Long::parseLong).orElse(1L));
            response = send(request.build());
        }
        return response;
    }

    /** Any method with a JSON body, as {@code token}'s holder (anonymous when {@code null}). */
    HttpResponse<String> send(String method, String path, String token, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(edge + path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request.build());
    }

    /** Polls the order until it reaches CONFIRMED or REJECTED, and returns it then. */
    JsonNode awaitTerminal(String token, String orderId, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        JsonNode order = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = get("/api/v1/orders/" + orderId, token);
            if (response.statusCode() == 200) {
                order = json(response);
                if (TERMINAL.contains(order.get("status").asText())) {
                    return order;
                }
            }
            pause(100);
        }
        throw new AssertionError("order " + orderId + " did not reach a terminal state within " + patience.toSeconds()
                + " s; last seen: " + order);
    }

    /** {@code /verify} of the operations entry once nothing is in flight any more. */
    static JsonNode awaitSettled(ArchwaySystem system, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        JsonNode report = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> verify = send(HttpRequest.newBuilder(URI.create(system.opsUrl() + "/verify")).build());
            if (verify.statusCode() != 200) {
                throw new AssertionError("/verify answered " + verify.statusCode() + ": " + verify.body());
            }
            report = json(verify);
            if (report.get("in_flight").asInt() == 0) {
                return report;
            }
            pause(200);
        }
        throw new AssertionError("still in flight after " + patience.toSeconds() + " s: " + report);
    }

    static JsonNode json(byte[] body) {
        try {
            return Json.mapper().readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + new String(body, java.nio.charset.StandardCharsets.UTF_8), e);
        }
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return Json.mapper().readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + response.body(), e);
        }
    }

    static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
