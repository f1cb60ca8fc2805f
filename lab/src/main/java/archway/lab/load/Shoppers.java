package archway.lab.load;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpMethod;

/**
 * The accounts the {@code order} scenario orders with: opened for the run through the public
 * API ({@code POST /api/v1/users}, then {@code POST /api/v1/auth/token}), before anything is
 * measured. Fresh random e-mail addresses and passwords, so runs never collide and no
 * password is guessable.
 */
final class Shoppers {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** One account and its bearer token. */
    record Shopper(String email, String token) {

        @Override
        public String toString() {
            return "Shopper[email=" + email + "]";
        }
    }

    private Shoppers() {
    }

    /** Opens {@code count} accounts one after the other; the first refusal ends the setup with a {@link LoadException}. */
    /** Throttled answers waited out per setup request before the setup gives up. */
    private static final int MAX_THROTTLED = 30;

    static List<Shopper> open(HttpClient client, String target, int count, Duration timeout) throws InterruptedException {
        String run = HexFormat.of().formatHex(randomBytes(6));
        List<Shopper> shoppers = new ArrayList<>(count);
        for (int n = 1; n <= count; n++) {
            String email = "load-" + run + "-" + n + "@example.com";
            String password = Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(18));
            post(client, target, "/api/v1/users", Map.of("email", email, "password", password, "name", "Load " + n),
                    201, timeout);
            JsonNode token = post(client, target, "/api/v1/auth/token", Map.of("email", email, "password", password),
                    200, timeout);
            String accessToken = LoadJson.text(token, "access_token");
            if (accessToken == null) {
                throw new LoadException("POST /api/v1/auth/token answered without an access_token for shopper " + n);
            }
            shoppers.add(new Shopper(email, accessToken));
        }
        return List.copyOf(shoppers);
    }

    private static JsonNode post(HttpClient client, String target, String path, Map<String, String> fields,
                                 int expected, Duration timeout) throws InterruptedException {
        ContentResponse response = send(client, target + path, fields, timeout);
        // the gateway throttles sign-up and sign-in per address: wait as its Retry-After says
        for (int retry = 0; retry < MAX_THROTTLED && response.getStatus() == 429; retry++) {
            Thread.sleep(1000 * retryAfterSeconds(response));
            response = send(client, target + path, fields, timeout);
        }
        if (response.getStatus() != expected) {
            throw new LoadException("setup: POST " + path + " answered " + response.getStatus() + " (expected "
                    + expected + "): " + abbreviate(response.getContentAsString()));
        }
        try {
            return LoadJson.read(response.getContent());
        } catch (IOException e) {
            throw new LoadException("setup: POST " + path + " answered " + expected + " with a body that is not JSON", e);
        }
    }

    private static ContentResponse send(HttpClient client, String url, Map<String, String> fields, Duration timeout)
            throws InterruptedException {
        try {
            return client.newRequest(url)
                    .method(HttpMethod.POST)
                    .body(new StringRequestContent("application/json", LoadJson.mapper().writeValueAsString(fields)))
                    .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .send();
        } catch (ExecutionException | TimeoutException | IOException e) {
            throw new LoadException("setup: POST " + url + " failed: " + e.getMessage(), e);
        }
    }

    private static long retryAfterSeconds(ContentResponse response) {
        try {
            return Math.max(1, Long.parseLong(response.getHeaders().get("Retry-After")));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
