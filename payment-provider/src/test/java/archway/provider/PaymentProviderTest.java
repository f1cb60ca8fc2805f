package archway.provider;

import static archway.platform.testing.Http.assertProblem;
import static archway.platform.testing.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import archway.platform.telemetry.Telemetry;
import archway.platform.testing.Http;
import archway.store.Store;
import archway.store.embedded.EmbeddedPostgres;
import archway.store.embedded.TestPostgres;
import archway.store.postgres.PostgresStore;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The payment provider over real HTTP, its ledger on embedded PostgreSQL, its clock held still. */
class PaymentProviderTest {

    private static final Instant NOW = Instant.parse("2030-05-01T12:00:00Z");

    @TempDir
    static Path folder;
    static EmbeddedPostgres postgres;
    static Store store;
    static Telemetry telemetry;
    static PaymentProvider provider;
    static Http http;
    static HttpClient putClient;

    @BeforeAll
    static void start() {
        postgres = TestPostgres.start(folder);
        store = PostgresStore.open(postgres.storeConfig(4));
        telemetry = Telemetry.create(PaymentProvider.ROLE);
        PaymentProvider.Config config = new PaymentProvider.Config("127.0.0.1", 0, Duration.ofMillis(200),
                Clock.fixed(NOW, ZoneOffset.UTC));
        provider = PaymentProvider.start(config, store, telemetry);
        http = new Http(provider.url());
        putClient = HttpClient.newHttpClient();
    }

    @AfterEach
    void heal() {
        provider.update(Settings.HEALTHY);
    }

    @AfterAll
    static void stop() {
        http.close();
        putClient.close();
        provider.close();
        telemetry.close();
        store.close();
        postgres.close();
    }

    private static String newKey() {
        return "key-" + UUID.randomUUID();
    }

    private static String newReference() {
        return "order-" + UUID.randomUUID();
    }

    private static String body(long amount, String token, String reference) {
        return "{\"amount\":" + amount + ",\"currency\":\"USD\",\"token\":\"" + token + "\",\"reference\":\"" + reference + "\"}";
    }

    private static HttpResponse<String> charge(String key, String body) {
        return http.postJson("/v1/charges", body, ProviderRoutes.IDEMPOTENCY_KEY, key);
    }

    private static JsonNode created(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(response.headers().firstValue(ProviderRoutes.REPLAYED)).isEmpty();
        return json(response);
    }

    private static JsonNode ledger(String reference) {
        HttpResponse<String> response = http.get("/v1/ledger?reference=" + reference);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode ledger = json(response);
        assertThat(ledger.path("count").asInt()).isEqualTo(ledger.path("charges").size());
        return ledger;
    }

    private static double recorded(String status) {
        return telemetry.registry().get(Processor.CHARGES_METER).tag("status", status).counter().count();
    }

    @Test
    void approvesAChargeAndRecordsItBeforeAnswering() {
        String key = newKey();
        String reference = newReference();
        double approvedBefore = recorded("approved");

        JsonNode charge = created(charge(key, body(1999, "tok_visa", reference)));

        assertThat(charge.path("id").asText()).matches("ch_[0-9a-f]{24}");
        assertThat(charge.path("status").asText()).isEqualTo("approved");
        assertThat(charge.path("amount").asLong()).isEqualTo(1999);
        assertThat(charge.path("currency").asText()).isEqualTo("USD");
        assertThat(charge.path("reference").asText()).isEqualTo(reference);
        assertThat(charge.path("idempotency_key").asText()).isEqualTo(key);
        assertThat(charge.path("created_at").asText()).isEqualTo("2030-05-01T12:00:00Z");
        assertThat(charge.has("decline_code")).isFalse();
        assertThat(charge.has("token")).as("the card token is never shown").isFalse();
        assertThat(ledger(reference).path("charges").get(0)).isEqualTo(charge);
        assertThat(recorded("approved")).isEqualTo(approvedBefore + 1);
    }

