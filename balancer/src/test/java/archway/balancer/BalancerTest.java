package archway.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import archway.platform.net.Ports;
import archway.platform.telemetry.Telemetry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BalancerTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CLIENT_SPAN_ID = "00f067aa0ba902b7";

    private final List<AutoCloseable> started = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @AfterEach
    void stopEverything() throws Exception {
        for (AutoCloseable component : started.reversed()) {
            component.close();
        }
        http.close();
    }

    private App app(String name) {
        App app = App.start(name);
        started.add(app);
        return app;
    }

    private static BalancerConfig config(URI... instances) {
        return BalancerConfig.of("127.0.0.1", 0, List.of(instances))
                .withHealthChecks("/ready", Duration.ofMillis(500), Duration.ofMillis(400));
    }

    /** A started balancer; the given instances are up (on a busy machine a first probe may time out). */
    private Balancer balancer(BalancerConfig config, App... upInstances) throws InterruptedException {
        Telemetry telemetry = Telemetry.create("balancer");
        started.add(telemetry);
        Balancer balancer = Balancer.start(config, telemetry);
        started.add(balancer);
        for (App instance : upInstances) {
            awaitTrue(instance.name + " up", () -> stateOf(balancer, instance.url()).equals(InstanceState.UP));
        }
        return balancer;
    }

    private HttpResponse<String> send(Balancer balancer, String method, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(balancer.url() + path))
                .timeout(Duration.ofSeconds(5))
                .method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(Balancer balancer, String path, String... headers) throws Exception {
        return send(balancer, "GET", path, headers);
    }

    private static String stateOf(Balancer balancer, URI instance) {
        return balancer.instances().stream().filter(s -> s.url().equals(instance)).findFirst().orElseThrow().state();
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 5 s: " + what);
            }
            Thread.sleep(20);
        }
    }

    private static void assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.body()).contains("\"status\":" + status).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void stoppingTheBalancerLetsARequestInFlightFinish() throws Exception {
        App one = app("one");
        Balancer balancer = balancer(config(one.url()), one);
        var inFlight = http.sendAsync(HttpRequest.newBuilder(URI.create(balancer.url() + "/api/v1/slow"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        awaitTrue("the slow request reached the instance", () -> one.calls.get() == 1);

        balancer.close();

        HttpResponse<String> response = inFlight.get();
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("one");
    }

    @Test
    void spreadsRequestsOverEveryInstanceThatIsUp() throws Exception {
        App one = app("app-1");
        App two = app("app-2");
        Balancer balancer = balancer(config(one.url(), two.url()), one, two);

        Set<String> answeredBy = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> response = get(balancer, "/api/v1/who");
            assertThat(response.statusCode()).isEqualTo(200);
            answeredBy.add(response.body());
        }

        assertThat(answeredBy).containsExactlyInAnyOrder("app-1", "app-2");
        assertThat(one.calls.get()).isEqualTo(5);
        assertThat(two.calls.get()).isEqualTo(5);
    }

    @Test
    void keepsAnsweringWhenOneOfTwoInstancesStops() throws Exception {
        App one = app("app-1");
        App two = app("app-2");
        Balancer balancer = balancer(config(one.url(), two.url()), one, two);
        assertThat(get(balancer, "/api/v1/who").statusCode()).isEqualTo(200);

        two.close();

        for (int i = 0; i < 40; i++) {
            HttpResponse<String> response = get(balancer, "/api/v1/who");
            assertThat(response.statusCode()).as("request %d after app-2 stopped", i).isEqualTo(200);
            assertThat(response.body()).isEqualTo("app-1");
        }
        assertThat(stateOf(balancer, two.url())).isIn(InstanceState.EJECTED, InstanceState.DOWN);
        assertThat(stateOf(balancer, one.url())).isEqualTo(InstanceState.UP);
    }

    @Test
    void ejectsAnInstanceThatRefusesConnectionsWithoutWaitingForHealthChecks() throws Exception {
        App one = app("app-1");
        App two = app("app-2");
        Balancer balancer = balancer(config(one.url(), two.url())
                .withHealthChecks("/ready", Duration.ofMinutes(10), Duration.ofSeconds(1)), one, two);
        two.close();

        for (int i = 0; i < 4; i++) {
            HttpResponse<String> response = send(balancer, "POST", "/api/v1/who");
            assertThat(response.statusCode()).as("POST %d: a refused connection sent nothing, so it goes to app-1", i).isEqualTo(200);
            assertThat(response.body()).isEqualTo("app-1");
        }
        assertThat(stateOf(balancer, two.url())).isEqualTo(InstanceState.EJECTED);
    }

    @Test
    void aPostWhoseConnectionWasRefusedReachesAnotherInstanceWithItsWholeBody() throws Exception {
        App one = app("app-1");
        App two = app("app-2");
        Balancer balancer = balancer(config(one.url(), two.url())
                .withHealthChecks("/ready", Duration.ofMinutes(10), Duration.ofSeconds(1)), one, two);
        two.close();
        String body = "order-".repeat(20_000); // 120 kB: more than the proxy reads in one go

        for (int i = 0; i < 2; i++) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(balancer.url() + "/api/v1/who"))
                    .timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.ofString(body + i)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
        }

        assertThat(one.postedBodies).containsExactly(body + 0, body + 1);
    }

    @Test
    void routesByPathToSeveralPoolsAndAnswersNotFoundWhereNoRouteMatches() throws Exception {
        App api = app("api-1");
        App web = app("web-1");
        BalancerConfig config = BalancerConfig.of("127.0.0.1", 0,
                        List.of(PoolConfig.of("api", List.of(api.url())).withAlgorithm(Algorithm.PEAK_EWMA),
                                PoolConfig.of("web", List.of(web.url()))),
                        List.of(Route.path("/api/v1", "api"), Route.path("/api/v2", "web")))
                .withHealthChecks("/ready", Duration.ofMillis(500), Duration.ofMillis(400));
        Balancer balancer = balancer(config, api, web);

        assertThat(get(balancer, "/api/v1/who").body()).isEqualTo("api-1");
        HttpResponse<String> v2 = get(balancer, "/api/v2/who");
        assertThat(v2.statusCode()).as("web-1 has no such route").isEqualTo(404);
        assertThat(web.calls.get()).isZero();
        assertProblem(get(balancer, "/elsewhere"), 404);
        assertThat(balancer.instances()).extracting(InstanceState::pool).containsExactly("api", "web");
        assertThat(balancer.instances("web")).extracting(InstanceState::url).containsExactly(web.url());
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> balancer.add("db", web.url()))
                .withMessageContaining("'db'").withMessageContaining("[api, web]");
    }

    @Test
    void neverEjectsTheLastInstanceThatIsUp() throws Exception {
        App one = app("app-1");
        Balancer balancer = balancer(config(one.url()).withHealthChecks("/ready", Duration.ofMinutes(10), Duration.ofSeconds(1)), one);
        one.close();

        assertProblem(send(balancer, "POST", "/api/v1/who"), 502);
        assertProblem(get(balancer, "/api/v1/who"), 502);
        assertThat(stateOf(balancer, one.url())).isEqualTo(InstanceState.UP);
    }

    @Test
    void answersServiceUnavailableProblemWhenNoInstanceIsHealthy() throws Exception {
        URI nobody = URI.create("http://127.0.0.1:" + Ports.free());
        Balancer balancer = balancer(config(nobody));

        HttpResponse<String> response = get(balancer, "/api/v1/who");

        assertProblem(response, 503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(response.headers().firstValue("X-Request-Id")).isPresent();
        assertThat(balancer.instances()).extracting(InstanceState::state).containsExactly(InstanceState.STARTING);
        assertThat(get(balancer, "/ready").statusCode()).isEqualTo(503);
    }

    @Test
    void answersGatewayTimeoutProblemWhenTheInstanceIsTooSlow() throws Exception {
        App one = app("app-1");
        Balancer balancer = balancer(config(one.url()).withUpstreamTimeout(Duration.ofMillis(200)), one);

        assertProblem(get(balancer, "/api/v1/slow"), 504);
    }

    @Test
    void continuesTheClientsTraceWithItsOwnSpan() throws Exception {
        App one = app("app-1");
        Balancer balancer = balancer(config(one.url()), one);

        get(balancer, "/api/v1/who", "traceparent", "00-" + TRACE_ID + "-" + CLIENT_SPAN_ID + "-01");

        String received = one.lastHeaders.get("traceparent");
        assertThat(received).startsWith("00-" + TRACE_ID + "-").endsWith("-01");
        String parentSpanId = received.split("-")[2];
        assertThat(parentSpanId).hasSize(16).isNotEqualTo(CLIENT_SPAN_ID);
    }

    @Test
    void keepsTheClientsRequestIdAndMakesOneUpOtherwise() throws Exception {
        App one = app("app-1");
        Balancer balancer = balancer(config(one.url()), one);

        HttpResponse<String> kept = get(balancer, "/api/v1/who", "X-Request-Id", "test-request-42");
        assertThat(kept.headers().allValues("X-Request-Id")).containsExactly("test-request-42");
        assertThat(one.lastHeaders.get("x-request-id")).isEqualTo("test-request-42");

        HttpResponse<String> made = get(balancer, "/api/v1/who");
        String id = made.headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(id).hasSize(32);
        assertThat(one.lastHeaders.get("x-request-id")).isEqualTo(id);
    }

    @Test
    void answersItsOwnHealthReadinessAndMetricsWithoutForwarding() throws Exception {
        App one = app("app-1");
        Balancer balancer = balancer(config(one.url()), one);

        HttpResponse<String> health = get(balancer, "/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("{\"status\":\"up\"}");
        assertThat(get(balancer, "/ready").statusCode()).isEqualTo(200);
        get(balancer, "/api/v1/who");
        HttpResponse<String> metrics = get(balancer, "/metrics");
        assertThat(metrics.body()).contains("http_server_requests_seconds_count").contains("balancer_instances");
        assertThat(metrics.headers().firstValue("Server")).isEmpty();
        assertThat(one.calls.get()).isEqualTo(1);
    }

    @Test
    void sendsTrafficToAnAddedInstanceOnceItPassesAHealthCheck() throws Exception {
        App one = app("app-1");
        App two = app("app-2");
        Balancer balancer = balancer(config(one.url()), one);

        assertThat(balancer.add(two.url())).isTrue();
        awaitTrue("app-2 up", () -> stateOf(balancer, two.url()).equals(InstanceState.UP));

        Set<String> answeredBy = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            answeredBy.add(get(balancer, "/api/v1/who").body());
        }
        assertThat(answeredBy).containsExactlyInAnyOrder("app-1", "app-2");

        assertThat(balancer.remove(one.url())).isTrue();
        assertThat(Stream.of(get(balancer, "/api/v1/who"), get(balancer, "/api/v1/who")).map(HttpResponse::body))
                .containsOnly("app-2");
    }

    @Test
    void reportsEachInstancesStateAndSinceWhenForTheTopology() throws Exception {
        App one = app("app-1");
        URI nobody = URI.create("http://127.0.0.1:" + Ports.free());
        Instant start = Instant.parse("2026-11-01T10:00:00Z");
        Telemetry telemetry = Telemetry.create("balancer");
        started.add(telemetry);
        Balancer balancer = Balancer.start(config(one.url(), nobody), telemetry, Clock.fixed(start, ZoneOffset.UTC));
        started.add(balancer);
        awaitTrue("app-1 up", () -> stateOf(balancer, one.url()).equals(InstanceState.UP));

        assertThat(balancer.instances()).extracting(InstanceState::pool, InstanceState::url, InstanceState::state, InstanceState::since)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("app", one.url(), InstanceState.UP, start),
                        org.assertj.core.groups.Tuple.tuple("app", nobody, InstanceState.STARTING, start));
    }

    @Test
    void rejectsSettingsThatCannotWork() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> BalancerConfig.of("127.0.0.1", 70000, List.of()))
                .withMessageContaining("balancer.port").withMessageContaining("70000");
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> BalancerConfig.of("127.0.0.1", 0, List.of(URI.create("http://127.0.0.1:1/app"))))
                .withMessageContaining("balancer.pools.app.instances").withMessageContaining("http://127.0.0.1:1/app");
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> BalancerConfig.of("127.0.0.1", 0, List.of(PoolConfig.of("app", List.of())), List.of(Route.all("web"))))
                .withMessageContaining("balancer.routes").withMessageContaining("'web'");
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> new Route("shop.example.com:8080", "/", "app")).withMessageContaining("shop.example.com:8080");
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> new PoolConfig.Ejection(5, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(10), 150))
                .withMessageContaining("maxEjectedPercent").withMessageContaining("150");
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> new PoolConfig.RetryBudget(20, 10, Duration.ofMillis(1500)))
                .withMessageContaining("retryBudget.window");
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> config().withHealthChecks("/ready", Duration.ofMillis(100), Duration.ofMillis(100)))
                .withMessageContaining("balancer.healthTimeout");
    }

}
