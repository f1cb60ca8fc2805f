package archway.launcher;

import archway.edge.Edge;
import archway.edge.EdgeAdmin;
import archway.edge.EdgeConfig;
import archway.platform.telemetry.Telemetry;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./archway edge --origin URL --port N}: the edge on its own, as a caching reverse
 * proxy in front of any HTTP origin ({@link EdgeConfig.Mode#PROXY}): every path and every
 * method is forwarded, {@code GET} answers are cached by their own {@code Cache-Control}, text
 * is gzipped. An admin listener on loopback serves {@code /health}, {@code /ready},
 * {@code /metrics} and {@code POST /purge} (see {@link EdgeAdmin}). It runs until Ctrl-C or
 * {@code SIGTERM}, then drains and stops.
 */
@Command(name = "edge", mixinStandardHelpOptions = true,
        description = {"Run the edge on its own: a caching reverse proxy (the CDN) in front of any HTTP origin.",
                "Every path and method is forwarded; GET answers are cached as their Cache-Control allows; text is gzipped.",
                "The admin listener (loopback) serves /health, /ready, /metrics and POST /purge"
                        + " with {\"url\": \"/path?q\"}, {\"tag\": \"t\"} or {\"all\": true}."})
final class EdgeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--origin", required = true, paramLabel = "URL", converter = OriginConverter.class,
            description = "The origin: http(s)://host[:port], optionally with a path prefix put before every path.")
    URI origin;

    @Option(names = "--port", required = true, paramLabel = "N", description = "The port the proxy listens on (0 for any free one).")
    int port;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "The address the proxy binds (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
    String host;

    @Option(names = "--cache-size", paramLabel = "SIZE", defaultValue = "64MiB", converter = ByteSize.class,
            description = "The memory the cache may hold, in bytes or with k/m/g (default: ${DEFAULT-VALUE}).")
    long cacheSize;

    @Option(names = "--max-object-size", paramLabel = "SIZE", defaultValue = "1MiB", converter = ByteSize.class,
            description = "The largest answer body cached; larger ones pass through (default: ${DEFAULT-VALUE}).")
    long maxObjectSize;

    @Option(names = "--admin-port", paramLabel = "P", defaultValue = "0",
            description = "The admin listener's port on 127.0.0.1 (default: ${DEFAULT-VALUE}, any free one).")
    int adminPort;

    /** The edge, its admin listener and their telemetry, running; closing stops all three. */
    record Running(Edge edge, EdgeAdmin admin, Telemetry telemetry) implements AutoCloseable {
        @Override
        public void close() {
            admin.close();
            edge.close();
            telemetry.close();
        }
    }

    /** The edge's settings from the options, or a usage error naming the bad one. */
    EdgeConfig config() {
        if (adminPort < 0 || adminPort > 65535) {
            throw new ParameterException(spec.commandLine(), "--admin-port must be 0-65535 (0 for any free port), was " + adminPort);
        }
        try {
            return EdgeConfig.proxy(host, port, origin).withCache(cacheSize, maxObjectSize);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage()
                    .replace("edge.port", "--port").replace("edge.host", "--host").replace("edge.origin", "--origin")
                    .replace("edge.cacheMaxBytes", "--cache-size").replace("edge.maxCacheableBytes", "--max-object-size"));
        }
    }

    /** Starts the edge and its admin listener as the options say. */
    Running start() {
        EdgeConfig config = config();
        Telemetry telemetry = Telemetry.create("edge");
        Edge edge = null;
        try {
            edge = Edge.start(config, telemetry);
            return new Running(edge, EdgeAdmin.start(edge, telemetry, adminPort), telemetry);
        } catch (RuntimeException e) {
            if (edge != null) {
                edge.close();
            }
            telemetry.close();
            throw e;
        }
    }

    @Override
    public Integer call() {
        Running running = start();
        PrintWriter out = spec.commandLine().getOut();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            out.println("archway edge: stopped");
            out.flush();
            stopped.countDown();
        }, "archway-edge-shutdown"));
        out.println("archway edge: proxy " + running.edge().url() + " -> " + origin + "; admin " + running.admin().url()
                + " (/health, /ready, /metrics, POST /purge); Ctrl-C stops");
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** An origin URL, parsed; whether it is a usable one is the edge's settings' check. */
    static final class OriginConverter implements CommandLine.ITypeConverter<URI> {
        @Override
        public URI convert(String value) {
            try {
                return new URI(value);
            } catch (URISyntaxException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is no URL; use http(s)://host[:port][/path]");
            }
        }
    }

    /** A size in bytes: {@code 1048576}, {@code 512k}, {@code 64m}, {@code 64MiB}, {@code 1g} (k, m, g are powers of 1024). */
    static final class ByteSize implements CommandLine.ITypeConverter<Long> {
        private static final Pattern SIZE = Pattern.compile("(\\d{1,19})\\s*(?:([kmg])i?)?b?");

        @Override
        public Long convert(String value) {
            Matcher matcher = SIZE.matcher(value.trim().toLowerCase(Locale.ROOT));
            if (!matcher.matches()) {
                throw invalid(value);
            }
            int shift = matcher.group(2) == null ? 0 : switch (matcher.group(2)) {
                case "k" -> 10;
                case "m" -> 20;
                default -> 30;
            };
            long bytes;
            try {
                bytes = Long.parseLong(matcher.group(1));
            } catch (NumberFormatException e) {
                throw invalid(value);
            }
            if (bytes < 1 || bytes > Long.MAX_VALUE >> shift) {
                throw invalid(value);
            }
            return bytes << shift;
        }

        private static CommandLine.TypeConversionException invalid(String value) {
            return new CommandLine.TypeConversionException("'" + value
                    + "' is no size; use a positive number of bytes, or one with k, m or g (such as 512k, 64m, 64MiB, 1g)");
        }
    }
}
