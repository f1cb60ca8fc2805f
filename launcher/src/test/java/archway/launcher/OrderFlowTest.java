package archway.launcher;

import static archway.launcher.StoreClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import archway.platform.auth.JwtKeys;
import archway.platform.auth.Principal;
import archway.platform.auth.TokenIssuer;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The document's write flow end to end on the running system: {@code POST} through edge,
 * gateway and balancer to an instance, {@code 202}, then the saga on real Kafka - stock,
 * the simulated provider, the confirmation - as a shopper and an operator see it.
 *
 * <p>Each test stocks its own products (ids above 9000) through the admin API, so the tests
 * do not depend on one another or on the generated stock.
 */
@ExtendWith(RunningSystem.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OrderFlowTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    static ArchwaySystem system;
    static StoreClient store;
    static String admin;

    @BeforeAll
    static void useTheRunningSystem(ArchwaySystem running) {
        system = running;
        store = new StoreClient(running);
        admin = store.admin(running);
    }

    @AfterEach
    void healthyProvider() {
        providerSettings(0, 0.0);
    }

    @Test
    @Order(1)
    void anApprovedOrderIsAcceptedThenConfirmedWithItsHistoryAndAConfirmationEmail() {
        String shopper = store.newShopper();
        stock(9001, 10);

        HttpResponse<String> accepted = store.order(shopper, 9001, 3, "tok_visa");

        assertThat(accepted.statusCode()).isEqualTo(202);
        JsonNode pending = json(accepted);
        String id = pending.get("id").asText();
        assertThat(accepted.headers().firstValue("Location")).hasValue("/api/v1/orders/" + id);
        assertThat(pending.get("status").asText()).isEqualTo("PENDING");
        JsonNode confirmed = store.awaitTerminal(shopper, id, PATIENCE);
        assertThat(confirmed.get("status").asText()).isEqualTo("CONFIRMED");
        assertThat(confirmed.get("history").findValuesAsText("status")).containsExactly("PENDING", "PAID", "CONFIRMED");
        assertThat(confirmed.get("total").get("amount").asLong())
                .isEqualTo(3 * confirmed.get("items").get(0).get("unit_price").get("amount").asLong());
        assertThat(awaitNotifications(shopper, 1).get(0).get("kind").asText()).isEqualTo("order_confirmed");
        assertThat(availableOf(9001)).isEqualTo(7);
        assertThat(approvedCharges(id)).isEqualTo(1);
    }

    @Test
    @Order(2)
    void aDeclinedPaymentRejectsTheOrderAndGivesTheStockBack() {
        String shopper = store.newShopper();
        stock(9002, 5);

        String id = json(store.order(shopper, 9002, 2, "tok_decline")).get("id").asText();

        JsonNode rejected = store.awaitTerminal(shopper, id, PATIENCE);
        assertThat(rejected.get("status").asText()).isEqualTo("REJECTED");
        assertThat(rejected.get("reason").asText()).isEqualTo("payment_declined");
        awaitAvailable(9002, 5);
        assertThat(approvedCharges(id)).isZero();
        assertThat(awaitNotifications(shopper, 1).get(0).get("kind").asText()).isEqualTo("order_rejected");
    }

    @Test
    @Order(3)
    void anOrderForMoreThanIsInStockIsRejectedAndNeverCharged() {
        String shopper = store.newShopper();
        stock(9003, 1);

        String id = json(store.order(shopper, 9003, 2, "tok_visa")).get("id").asText();

        JsonNode rejected = store.awaitTerminal(shopper, id, PATIENCE);
        assertThat(rejected.get("status").asText()).isEqualTo("REJECTED");
        assertThat(rejected.get("reason").asText()).isEqualTo("out_of_stock");
        assertThat(ledger(id)).isEmpty();
        assertThat(availableOf(9003)).isEqualTo(1);
    }

    @Test
    @Order(4)
    void aProviderThatTimesOutIsAskedAgainWithTheSameKeyAndChargesOnce() {
        String shopper = store.newShopper();
        stock(9004, 5);
        // longer than the payment worker waits (2 s): the first call times out after the provider recorded the charge
        providerSettings(2_500, 0.0);

        String id = json(store.order(shopper, 9004, 1, "tok_visa")).get("id").asText();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (ledger(id).isEmpty() && System.nanoTime() < deadline) {
            StoreClient.pause(50);
        }
        providerSettings(0, 0.0);

        JsonNode confirmed = store.awaitTerminal(shopper, id, PATIENCE);
        assertThat(confirmed.get("status").asText()).isEqualTo("CONFIRMED");
        assertThat(ledger(id)).hasSize(1);
    }

    @Test
    @Order(5)
    void twoHundredShoppersRacingForFiftyUnitsGetExactlyFiftyAndTheRestAreNeverCharged() throws Exception {
        stock(9005, 50);
        List<String> shoppers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            shoppers.add(store.newShopper());
        }
        List<Future<String[]>> placed = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(32)) {
            for (int i = 0; i < 200; i++) {
                String shopper = shoppers.get(i % shoppers.size());
                placed.add(pool.submit(() -> {
                    HttpResponse<String> response = store.order(shopper, 9005, 1, "tok_visa");
                    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
                    return new String[] {shopper, json(response).get("id").asText()};
                }));
            }
        }
        int confirmed = 0;
        int outOfStock = 0;
        for (Future<String[]> order : placed) {
            String[] shopperAndId = order.get();
            JsonNode done = store.awaitTerminal(shopperAndId[0], shopperAndId[1], PATIENCE);
            if (done.get("status").asText().equals("CONFIRMED")) {
                confirmed++;
                assertThat(approvedCharges(shopperAndId[1])).isEqualTo(1);
            } else {
                assertThat(done.get("reason").asText()).isEqualTo("out_of_stock");
                assertThat(ledger(shopperAndId[1])).as("a rejected order is never charged").isEmpty();
                outOfStock++;
            }
        }
        assertThat(confirmed).isEqualTo(50);
        assertThat(outOfStock).isEqualTo(150);
        awaitAvailable(9005, 0);
    }

    @Test
    @Order(6)
    void theSameIdempotencyKeyMakesOneOrderAndAnotherBodyUnderItIsRefused() throws Exception {
        String shopper = store.newShopper();
        String key = UUID.randomUUID().toString();
        String body = StoreClient.orderBody(9006, 1, "tok_visa");
        stock(9006, 100);

        HttpResponse<String> first = store.order(shopper, key, body);
        HttpResponse<String> again = store.order(shopper, key, body);
        HttpResponse<String> other = store.order(shopper, key, StoreClient.orderBody(9006, 2, "tok_visa"));
        Set<String> ids = new HashSet<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(10)) {
            List<Future<HttpResponse<String>>> racing = new ArrayList<>();
            String racingKey = UUID.randomUUID().toString();
            for (int i = 0; i < 10; i++) {
                racing.add(pool.submit(() -> store.order(shopper, racingKey, body)));
            }
            for (Future<HttpResponse<String>> response : racing) {
                assertThat(response.get().statusCode()).isEqualTo(202);
                ids.add(json(response.get()).get("id").asText());
            }
        }

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(json(again).get("id").asText()).isEqualTo(json(first).get("id").asText());
        assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(other.statusCode()).isEqualTo(422);
        assertThat(ids).as("ten concurrent POSTs with one key").hasSize(1);
        assertThat(json(store.get("/api/v1/orders", shopper)).get("total").asLong()).isEqualTo(2);
    }

    @Test
    @Order(7)
    void anotherUsersOrderIsNotFoundAndNotListed() {
        String ann = store.newShopper();
        String bob = store.newShopper();
        String annsOrder = json(store.order(ann, 9001, 1, "tok_visa")).get("id").asText();

        HttpResponse<String> bobAsks = store.get("/api/v1/orders/" + annsOrder, bob);

        assertThat(bobAsks.statusCode()).isEqualTo(404);
        assertThat(json(bobAsks).get("type").asText()).isEqualTo("/problems/not-found");
        assertThat(json(store.get("/api/v1/orders", bob)).get("total").asLong()).isZero();
        assertThat(store.get("/api/v1/orders/" + annsOrder, ann).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(8)
    void badOrdersGetAProblemAndWriteNothing() throws Exception {
        String shopper = store.newShopper();
        String expired = new TokenIssuer(JwtKeys.load(system.config().runFolder().keys()),
                Clock.fixed(Instant.now().minus(Duration.ofHours(3)), ZoneOffset.UTC), Duration.ofHours(1))
                .issue(new Principal(UUID.randomUUID().toString(), "old@example.com", Set.of("customer")));
        String fine = StoreClient.orderBody(9001, 1, "tok_visa");
        Map<String, HttpResponse<String>> attempts = Map.ofEntries(
                Map.entry("no items", store.order(shopper, key(), "{\"items\":[]}")),
                Map.entry("items missing", store.order(shopper, key(), "{}")),
                Map.entry("malformed JSON", store.order(shopper, key(), "{\"items\": [")),
                Map.entry("zero quantity", store.order(shopper, key(), StoreClient.orderBody(9001, 0, "tok_visa"))),
                Map.entry("negative quantity", store.order(shopper, key(), StoreClient.orderBody(9001, -5, "tok_visa"))),
                Map.entry("huge quantity", store.order(shopper, key(),
                        "{\"items\":[{\"product_id\":9001,\"quantity\":99999999999999999999}]}")),
                Map.entry("unknown product", store.order(shopper, key(), StoreClient.orderBody(987654321, 1, "tok_visa"))),
                Map.entry("a string for a number", store.order(shopper, key(),
                        "{\"items\":[{\"product_id\":\"nine\",\"quantity\":1}]}")),
                Map.entry("malformed payment token", store.order(shopper, key(), StoreClient.orderBody(9001, 1, "4242-4242"))),
                Map.entry("mass assignment", store.order(shopper, key(),
                        "{\"items\":[{\"product_id\":9001,\"quantity\":1}],\"status\":\"CONFIRMED\"}")),
                Map.entry("no idempotency key", store.post("/api/v1/orders", Map.of("Authorization", "Bearer " + shopper), fine)),
                Map.entry("oversized idempotency key", store.order(shopper, "k".repeat(200), fine)),
                Map.entry("no token", store.post("/api/v1/orders", Map.of("Idempotency-Key", key()), fine)),
                Map.entry("expired token", store.order(expired, key(), fine)),
                Map.entry("malformed Authorization", store.post("/api/v1/orders",
                        Map.of("Authorization", "Bearer not.a.jwt", "Idempotency-Key", key()), fine)),
                Map.entry("text body", StoreClient.send(HttpRequest.newBuilder(URI.create(system.edgeUrl() + "/api/v1/orders"))
                        .header("Authorization", "Bearer " + shopper).header("Idempotency-Key", key())
                        .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(fine)).build())));

        attempts.forEach((what, response) -> {
            assertThat(response.statusCode()).as(what + ": " + response.body()).isBetween(400, 499);
            assertThat(response.headers().firstValue("Content-Type")).as(what).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(response.body()).as(what).doesNotContain("Exception", "\tat ", "SQL");
        });
        assertThat(attempts.get("expired token").statusCode()).isEqualTo(401);
        assertThat(attempts.get("expired token").headers().firstValue("WWW-Authenticate")).isPresent();
        assertThat(json(store.get("/api/v1/orders", shopper)).get("total").asLong()).as("orders written").isZero();
    }

    @Test
    @Order(9)
    void aPoisonMessageLandsInTheDeadLetterTopic() {
        String eventId = UUID.randomUUID().toString();
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, system.kafkaBootstrap());
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties)) {
            ProducerRecord<String, String> poison = new ProducerRecord<>("orders", UUID.randomUUID().toString(), "{not json");
            poison.headers().add("event_id", eventId.getBytes(StandardCharsets.UTF_8));
            poison.headers().add("event_type", "OrderPlaced".getBytes(StandardCharsets.UTF_8));
            producer.send(poison);
        }

        JsonNode deadLetter = awaitDeadLetter(letter -> letter.get("event").get("id").asText().equals(eventId));

        assertThat(deadLetter.get("group").asText()).isEqualTo("inventory");
        assertThat(deadLetter.get("error").asText()).contains("OrderPlaced");
    }

    @Test
    @Order(10)
    void anOrderWhoseChargeFailedEveryAttemptIsFinishedByAReplayOnceTheProviderIsBack() {
        String shopper = store.newShopper();
        stock(9010, 5);
        providerSettings(0, 1.0);

        String id = json(store.order(shopper, 9010, 1, "tok_visa")).get("id").asText();
        JsonNode deadLetter = awaitDeadLetter(letter -> letter.get("event").get("key").asText().equals(id));
        assertThat(deadLetter.get("group").asText()).isEqualTo("payment");
        assertThat(deadLetter.get("attempts").asInt()).isEqualTo(RunningSystem.TEST_RETRY.maxAttempts());
        assertThat(json(store.get("/api/v1/orders/" + id, shopper)).get("status").asText()).isEqualTo("PENDING");
        providerSettings(0, 0.0);

        String replay = system.opsUrl() + "/dead-letters/" + deadLetter.get("id").asText() + "/replay";
        assertThat(opsPost(replay, null).statusCode()).as("a replay needs the administrator").isEqualTo(401);
        assertThat(opsPost(replay, admin).statusCode()).isEqualTo(200);

        assertThat(store.awaitTerminal(shopper, id, PATIENCE).get("status").asText()).isEqualTo("CONFIRMED");
        assertThat(opsPost(replay, admin).statusCode()).as("a dead letter replays once").isEqualTo(404);
        assertThat(approvedCharges(id)).isEqualTo(1);
    }

    @Test
    @Order(11)
    void theDlqCommandListsDeadLettersAndReplaysEachOnce() {
        JsonNode poison = awaitDeadLetter(letter -> letter.get("group").asText().equals("inventory"));
        String[] where = {"--ops", system.opsUrl(), "--run-dir", system.config().runFolder().root().toString()};

        Run list = dlq("list", where);
        Run replay = dlq("replay", poison.get("id").asText(), where);
        Run again = dlq("replay", poison.get("id").asText(), where);

        assertThat(list.code()).isZero();
        assertThat(list.out()).contains(poison.get("id").asText(), "group=inventory", "OrderPlaced");
        assertThat(replay.code()).as(replay.err()).isZero();
        assertThat(replay.out()).contains("replayed " + poison.get("id").asText());
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).contains("not replayed");
    }

    record Run(int code, String out, String err) {
    }

    private static Run dlq(String command, Object... arguments) {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        List<String> args = new ArrayList<>(List.of("dlq", command));
        for (Object argument : arguments) {
            if (argument instanceof String[] many) {
                args.addAll(List.of(many));
            } else {
                args.add(argument.toString());
            }
        }
        int code = new picocli.CommandLine(new Main()).setOut(new java.io.PrintWriter(out)).setErr(new java.io.PrintWriter(err))
                .execute(args.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    @Order(12)
    void theTraceOfTheOrderRequestReachesThePaymentProviderThroughTheBus() throws Exception {
        String shopper = store.newShopper();
        String traceId = UUID.randomUUID().toString().replace("-", "");
        HttpResponse<String> accepted = store.post("/api/v1/orders", Map.of("Authorization", "Bearer " + shopper,
                        "Idempotency-Key", key(), "traceparent", "00-" + traceId + "-00f067aa0ba902b7-01"),
                StoreClient.orderBody(9001, 1, "tok_visa"));

        store.awaitTerminal(shopper, json(accepted).get("id").asText(), PATIENCE);

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        boolean seen = false;
        while (!seen && System.nanoTime() < deadline) {
            seen = Files.readAllLines(system.config().runFolder().logs().resolve("launcher.log")).stream()
                    .anyMatch(line -> line.contains(traceId) && line.contains("/v1/charges"));
            StoreClient.pause(100);
        }
        assertThat(seen).as("the provider's access log shows the order request's trace id").isTrue();
    }

    @Test
    @Order(100)
    void verifyFindsEveryPromiseKeptOnceTheSagasSettle() {
        JsonNode report = StoreClient.awaitSettled(system, PATIENCE);

        assertThat(report.get("violations").asInt()).as(report.toString()).isZero();
        assertThat(report.get("checks")).hasSize(6);
        assertThat(report.get("orders").get("CONFIRMED").asLong()).isPositive();
    }

    private static String key() {
        return UUID.randomUUID().toString();
    }

    private static void stock(long productId, int available) {
        HttpResponse<String> response = StoreClient.send(HttpRequest.newBuilder(URI.create(system.edgeUrl() + "/api/v1/inventory/" + productId))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"available\":" + available + "}")).build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private static int availableOf(long productId) {
        return json(store.get("/api/v1/inventory/" + productId, null)).get("available").asInt();
    }

    private static void awaitAvailable(long productId, int available) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (availableOf(productId) != available && System.nanoTime() < deadline) {
            StoreClient.pause(100);
        }
        assertThat(availableOf(productId)).isEqualTo(available);
    }

    private static JsonNode awaitNotifications(String shopper, int count) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        JsonNode items = null;
        while (System.nanoTime() < deadline) {
            items = json(store.get("/api/v1/notifications", shopper)).get("items");
            if (items.size() >= count) {
                return items;
            }
            StoreClient.pause(100);
        }
        throw new AssertionError("fewer than " + count + " notifications: " + items);
    }

    private static JsonNode awaitDeadLetter(java.util.function.Predicate<JsonNode> which) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode letters = json(StoreClient.send(HttpRequest.newBuilder(URI.create(system.opsUrl() + "/dead-letters")).build()));
            for (JsonNode letter : letters.get("items")) {
                if (which.test(letter) && !letter.get("replayed").asBoolean()) {
                    return letter;
                }
            }
            StoreClient.pause(100);
        }
        throw new AssertionError("no such dead letter within " + PATIENCE.toSeconds() + " s");
    }

    /** The provider's ledger entries for one order. */
    private static List<JsonNode> ledger(String orderId) {
        JsonNode ledger = json(StoreClient.send(HttpRequest.newBuilder(URI.create(system.paymentProvider().url()
                + "/v1/ledger?reference=" + orderId)).build()));
        List<JsonNode> charges = new ArrayList<>();
        ledger.get("charges").forEach(charges::add);
        return charges;
    }

    private static long approvedCharges(String orderId) {
        return ledger(orderId).stream().filter(charge -> charge.get("status").asText().equals("approved")).count();
    }

    private static void providerSettings(long latencyMs, double errorRate) {
        HttpResponse<String> response = StoreClient.send(HttpRequest.newBuilder(URI.create(system.opsUrl() + "/payment-provider/settings"))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"latency_ms\":" + latencyMs + ",\"error_rate\":" + errorRate + "}"))
                .build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private static HttpResponse<String> opsPost(String url, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return StoreClient.send(request.build());
    }
}
