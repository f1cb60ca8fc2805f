package archway.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code ./archway edge}: its options as an operator types them, and the edge it runs. */
class EdgeCommandTest {

    /**
     * Threads of the process rather than of an edge, started on first use and meant to live
     * as long as the JVM: the JDK's pools (virtual threads' carriers, the common pool) and the
     * logging's writers (the access log's, logback's asynchronous appender).
     */
    private static final Pattern PROCESS_WIDE = Pattern.compile("ForkJoinPool|InnocuousThread|access-log$|AsyncAppender-Worker");

    @Test
    void parsesItsOptionsWithSizesInBytesOrWithSuffixes() {
        EdgeCommand command = parse("--origin", "https://example.org/shop", "--port", "8080", "--host", "0.0.0.0",
                "--cache-size", "128m", "--max-object-size", "512k", "--admin-port", "9090");

        assertThat(command.config().origin()).isEqualTo(URI.create("https://example.org/shop"));
        assertThat(command.config().originPathPrefix()).isEqualTo("/shop");
        assertThat(command.config().host()).isEqualTo("0.0.0.0");
        assertThat(command.config().port()).isEqualTo(8080);
        assertThat(command.config().cacheMaxBytes()).isEqualTo(128L << 20);
        assertThat(command.config().maxCacheableBytes()).isEqualTo(512L << 10);
        assertThat(command.adminPort).isEqualTo(9090);

        EdgeCommand defaults = parse("--origin", "http://127.0.0.1:8081", "--port", "0");
        assertThat(defaults.config().host()).isEqualTo("127.0.0.1");
        assertThat(defaults.config().cacheMaxBytes()).isEqualTo(64L << 20);
        assertThat(defaults.config().maxCacheableBytes()).isEqualTo(1L << 20);
        assertThat(defaults.adminPort).isZero();
        assertThat(parse("--origin", "http://o", "--port", "0", "--cache-size", "1048576", "--max-object-size", "1GiB")
                .cacheSize).isEqualTo(1L << 20);
    }

    @Test
    void rejectsBadOptionsWithAUsageErrorThatNamesThem() {
        List<String[]> bad = List.of(
                new String[] {"--port", "0"},
                new String[] {"--origin", "http://127.0.0.1:8081"},
                new String[] {"--origin", "ftp://example.org", "--port", "0"},
                new String[] {"--origin", "http://example.org/?q=1", "--port", "0"},
                new String[] {"--origin", "not a url", "--port", "0"},
                new String[] {"--origin", "http://127.0.0.1:8081", "--port", "70000"},
                new String[] {"--origin", "http://127.0.0.1:8081", "--port", "eighty"},
                new String[] {"--origin", "http://127.0.0.1:8081", "--port", "0", "--admin-port", "-1"},
                new String[] {"--origin", "http://127.0.0.1:8081", "--port", "0", "--cache-size", "lots"},
                new String[] {"--origin", "http://127.0.0.1:8081", "--port", "0", "--cache-size", "0"},
                new String[] {"--origin", "http://127.0.0.1:8081", "--port", "0", "--cache-size", "64t"},
                new String[] {"--origin", "http://127.0.0.1:8081", "--port", "0", "--cache-size", "99999999999999999999g"},
                new String[] {"--origin", "http://127.0.0.1:8081", "--port", "0", "--cache-size", "1m", "--max-object-size", "2m"});
        for (String[] args : bad) {
            Run run = execute(args);
            String shown = String.join(" ", args);
            assertThat(run.code()).as(shown).isEqualTo(2);
            assertThat(run.err()).as(shown).containsAnyOf("--origin", "--port", "--admin-port", "--cache-size", "--max-object-size")
                    .doesNotContain("Exception", "\tat ");
            assertThat(run.out()).as(shown).isEmpty();
        }
        assertThat(execute("--origin", "ftp://example.org", "--port", "0").err()).contains("http(s)://host[:port]", "ftp://example.org");
        assertThat(execute("--origin", "http://o", "--port", "0", "--cache-size", "lots").err()).contains("'lots'", "64m");
    }

    @Test
    void helpNamesEveryOption() {
        Run run = execute("--help");

        assertThat(run.code()).isZero();
        assertThat(run.out()).contains("--origin", "--port", "--host", "--cache-size", "--max-object-size", "--admin-port", "/purge");
    }

    @Test
    void runsTheEdgeInFrontOfAnOriginAndStopsLeavingNoThreadBehind() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        AtomicInteger calls = new AtomicInteger();
        HttpServer origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        origin.createContext("/", exchange -> {
            byte[] body = ("hello " + calls.incrementAndGet() + " " + exchange.getRequestMethod()).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Cache-Control", "public, max-age=60");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        origin.start();
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            EdgeCommand command = parse("--origin", "http://127.0.0.1:" + origin.getAddress().getPort(), "--port", "0");
            try (EdgeCommand.Running running = command.start()) {
                String edge = running.edge().url();
                assertThat(send(client, edge + "/page").body()).isEqualTo("hello 1 GET");
                HttpResponse<String> hit = send(client, edge + "/page");
                assertThat(hit.body()).isEqualTo("hello 1 GET");
                assertThat(hit.headers().firstValue("X-Cache")).hasValue("HIT");
                assertThat(send(client, running.admin().url() + "/health").statusCode()).isEqualTo(200);
            }
        } finally {
            origin.stop(0);
        }
        assertThat(threadsLeftSince(before)).isEmpty();
    }

    /** Threads started since {@code before} that are still alive, once stopping ones have had a few seconds to end. */
    private static List<String> threadsLeftSince(Set<Thread> before) throws InterruptedException {
        List<String> left = List.of();
        for (int attempt = 0; attempt < 100; attempt++) {
            left = Thread.getAllStackTraces().keySet().stream()
                    .filter(thread -> !before.contains(thread) && thread.isAlive())
                    .filter(thread -> !PROCESS_WIDE.matcher(thread.getName()).lookingAt())
                    .map(Thread::getName)
                    .toList();
            if (left.isEmpty()) {
                return left;
            }
            Thread.sleep(50);
        }
        return left;
    }

    private static HttpResponse<String> send(HttpClient client, String url) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static EdgeCommand parse(String... args) {
        CommandLine commandLine = Main.commandLine();
        String[] all = new String[args.length + 1];
        all[0] = "edge";
        System.arraycopy(args, 0, all, 1, args.length);
        commandLine.parseArgs(all);
        return commandLine.getSubcommands().get("edge").getCommand();
    }

    private static Run execute(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 1];
        all[0] = "edge";
        System.arraycopy(args, 0, all, 1, args.length);
        int code = commandLine.execute(all);
        return new Run(code, out.toString(), err.toString());
    }

    private record Run(int code, String out, String err) {
    }
}
