package archway.lab.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

class LoadCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            --rate=0              | --rate must be 1 to 100000, was 0
            --duration=0          | --duration must be 1ms to 24h, was 0s
            --duration=soon       | is not a duration such as 30s
            --warmup=2h           | --warmup must be 0s to 1h, was 2h
            --connections=0       | --connections must be 1 to 10000, was 0
            --max-in-flight=-1    | --max-in-flight must be 1 to 100000, was -1
            --timeout=0           | --timeout must be 1ms to 10m, was 0s
            --zipf=-1             | --zipf must be a number from 0 (uniform) to 10, was -1.0
            --list-share=1.5      | --list-share must be a number from 0 to 1, was 1.5
            --users=0             | --users must be 1 to 10000, was 0
            --poll-rate=0         | --poll-rate must be 1 to 10000, was 0
            --target=ftp://shop   | --target must be an http:// or https:// URL
            --target=http://shop/?a=1 | --target must be an http:// or https:// URL
            --scenario=checkout   | --scenario
            --json=/no/such/folder/report.json | --json names a file in /no/such/folder
            --path=products       | --path must start with '/'
            --header=NoColon      | --header must look like 'Name: value', was 'NoColon'
            """)
    void rejectsABadOptionWithExitCode2AndAMessageNamingIt(String option, String message) {
        int code = execute(option);

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains(message);
    }

    @Test
    void refusesARunThatSchedulesNoRequest() {
        int code = execute("--rate=1", "--duration=500ms");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--rate 1 for --duration 500ms schedules no request");
    }

    @Test
    void refusesToKeepMoreOrdersThanItCanFollow() {
        int code = execute("--scenario=order", "--rate=10000", "--duration=1m");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("600000 orders", "--no-follow");
    }

    @Test
    void theDefaultsAreAValidConfiguration() {
        LoadCommand command = new LoadCommand();
        new CommandLine(command).setCaseInsensitiveEnumValuesAllowed(true).parseArgs();

        LoadConfig config = command.config();

        assertThat(config.target()).isEqualTo("http://127.0.0.1:8080");
        assertThat(config.scenario()).isEqualTo(Scenario.BROWSE);
        assertThat(config.connections()).isEqualTo(64);
        assertThat(config.maxInFlight()).isEqualTo(2_000);
        assertThat(config.follow()).isTrue();
    }

    @Test
    void theHelpShowsEachDefault() {
        int code = execute("--help");

        assertThat(code).isZero();
        assertThat(out.toString()).contains("--max-in-flight", "(default: 2000)", "(default: 0.99)", "(default: 10s)",
                "--[no-]follow");
    }

    @Test
    void browseReportsOnStandardOutputAndWritesTheFiles(@TempDir Path folder) throws IOException {
        Path json = folder.resolve("report.json");
        Path histogram = folder.resolve("latency.hgrm");
        try (TinyServer shop = TinyServer.answeringOk()) {
            int code = execute("--target=" + shop.url() + "/", "--rate=50", "--duration=500ms", "--json=" + json,
                    "--histogram=" + histogram);

            assertThat(code).as(err.toString()).isZero();
            assertThat(shop.received()).isEqualTo(25);
        }
        assertThat(out.toString()).contains("browse -> http://127.0.0.1:", "25 scheduled, 25 sent, 0 dropped", "latency");
        JsonNode report = LoadJson.read(Files.readAllBytes(json));
        assertThat(report.get("scenario").asText()).isEqualTo("browse");
        assertThat(report.at("/counts/by_code/200").asLong()).isEqualTo(25);
        assertThat(report.at("/latency/p999_ms").isNumber()).isTrue();
        assertThat(report.has("orders")).isFalse();
        assertThat(Files.readString(histogram)).contains("Value", "Percentile", "TotalCount");
    }

    @Test
    void fixedSendsThePathWithTheHeadersEveryTime() {
        Set<String> seen = ConcurrentHashMap.newKeySet();
        try (TinyServer shop = TinyServer.start((exchange, n, server) -> {
            seen.add(exchange.getRequestURI() + " " + exchange.getRequestHeaders().getFirst("Authorization"));
            return TinyServer.Answer.ok("{}");
        })) {
            int code = execute("--target=" + shop.url(), "--scenario=fixed", "--path=/api/v1/products/42?x=1",
                    "--header=Authorization: Bearer abc", "--rate=40", "--duration=500ms");

            assertThat(code).as(err.toString()).isZero();
            assertThat(shop.received()).isEqualTo(20);
        }
        assertThat(seen).containsExactly("/api/v1/products/42?x=1 Bearer abc");
        assertThat(out.toString()).contains("fixed -> http://127.0.0.1:", "20 scheduled, 20 sent, 0 dropped");
    }

    @Test
    void orderOpensShoppersPlacesOrdersAndFollowsThem() {
        Set<String> keys = ConcurrentHashMap.newKeySet();
        try (TinyServer shop = TinyServer.start((exchange, n, server) -> FakeShop.answer(exchange, keys))) {
            int code = execute("--target=" + shop.url(), "--scenario=order", "--users=3", "--rate=40", "--duration=500ms");

            assertThat(code).as(err.toString()).isZero();
        }
        assertThat(keys).hasSize(20);
        assertThat(out.toString()).contains("20 accepted", "CONFIRMED 20", "0 not terminal", "to terminal   p50 1250");
        assertThat(err.toString()).contains("opening 3 shopper accounts", "following 20 accepted orders");
    }

    @Test
    void aSetupTheTargetRefusesEndsWithExitCode1() {
        try (TinyServer shop = TinyServer.start((exchange, n, server) -> new TinyServer.Answer(503, "{\"title\": \"busy\"}"))) {
            int code = execute("--target=" + shop.url(), "--scenario=order", "--rate=10", "--duration=1s");

            assertThat(code).isEqualTo(1);
        }
        assertThat(err.toString()).contains("POST /api/v1/users answered 503 (expected 201)");
    }

    private int execute(String... args) {
        CommandLine command = new CommandLine(new LoadCommand()).setCaseInsensitiveEnumValuesAllowed(true);
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        return command.execute(args);
    }

    /** The few endpoints of the order scenario, as the real services answer them. */
    private static final class FakeShop {

        static TinyServer.Answer answer(com.sun.net.httpserver.HttpExchange exchange, Set<String> keys) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (method.equals("POST") && path.equals("/api/v1/users")) {
                return new TinyServer.Answer(201, "{\"id\": \"" + UUID.randomUUID() + "\"}");
            }
            if (method.equals("POST") && path.equals("/api/v1/auth/token")) {
                return TinyServer.Answer.ok("{\"access_token\": \"token\", \"token_type\": \"Bearer\"}");
            }
            boolean authorized = "Bearer token".equals(exchange.getRequestHeaders().getFirst("Authorization"));
            if (method.equals("POST") && path.equals("/api/v1/orders") && authorized
                    && keys.add(exchange.getRequestHeaders().getFirst("Idempotency-Key"))) {
                return new TinyServer.Answer(202, "{\"id\": \"" + UUID.randomUUID() + "\", \"status\": \"PENDING\"}");
            }
            if (method.equals("GET") && path.startsWith("/api/v1/orders/") && authorized) {
                return TinyServer.Answer.ok("""
                        {"status": "CONFIRMED", "history": [
                          {"status": "PENDING", "at": "2026-12-01T12:00:00Z"},
                          {"status": "CONFIRMED", "at": "2026-12-01T12:00:01.250Z"}]}""");
            }
            return new TinyServer.Answer(400, "{}");
        }
    }
}
