package archway.platform.server;

import static archway.platform.testing.Http.assertProblem;
import static archway.platform.testing.Http.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import archway.platform.problem.Problem;
import archway.platform.problem.ProblemException;
import archway.platform.telemetry.Telemetry;
import archway.platform.testing.Http;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What every Archway service answers the same way, over real HTTP on a free port. */
class ServiceServerTest {

    private static final String COMPONENT = "server-test";
    private static final int MAX_REQUEST_BYTES = 4 * 1024;

    static final AtomicBoolean ready = new AtomicBoolean();
    static Telemetry telemetry;
    static ServiceServer server;
    static Http http;

    record Item(String name, int quantity) {
    }

    @BeforeAll
    static void start() {
        telemetry = Telemetry.create(COMPONENT);
        server = ServiceServer.start(new ServiceServer.Config(COMPONENT, "127.0.0.1", 0, MAX_REQUEST_BYTES), telemetry,
                ready::get, ServiceServerTest::routes);
        http = new Http(server.url());
    }

    @AfterAll
    static void stop() {
        server.close();
        telemetry.close();
    }

    private static void routes(RoutesConfig r) {
        r.get("/hello", ctx -> ctx.result("hello"));
        r.get("/locked", ctx -> {
            throw ProblemException.unauthorized("sign in first");
        });
        r.get("/limited", ctx -> {
            throw new ProblemException(Problem.of(429, "slow down"), Map.of("Retry-After", "7"));
        });
        r.get("/boom", ctx -> {
            throw new IllegalStateException("connection to db-7.internal refused for user archway_app");
        });
        r.post("/items", ctx -> ctx.status(201).json(Bodies.json(ctx, Item.class)));
    }

    /** The spans of one trace, waiting (boundedly) for the batch exporter to hand them over. */
    private static List<SpanData> spansOf(String traceId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<SpanData> spans = telemetry.recentSpans().ofTrace(traceId);
        while (spans.isEmpty() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
            spans = telemetry.recentSpans().ofTrace(traceId);
        }
        return spans;
    }

    private static String requestIdOf(HttpResponse<String> response) {
        return response.headers().firstValue("X-Request-Id").orElseThrow();
    }

