package archway.payment;

import archway.platform.json.Json;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * The card processor over HTTP: {@code POST /v1/charges} of the provider at a base URL, with
 * the idempotency key in {@code Idempotency-Key} and a bounded wait, so a slow provider
 * becomes a retry (same key) instead of a stuck worker.
 */
public final class ProviderClient implements CardProcessor {

    private static final ObjectReader TOLERANT = Json.mapper().reader().without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final URI charges;
    private final Duration timeout;
    private final HttpClient http;

    /**
     * @param provider the provider's base URL, such as {@code http://127.0.0.1:8099}
     * @param timeout  the longest wait for one answer
     */
    public ProviderClient(URI provider, Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("payment provider timeout must be positive, was " + timeout);
        }
        this.charges = provider.resolve("/v1/charges");
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public Charge charge(ChargeRequest request, String idempotencyKey, Map<String, String> context) {
        HttpRequest.Builder post = HttpRequest.newBuilder(charges)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(Json.mapper().createObjectNode()
                        .put("amount", request.amount())
                        .put("currency", request.currency())
                        .put("token", request.token())
                        .put("reference", request.reference())
                        .toString()));
        context.forEach(post::header);
        HttpResponse<String> response;
        try {
            response = http.send(post.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ProcessorUnavailableException("payment provider at " + charges + " did not answer within "
                    + timeout.toMillis() + " ms: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProcessorUnavailableException("interrupted while charging at " + charges, e);
        }
        int status = response.statusCode();
        if (status >= 500 || status == 429 || status == 408) {
            throw new ProcessorUnavailableException("payment provider answered " + status + " for key " + idempotencyKey, null);
        }
        if (status != 200 && status != 201) {
            throw new ChargeRefusedException("payment provider refused key " + idempotencyKey + " with " + status + ": "
                    + abbreviate(response.body()));
        }
        return charge(response.body(), idempotencyKey);
    }

    private static Charge charge(String body, String key) {
        try {
            JsonNode charge = TOLERANT.readTree(body);
            String status = charge.path("status").asText();
            if (!status.equals("approved") && !status.equals("declined")) {
                throw new ChargeRefusedException("payment provider answered key " + key + " with status '" + status + "'");
            }
            return new Charge(charge.path("id").asText(), status.equals("approved"), charge.path("amount").asLong(),
                    charge.path("currency").asText(), charge.path("decline_code").asText(null));
        } catch (IOException e) {
            throw new ChargeRefusedException("payment provider answered key " + key + " with a body that is not JSON");
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }
}
