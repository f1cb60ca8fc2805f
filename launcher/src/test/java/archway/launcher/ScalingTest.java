package archway.launcher;

import static archway.launcher.StoreClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scaling the app instances of the running system through the operations entry while
 * shoppers browse and order: not one of their requests fails, the topology follows, and
 * every order accepted meanwhile reaches its end.
 *
 * <p>The class shares the running system with the others, so it leaves it as it found it:
 * two instances (again in {@code @AfterAll}, should a test stop halfway).
 */
@ExtendWith(RunningSystem.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScalingTest {

    private static final int CLIENTS = 8;
    private static final long FIRST_PRODUCT = 9201;
    private static final int PRODUCTS = 4;
    private static final Duration PATIENCE = Duration.ofSeconds(120);

    static ArchwaySystem system;
    static StoreClient store;
    static String admin;
    static int instancesBefore;

    @BeforeAll
    static void useTheRunningSystem(ArchwaySystem running) {
        system = running;
        store = new StoreClient(running);
        admin = store.admin(running);
        instancesBefore = running.instances().size();
    }

    @AfterAll
    static void leaveTheInstancesAsTheyWere() {
        if (system != null && system.instances().size() != instancesBefore) {
            system.scaleInstances(instancesBefore);
        }
    }

    @Test
    @Order(1)
    void theOperationsEntryListsTheInstancesWithTheirProcesses() {
        HttpResponse<String> listed = StoreClient.send(HttpRequest.newBuilder(URI.create(system.opsUrl() + "/instances")).build());

        assertThat(listed.statusCode()).isEqualTo(200);
        JsonNode items = json(listed).get("items");
        assertThat(items.findValuesAsText("name")).containsExactly("app-1", "app-2");
        for (JsonNode instance : items) {
            assertThat(instance.get("url").asText()).startsWith("http://");
            assertThat(instance.get("pid").asLong()).isPositive();
            assertThat(instance.get("state").asText()).isEqualTo("up");
        }
    }

    @Test
    @Order(2)
    void changingTheNumberOfInstancesNeedsAnAdministrator() {
        HttpResponse<String> anonymous = putInstances(null, "{\"count\":3}");
        HttpResponse<String> shopper = putInstances(store.newShopper(), "{\"count\":3}");

        assertProblem(anonymous, 401);
        assertProblem(shopper, 403);
        assertThat(system.instances()).hasSize(instancesBefore);
    }

    @Test
    @Order(3)
    void aCountTheSystemCannotRunIsABadRequestAndChangesNothing() {
        assertThat(detail(putInstances(admin, "{\"count\":0}"))).contains("1-8");
        assertThat(detail(putInstances(admin, "{\"count\":9}"))).contains("1-8", "partitions");
        assertThat(detail(putInstances(admin, "{\"count\":\"x\"}"))).contains("count");
        assertThat(detail(putInstances(admin, "{}"))).contains("count");
        // two instances hold 8 connections per schema each; three more would take the rest
        assertThat(detail(putInstances(admin, "{\"count\":6}"))).contains("PostgreSQL", "the most now is 5");
        assertThat(detail(putInstances(admin, ""))).contains("empty");

        assertThat(system.instances()).hasSize(instancesBefore);
    }

    @Test
    @Order(4)
    void noRequestFailsWhileTheInstancesScaleOutAndBackIn() throws Exception {
        for (long id = FIRST_PRODUCT; id < FIRST_PRODUCT + PRODUCTS; id++) {
            stock(id, 1_000_000);
        }
        Load load = new Load();
        load.start();
        try {
            load.awaitMore(40);

            List<JsonNode> scaledOut = scaleTo(3);
            assertThat(scaledOut).extracting(i -> i.get("name").asText()).containsExactly("app-1", "app-2", "app-3");
            assertThat(scaledOut).allSatisfy(instance -> assertThat(instance.get("state").asText()).isEqualTo("up"));
            assertThat(topologyInstances()).hasSize(3);
            load.awaitMore(80);

            List<JsonNode> scaledIn = scaleTo(2);
            assertThat(scaledIn).extracting(i -> i.get("name").asText()).containsExactly("app-1", "app-2");
            assertThat(topologyInstances()).hasSize(2);
            for (JsonNode retired : scaledOut.subList(2, 3)) {
                assertThat(ProcessHandle.of(retired.get("pid").asLong()).map(ProcessHandle::isAlive).orElse(false))
                        .as("%s's process after scaling in", retired.get("name").asText()).isFalse();
            }
            load.awaitMore(40);
        } finally {
            load.stop();
        }

        assertThat(load.failures).as("failed requests").isEmpty();
        assertThat(load.accepted).isNotEmpty();
        load.accepted.forEach((id, shopper) -> assertThat(store.awaitTerminal(shopper, id, PATIENCE).get("status").asText())
                .isIn(StoreClient.TERMINAL));
        JsonNode report = StoreClient.awaitSettled(system, PATIENCE);
        assertThat(report.get("violations").asInt()).as(report.toString()).isZero();
    }

    /**
     * Shoppers reading products and placing orders through the edge, each of {@value #CLIENTS}
     * in a loop until stopped (or ten minutes at most). Every answer but a 200 to a read and
     * a 202 to an order is a failure, and so is no answer.
     */
    private static final class Load {

        private final ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        private final AtomicBoolean stopped = new AtomicBoolean();
        private final AtomicInteger requests = new AtomicInteger();
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        /** Every order answered 202: its id and its shopper's token. */
        final Map<String, String> accepted = new ConcurrentHashMap<>();

        void start() {
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            for (int c = 0; c < CLIENTS; c++) {
                clients.submit(() -> {
                    String shopper;
                    try {
                        shopper = store.newShopper(); // each client signs up at once: a password hash costs about 0.3 s
                    } catch (RuntimeException e) {
                        failures.add("signing up a shopper: " + e);
                        return;
                    }
                    while (!stopped.get() && System.nanoTime() < deadline) {
                        int n = requests.incrementAndGet();
                        try {
                            if (n % 4 == 0) {
                                order(shopper, FIRST_PRODUCT + n % PRODUCTS);
                            } else {
                                read(2_001 + n % 6_000); // distinct products (none another class reads): the edge's cache misses and an instance answers
                            }
                        } catch (UncheckedIOException e) {
                            failures.add(e.getMessage() + ": " + e.getCause());
                        }
                        StoreClient.pause(20);
                    }
                });
            }
        }

        private void read(long productId) {
            HttpResponse<String> response = store.get("/api/v1/products/" + productId, null);
            if (response.statusCode() != 200) {
                failures.add("GET product " + productId + ": " + response.statusCode() + " " + response.body());
            }
        }

        private void order(String shopper, long productId) {
            HttpResponse<String> response = store.order(shopper, productId, 1, "tok_visa");
            if (response.statusCode() == 202) {
                accepted.put(json(response).get("id").asText(), shopper);
            } else {
                failures.add("POST order: " + response.statusCode() + " " + response.body());
            }
        }

        /** Returns once {@code count} more requests have been sent. */
        void awaitMore(int count) {
            int target = requests.get() + count;
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (requests.get() < target && System.nanoTime() < deadline) {
                StoreClient.pause(50);
            }
            assertThat(requests.get()).as("requests sent").isGreaterThanOrEqualTo(target);
        }

        void stop() {
            stopped.set(true);
            clients.close();
        }
    }

    private static List<JsonNode> scaleTo(int count) {
        HttpResponse<String> scaled = putInstances(admin, "{\"count\":" + count + "}");
        assertThat(scaled.statusCode()).as(scaled.body()).isEqualTo(200);
        List<JsonNode> items = new ArrayList<>();
        json(scaled).get("items").forEach(items::add);
        return items;
    }

    private static List<JsonNode> topologyInstances() {
        List<JsonNode> instances = new ArrayList<>();
        for (JsonNode component : json(StoreClient.send(HttpRequest.newBuilder(URI.create(system.opsUrl() + "/topology")).build()))
                .get("components")) {
            if (component.get("role").asText().equals("instance")) {
                instances.add(component);
            }
        }
        return instances;
    }

    private static HttpResponse<String> putInstances(String token, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(system.opsUrl() + "/instances"))
                .timeout(Duration.ofMinutes(5))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return StoreClient.send(request.build());
    }

    /** The detail of a 400 problem. */
    private static String detail(HttpResponse<String> response) {
        assertProblem(response, 400);
        return json(response).get("detail").asText();
    }

    private static void assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(json(response).get("status").asInt()).isEqualTo(status);
    }

    private static void stock(long productId, int available) {
        HttpResponse<String> response = StoreClient.send(HttpRequest.newBuilder(URI.create(system.edgeUrl() + "/api/v1/inventory/" + productId))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"available\":" + available + "}")).build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }
}