    @Test
    void healthIsUp() {
        HttpResponse<String> response = http.get("/health");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).path("status").asText()).isEqualTo("up");
    }

    @Test
    void readyAnswers503UntilTheServiceIsReadyThen200() {
        ready.set(false);
        HttpResponse<String> starting = http.get("/ready");
        ready.set(true);
        HttpResponse<String> up = http.get("/ready");

        assertThat(starting.statusCode()).isEqualTo(503);
        assertThat(json(starting).path("status").asText()).isEqualTo("starting");
        assertThat(up.statusCode()).isEqualTo(200);
        assertThat(json(up).path("status").asText()).isEqualTo("ready");
    }

    @Test
    void metricsAreInThePrometheusTextFormatTaggedWithTheComponent() {
        HttpResponse<String> response = http.get("/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        assertThat(response.body()).contains("# TYPE jvm_memory_used_bytes gauge")
                .containsPattern("jvm_memory_used_bytes\\{[^}]*component=\"" + COMPONENT + "\"[^}]*} [0-9.E+-]+");
    }

    @Test
    void keepsASaneRequestIdFromTheCaller() {
        String offered = "req-2030.01.15_abc:DEF/42";

        assertThat(requestIdOf(http.get("/hello", "X-Request-Id", offered))).isEqualTo(offered);
        assertThat(requestIdOf(http.get("/hello", "X-Request-Id", "r".repeat(128)))).isEqualTo("r".repeat(128));
    }

    @Test
    void makesUpARequestIdWhenTheCallerSendsNone() {
        String first = requestIdOf(http.get("/hello"));
        String second = requestIdOf(http.get("/hello"));

        assertThat(first).matches("[0-9a-f]{32}");
        assertThat(second).matches("[0-9a-f]{32}").isNotEqualTo(first);
    }

    @Test
    void replacesARequestIdThatIsTooLongOrHasControlCharactersOrSpaces() {
        for (String bad : List.of("r".repeat(129), "abc\tdef", "abc def")) {
            assertThat(requestIdOf(http.get("/hello", "X-Request-Id", bad))).as(bad).matches("[0-9a-f]{32}");
        }
    }

    @Test
    void answersErrorsWithARequestIdToo() {
        assertThat(requestIdOf(http.get("/nowhere", "X-Request-Id", "lost-1"))).isEqualTo("lost-1");
        assertThat(requestIdOf(http.get("/boom", "X-Request-Id", "boom-1"))).isEqualTo("boom-1");
    }

    @Test
    void continuesTheCallersTrace() {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String callerSpanId = "00f067aa0ba902b7";

        HttpResponse<String> response = http.get("/hello", "traceparent", "00-" + traceId + "-" + callerSpanId + "-01");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(spansOf(traceId)).singleElement().satisfies(span -> {
            assertThat(span.getTraceId()).isEqualTo(traceId);
            assertThat(span.getParentSpanId()).isEqualTo(callerSpanId);
            assertThat(span.getKind()).isEqualTo(SpanKind.SERVER);
            assertThat(span.getName()).isEqualTo("GET /hello");
        });
    }

    @Test
    void anUnknownPathIsA404Problem() {
        JsonNode problem = assertProblem(http.get("/nowhere"), 404);

        assertThat(problem.path("type").asText()).isEqualTo("/problems/not-found");
        assertThat(problem.path("detail").asText()).isEqualTo("no resource at /nowhere");
    }

    @Test
    void aWrongMethodIsA405Problem() {
        JsonNode problem = assertProblem(http.postJson("/hello", "{}"), 405);

        assertThat(problem.path("type").asText()).isEqualTo("/problems/method-not-allowed");
        assertThat(problem.path("detail").asText()).isEqualTo("POST is not allowed on /hello");
        assertProblem(http.get("/items"), 405);
    }

    @Test
    void aThrownProblemIsAnsweredWithItsStatusAndHeaders() {
        HttpResponse<String> locked = http.get("/locked");
        HttpResponse<String> limited = http.get("/limited");

        assertThat(assertProblem(locked, 401).path("detail").asText()).isEqualTo("sign in first");
        assertThat(locked.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"archway\"");
        assertThat(assertProblem(limited, 429).path("title").asText()).isEqualTo("Too Many Requests");
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("7");
    }

    @Test
    void aGoodJsonBodyIsRead() {
        HttpResponse<String> response = http.post("/items", "application/json; charset=utf-8", "{\"name\":\"pen\",\"quantity\":3}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(json(response).path("name").asText()).isEqualTo("pen");
        assertThat(json(response).path("quantity").asInt()).isEqualTo(3);
    }

    @Test
    void malformedJsonIsA400Problem() {
        assertThat(assertProblem(http.postJson("/items", "{\"name\": "), 400).path("detail").asText()).contains("malformed JSON");
        assertProblem(http.postJson("/items", "{\"name\":\"pen\",\"quantity\":3} {}"), 400);
        assertProblem(http.postJson("/items", "[1,2]"), 400);
        assertProblem(http.postJson("/items", "null"), 400);
    }

    @Test
    void anUnknownFieldIsA400ProblemNamingTheField() {
        JsonNode problem = assertProblem(http.postJson("/items", "{\"name\":\"pen\",\"quantity\":3,\"price\":0}"), 400);

        assertThat(problem.path("detail").asText()).contains("unknown field 'price'");
    }

    @Test
    void aValueOfTheWrongTypeIsA400ProblemNamingTheField() {
        assertThat(assertProblem(http.postJson("/items", "{\"name\":\"pen\",\"quantity\":\"many\"}"), 400).path("detail").asText())
                .contains("'quantity'");
        assertThat(assertProblem(http.postJson("/items", "{\"name\":\"pen\",\"quantity\":[3]}"), 400).path("detail").asText())
                .contains("'quantity'");
        assertThat(assertProblem(http.postJson("/items", "{\"name\":\"pen\",\"quantity\":2.5}"), 400).path("detail").asText())
                .contains("'quantity'");
    }

    @Test
    void anEmptyBodyIsA400Problem() {
        assertThat(assertProblem(http.postJson("/items", ""), 400).path("detail").asText()).contains("empty");
    }

    @Test
    void aBodyThatIsNotJsonIsA415Problem() {
        assertProblem(http.post("/items", "text/plain", "name=pen&quantity=3"), 415);
        assertProblem(http.post("/items", null, "{\"name\":\"pen\",\"quantity\":3}"), 415);
    }

    @Test
    void aBodyOverTheLimitIsA413Problem() {
        String big = "{\"name\":\"" + "x".repeat(MAX_REQUEST_BYTES) + "\",\"quantity\":1}";

        assertThat(assertProblem(http.postJson("/items", big), 413).path("type").asText()).isEqualTo("/problems/content-too-large");
    }

    @Test
    void aChunkedBodyOverTheLimitIsA413ProblemToo() {
        byte[] big = ("{\"name\":\"" + "x".repeat(MAX_REQUEST_BYTES) + "\",\"quantity\":1}").getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.url() + "/items"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))
                .build();

        assertProblem(send(request), 413);
    }

    @Test
    void anUnexpectedFailureIsA500ProblemThatGivesNothingAway() {
        HttpResponse<String> response = http.get("/boom");

        assertProblem(response, 500);
        assertThat(response.body()).doesNotContain("IllegalStateException", "db-7", "archway_app", "ServiceServerTest");
    }

    @Test
    void configNamesTheSettingAndTheValueItRejects() {
        assertThatIllegalArgumentException().isThrownBy(() -> new ServiceServer.Config(" ", "127.0.0.1", 0, 1))
                .withMessageContaining("component");
        assertThatIllegalArgumentException().isThrownBy(() -> new ServiceServer.Config(null, "127.0.0.1", 0, 1))
                .withMessageContaining("component");
        assertThatIllegalArgumentException().isThrownBy(() -> new ServiceServer.Config("user", "127.0.0.1", -1, 1))
                .withMessageContaining("port").withMessageContaining("user").withMessageContaining("-1");
        assertThatIllegalArgumentException().isThrownBy(() -> ServiceServer.Config.of("user", "127.0.0.1", 65536))
                .withMessageContaining("port").withMessageContaining("65536");
        assertThatIllegalArgumentException().isThrownBy(() -> new ServiceServer.Config("user", "127.0.0.1", 0, 0))
                .withMessageContaining("maxRequestBytes").withMessageContaining("0");
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
