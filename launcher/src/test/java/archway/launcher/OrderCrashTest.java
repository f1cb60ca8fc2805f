package archway.launcher;

import static archway.launcher.StoreClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The write flow's promises through crashes, on a system of its own: an app instance is
 * killed with {@code SIGKILL} in the middle of a burst of orders and started again, then the
 * Kafka broker is. Shoppers retry a failed {@code POST} with the same idempotency key, as a
 * client must when it got no answer. Afterwards every order that was answered {@code 202}
 * reaches exactly one terminal state, nobody is charged twice, and {@code /verify} finds no
 * violation.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OrderCrashTest {

    private static final int BURST = 500;
    private static final int CRASH_AFTER = 150;
    private static final int PRODUCTS = 20;
    private static final long FIRST_PRODUCT = 9101;
    private static final Duration PATIENCE = Duration.ofSeconds(180);

    @TempDir
    static Path runFolder;
    static ArchwaySystem system;
    static StoreClient store;
    static final List<String> shoppers = new ArrayList<>();
    /** Every order answered 202: its id and the shopper's token. */
    static final Map<String, String> accepted = new java.util.concurrent.ConcurrentHashMap<>();

    @BeforeAll
    static void startASystemOfItsOwn() {
        system = ArchwaySystem.start(RunningSystem.testSystem(runFolder));
        store = new StoreClient(system);
        String admin = store.admin(system);
        for (long id = FIRST_PRODUCT; id < FIRST_PRODUCT + PRODUCTS; id++) {
            HttpResponse<String> stocked = StoreClient.send(HttpRequest.newBuilder(URI.create(system.edgeUrl() + "/api/v1/inventory/" + id))
                    .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"available\":1000}")).build());
            assertThat(stocked.statusCode()).isEqualTo(200);
        }
        for (int i = 0; i < 20; i++) {
            shoppers.add(store.newShopper());
        }
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    @Order(1)
    void ordersAcceptedWhileAnInstanceIsKilledAreAllKept() {
        ArchwaySystem.Instance victim = system.instances().getFirst();

        burst(count -> {
            if (count == CRASH_AFTER) {
                victim.process().kill();
            }
        });
        system.restartInstance(victim.name());

        assertThat(accepted).hasSize(BURST);
    }

    @Test
    @Order(2)
    void ordersAcceptedWhileTheBrokerIsKilledAreAllKept() throws Exception {
        CountDownLatch restarted = new CountDownLatch(1);
        Thread restarter = new Thread(() -> {
            StoreClient.pause(3_000); // the broker stays down for a while: orders keep being accepted meanwhile
            system.restartKafka();
            restarted.countDown();
        }, "kafka-restarter");

        burst(count -> {
            if (count == CRASH_AFTER) {
                system.killKafka();
                restarter.start();
            }
        });
        restarted.await();

        assertThat(accepted).hasSize(2 * BURST);
    }

    @Test
    @Order(3)
    void everyAcceptedOrderEndsInExactlyOneTerminalStateAndNothingIsChargedTwice() {
        Map<String, Integer> outcomes = new HashMap<>();
        accepted.forEach((id, shopper) -> {
            JsonNode order = store.awaitTerminal(shopper, id, PATIENCE);
            outcomes.merge(order.get("status").asText(), 1, Integer::sum);
            List<String> history = order.get("history").findValuesAsText("status");
            assertThat(history.stream().filter(StoreClient.TERMINAL::contains)).as(id).hasSize(1);
        });
        assertThat(outcomes.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(2 * BURST);
        assertThat(outcomes.get("CONFIRMED")).isPositive();

        Map<String, Integer> approvedPerOrder = new HashMap<>();
        for (JsonNode charge : json(StoreClient.send(HttpRequest.newBuilder(
                URI.create(system.paymentProvider().url() + "/v1/ledger")).build())).get("charges")) {
            if (charge.get("status").asText().equals("approved")) {
                approvedPerOrder.merge(charge.get("reference").asText(), 1, Integer::sum);
            }
        }
        assertThat(approvedPerOrder.values()).as("approved charges per order").allMatch(count -> count == 1);
        assertThat(approvedPerOrder).hasSize(outcomes.get("CONFIRMED"));

        JsonNode report = StoreClient.awaitSettled(system, PATIENCE);
        assertThat(report.get("violations").asInt()).as(report.toString()).isZero();
        assertThat(report.get("orders").get("total").asLong()).isEqualTo(2 * BURST);
    }

    /**
     * Places {@value #BURST} orders from 16 shoppers at a time, each retried with its own key
     * until it is accepted; {@code onAccepted} hears the running count of accepted orders.
     */
    private static void burst(IntConsumer onAccepted) {
        AtomicInteger count = new AtomicInteger();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            for (int i = 0; i < BURST; i++) {
                String shopper = shoppers.get(i % shoppers.size());
                long product = FIRST_PRODUCT + (i % PRODUCTS);
                String paymentToken = i % 10 == 0 ? "tok_decline" : "tok_visa";
                pool.submit(() -> {
                    String key = UUID.randomUUID().toString();
                    String body = StoreClient.orderBody(product, 1, paymentToken);
                    for (int attempt = 1; attempt <= 50; attempt++) {
                        try {
                            HttpResponse<String> response = store.order(shopper, key, body);
                            if (response.statusCode() == 202) {
                                accepted.put(json(response).get("id").asText(), shopper);
                                onAccepted.accept(count.incrementAndGet());
                                return;
                            }
                        } catch (UncheckedIOException e) {
                            // no answer: the same key again
                        }
                        StoreClient.pause(200);
                    }
                    failures.add(key);
                });
            }
        }
        assertThat(failures).as("orders never accepted").isEmpty();
    }
}