    @Test
    void declinesTheDeclineToken() {
        double declinedBefore = recorded("declined");

        JsonNode charge = created(charge(newKey(), body(500, "tok_decline", newReference())));

        assertThat(charge.path("status").asText()).isEqualTo("declined");
        assertThat(charge.path("decline_code").asText()).isEqualTo("card_declined");
        assertThat(recorded("declined")).isEqualTo(declinedBefore + 1);
        assertThat(telemetry.scrape()).contains("provider_charges_total{", "status=\"declined\"");
    }

    @Test
    void approvesTheSlowTokenAfterItsDelay() {
        JsonNode charge = created(charge(newKey(), body(700, "tok_slow", newReference())));

        assertThat(charge.path("status").asText()).isEqualTo("approved");
    }

    @Test
    void answersARetryWithTheSameKeyAndBodyWithTheFirstChargeOnly() {
        String key = newKey();
        String reference = newReference();
        JsonNode first = created(charge(key, body(1999, "tok_decline", reference)));
        double declinedAfterFirst = recorded("declined");

        HttpResponse<String> retry = charge(key, body(1999, "tok_decline", reference));

        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
        assertThat(retry.headers().firstValue(ProviderRoutes.REPLAYED)).contains("true");
        assertThat(json(retry)).isEqualTo(first);
        assertThat(ledger(reference).path("count").asInt()).isEqualTo(1);
        assertThat(recorded("declined")).as("a replay is not a new charge").isEqualTo(declinedAfterFirst);
    }

    @Test
    void refusesTheSameKeyForAnotherCharge() {
        String key = newKey();
        String reference = newReference();
        JsonNode first = created(charge(key, body(1999, "tok_visa", reference)));

        assertProblem(charge(key, body(2999, "tok_visa", reference)), 422);
        assertProblem(charge(key, body(1999, "tok_mastercard", reference)), 422);
        assertProblem(charge(key, body(1999, "tok_visa", newReference())), 422);
        assertProblem(charge(key, body(1999, "tok_visa", reference).replace("USD", "EUR")), 422);

        JsonNode ledger = ledger(reference);
        assertThat(ledger.path("count").asInt()).isEqualTo(1);
        assertThat(ledger.path("charges").get(0)).isEqualTo(first);
    }

    @Test
    void makesOneChargeForTwentySimultaneousRequestsWithOneKey() throws Exception {
        String key = newKey();
        String reference = newReference();
        // the slow token holds every request between its first look for the key and its insert: they all race
        String body = body(4200, "tok_slow", reference);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 20; i++) {
                answers.add(clients.submit(() -> {
                    go.await();
                    return charge(key, body);
                }));
            }
            go.countDown();
        }

        List<HttpResponse<String>> responses = new ArrayList<>();
        for (Future<HttpResponse<String>> answer : answers) {
            responses.add(answer.get());
        }
        JsonNode ledger = ledger(reference);
        assertThat(ledger.path("count").asInt()).isEqualTo(1);
        String id = ledger.path("charges").get(0).path("id").asText();
        assertThat(responses).allSatisfy(response -> assertThat(json(response).path("id").asText()).isEqualTo(id));
        assertThat(responses).extracting(HttpResponse::statusCode).containsOnly(200, 201)
                .filteredOn(status -> status == 201).hasSize(1);
    }

    @Test
    void failsEveryChargeWithoutRecordingItAtErrorRateOneAndChargesAgainAtZero() {
        String key = newKey();
        String reference = newReference();
        double injectedBefore = telemetry.registry().get(Processor.INJECTED_ERRORS_METER).counter().count();
        putSettings("{\"latency_ms\":0,\"error_rate\":1.0}");

        HttpResponse<String> failed = charge(key, body(1999, "tok_visa", reference));

        assertProblem(failed, 503);
        assertThat(failed.headers().firstValue("Retry-After")).contains("1");
        assertThat(ledger(reference).path("count").asInt()).isZero();
        assertThat(telemetry.registry().get(Processor.INJECTED_ERRORS_METER).counter().count()).isEqualTo(injectedBefore + 1);
        assertThat(telemetry.scrape()).contains("provider_injected_errors_total{");

        putSettings("{\"latency_ms\":0,\"error_rate\":0.0}");
        created(charge(key, body(1999, "tok_visa", reference)));
        assertThat(ledger(reference).path("count").asInt()).isEqualTo(1);
    }

    @Test
    void addsTheLatencySettingToChargeCallsAndStillAnswersThemRight() {
        provider.update(new Settings(300, 0.0));
        String key = newKey();
        String reference = newReference();

        long started = System.nanoTime();
        JsonNode charge = created(charge(key, body(1999, "tok_visa", reference)));
        HttpResponse<String> retry = charge(key, body(1999, "tok_visa", reference));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(charge.path("status").asText()).isEqualTo("approved");
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(json(retry).path("id")).isEqualTo(charge.path("id"));
        assertThat(took).as("two calls, each held at least 300 ms").isGreaterThanOrEqualTo(Duration.ofMillis(600));
    }

    @Test
    void rejectsBadChargeRequestsWithA4xxProblemAndRecordsNothing() {
        String reference = newReference();
        String good = body(1999, "tok_visa", reference);

        assertThat(assertProblem(http.postJson("/v1/charges", good), 400).path("detail").asText()).contains("Idempotency-Key");
        assertProblem(charge("", good), 400);
        assertProblem(charge("k".repeat(129), good), 400);
        assertProblem(charge("two words", good), 400);
        assertProblem(http.post("/v1/charges", "text/plain", good, ProviderRoutes.IDEMPOTENCY_KEY, newKey()), 415);
        assertProblem(http.post("/v1/charges", null, good, ProviderRoutes.IDEMPOTENCY_KEY, newKey()), 415);
        assertProblem(http.postJson("/v1/charges", "x".repeat(20 * 1024), ProviderRoutes.IDEMPOTENCY_KEY, newKey()), 413);
        for (String bad : List.of(
                "{\"amount\":1999,", "amount=1999", "", "null", "[]",
                good.replace("1999", "\"lots\""), good.replace("1999", "19.99"), good.replace("1999", "true"),
                good.replace("\"tok_visa\"", "[\"tok_visa\"]"), good.replace("\"USD\"", "{}"),
                good.replace("1999", "-1999"), good.replace("1999", "0"), good.replace("1999", "10000000001"),
                good.replace("tok_visa", "visa"), good.replace("tok_visa", "tok_VISA"), good.replace("tok_visa", "tok_"),
                good.replace("tok_visa", "tok_" + "a".repeat(33)), good.replace("tok_visa", "tok_visa "),
                good.replace("USD", "usd"), good.replace("USD", "US"), good.replace("USD", "USDX"),
                good.replace(reference, "x".repeat(101)), good.replace(reference, ""),
                "{\"amount\":1999,\"currency\":\"USD\",\"token\":\"tok_visa\"}",
                "{\"currency\":\"USD\",\"token\":\"tok_visa\",\"reference\":\"" + reference + "\"}")) {
            assertProblem(charge(newKey(), bad), 400);
        }
        JsonNode unknownField = assertProblem(charge(newKey(), good.replace("}", ",\"capture\":false}")), 400);
        assertThat(unknownField.path("detail").asText()).contains("capture");
        assertThat(assertProblem(charge(newKey(), good.replace("1999", "-5")), 400).path("detail").asText()).contains("amount");
        assertThat(assertProblem(charge(newKey(), good.replace("tok_visa", "4242")), 400).path("detail").asText()).contains("token");

        assertThat(ledger(reference).path("count").asInt()).isZero();
    }

    @Test
    void answersAChargeByIdAndNotFoundForAnyOther() {
        JsonNode charge = created(charge(newKey(), body(1999, "tok_visa", newReference())));

        HttpResponse<String> found = http.get("/v1/charges/" + charge.path("id").asText());

        assertThat(found.statusCode()).isEqualTo(200);
        assertThat(json(found)).isEqualTo(charge);
        assertProblem(http.get("/v1/charges/ch_000000000000000000000000"), 404);
        assertProblem(http.get("/v1/charges/not-a-charge"), 404);
    }

    @Test
    void listsTheLedgerOldestFirstWholeOrByReference() {
        String reference = newReference();
        String first = created(charge(newKey(), body(100, "tok_visa", reference))).path("id").asText();
        String second = created(charge(newKey(), body(200, "tok_decline", reference))).path("id").asText();
        String other = created(charge(newKey(), body(300, "tok_visa", newReference()))).path("id").asText();

        JsonNode ofOrder = ledger(reference);
        assertThat(ofOrder.path("count").asInt()).isEqualTo(2);
        assertThat(ofOrder.path("charges")).extracting(charge -> charge.path("id").asText()).containsExactly(first, second);

        HttpResponse<String> all = http.get("/v1/ledger");
        assertThat(all.statusCode()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        json(all).path("charges").forEach(charge -> ids.add(charge.path("id").asText()));
        assertThat(json(all).path("count").asInt()).isEqualTo(ids.size());
        assertThat(ids).containsSubsequence(first, second, other);

        assertThat(ledger(newReference()).path("count").asInt()).isZero();
        assertProblem(http.get("/v1/ledger?reference="), 400);
        assertProblem(http.get("/v1/ledger?reference=" + "x".repeat(101)), 400);
    }

    @Test
    void showsAndReplacesTheSettingsOverHttp() {
        HttpResponse<String> initial = http.get("/v1/settings");
        assertThat(initial.statusCode()).isEqualTo(200);
        assertThat(json(initial).path("latency_ms").asLong()).isZero();
        assertThat(json(initial).path("error_rate").asDouble()).isZero();

        JsonNode changed = putSettings("{\"latency_ms\":250,\"error_rate\":0.25}");

        assertThat(changed.path("latency_ms").asLong()).isEqualTo(250);
        assertThat(changed.path("error_rate").asDouble()).isEqualTo(0.25);
        assertThat(provider.settings()).isEqualTo(new Settings(250, 0.25));
        assertThat(json(http.get("/v1/settings"))).isEqualTo(changed);
    }

    @Test
    void rejectsBadSettingsWithAProblemAndKeepsTheOldOnes() {
        provider.update(new Settings(10, 0.5));

        for (String bad : List.of("{\"latency_ms\":-1,\"error_rate\":0}", "{\"latency_ms\":60001,\"error_rate\":0}",
                "{\"latency_ms\":0,\"error_rate\":1.5}", "{\"latency_ms\":0,\"error_rate\":-0.1}",
                "{\"latency_ms\":0}", "{\"error_rate\":0.1}", "{\"latency_ms\":1.5,\"error_rate\":0}",
                "{\"latency_ms\":\"slow\",\"error_rate\":0}", "{\"latency_ms\":0,\"error_rate\":0,\"mode\":\"chaos\"}", "{}")) {
            assertProblem(putSettingsResponse(bad), 400);
        }
        assertProblem(http.send("PUT", "/v1/settings", "Content-Type", "application/json"), 400);
        assertProblem(http.send("PUT", "/v1/settings"), 415);
        assertThat(assertProblem(putSettingsResponse("{\"latency_ms\":70000,\"error_rate\":0}"), 400).path("detail").asText())
                .contains("latency_ms", "70000");

        assertThat(provider.settings()).isEqualTo(new Settings(10, 0.5));
    }

    /** The platform's test client sends no PUT with a body: this one does. */
    private static HttpResponse<String> putSettingsResponse(String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(provider.url() + "/v1/settings"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            return putClient.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode putSettings(String body) {
        HttpResponse<String> response = putSettingsResponse(body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }
}
