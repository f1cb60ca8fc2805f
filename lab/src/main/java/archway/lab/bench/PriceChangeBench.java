package archway.lab.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPInputStream;
import org.HdrHistogram.Histogram;

/**
 * How long a price change takes to reach every client: the administrator changes a hot
 * product's price through the public entry ({@code PATCH /api/v1/products/{id}}), while
 * readers keep asking the public entry for every representation that shows the price - the
 * product in v1 and v2, with and without gzip, and the listing page that holds it. The
 * change has arrived once each reader has seen the new price {@value #STREAK} times in a row;
 * the propagation time is from the moment the {@code PATCH} was answered to the first read of
 * the last reader's streak. Before each round the readers fill every cache with the old price.
 *
 * <p>Arguments: {@code [edge URL, default http://127.0.0.1:8080] [rounds, default 20] [run folder, default var]};
 * the administrator's password is {@code ARCHWAY_ADMIN_PASSWORD} or the run folder's
 * {@code admin-password} file.
 */
public final class PriceChangeBench {

    private static final int STREAK = 3;
    private static final Duration GIVE_UP = Duration.ofSeconds(30);
    private static final long[] HOT_PRODUCTS = {1, 2, 3, 5, 8};
    private static final ObjectMapper JSON = new ObjectMapper();

    private PriceChangeBench() {
    }

    /** One representation a client may read the price from. */
    private record View(String path, boolean gzip, long productId) {
    }

    public static void main(String[] args) throws Exception {
        String edge = args.length > 0 ? args[0] : "http://127.0.0.1:8080";
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Path runFolder = Path.of(args.length > 2 ? args[2] : "var");
        String password = System.getenv("ARCHWAY_ADMIN_PASSWORD");
        if (password == null) {
            password = Files.readString(runFolder.resolve("admin-password")).strip();
        }
        Histogram afterAnswer = new Histogram(3_600_000_000L, 3);
        Histogram afterSend = new Histogram(3_600_000_000L, 3);
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
             ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor()) {
            String token = signIn(http, edge, password);
            System.out.printf(Locale.ROOT, "%d rounds through %s; each round: one PATCH, readers on v1, v2, gzip and the listing%n",
                    rounds, edge);
            for (int round = 0; round < rounds; round++) {
                long id = HOT_PRODUCTS[round % HOT_PRODUCTS.length];
                List<View> views = views(id);
                long oldPrice = price(read(http, edge, views.getFirst()), id);
                for (View view : views) {
                    read(http, edge, view); // every cache on the way holds the old price now
                    read(http, edge, view);
                }
                long newPrice = oldPrice % 2 == 0 ? oldPrice + 1 : oldPrice - 1;
                AtomicBoolean stop = new AtomicBoolean();
                long sent = System.nanoTime();
                List<Future<Long>> seen = new ArrayList<>();
                for (View view : views) {
                    seen.add(readers.submit(() -> firstOfStreak(http, edge, view, newPrice, stop)));
                }
                patch(http, edge, token, id, newPrice);
                long answered = System.nanoTime();
                long last = 0;
                for (Future<Long> reader : seen) {
                    last = Math.max(last, reader.get());
                }
                stop.set(true);
                afterAnswer.recordValue(Math.max(0, last - answered) / 1_000);
                afterSend.recordValue(Math.max(0, last - sent) / 1_000);
            }
        }
        System.out.println("| measured from | p50 (ms) | p99 (ms) | max (ms) |");
        System.out.println("| --- | ---: | ---: | ---: |");
        row("the PATCH's answer", afterAnswer);
        row("the PATCH's sending", afterSend);
    }

    private static void row(String label, Histogram h) {
        System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.1f |%n", label, h.getValueAtPercentile(50) / 1000.0,
                h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0);
    }

    private static List<View> views(long id) {
        long page = (id - 1) / 20 + 1;
        return List.of(new View("/api/v1/products/" + id, false, id), new View("/api/v1/products/" + id, true, id),
                new View("/api/v2/products/" + id, false, id), new View("/api/v1/products?page=" + page, false, id),
                new View("/api/v1/products?page=" + page, true, id));
    }

    /** Reads {@code view} until the new price shows {@value #STREAK} times in a row; returns when that streak began. */
    private static long firstOfStreak(HttpClient http, String edge, View view, long newPrice, AtomicBoolean stop) throws Exception {
        long deadline = System.nanoTime() + GIVE_UP.toNanos();
        long streakStart = 0;
        int streak = 0;
        while (streak < STREAK && !stop.get()) {
            long at = System.nanoTime();
            if (at > deadline) {
                throw new IllegalStateException(view.path() + " still showed the old price after " + GIVE_UP.toSeconds() + " s");
            }
            if (price(read(http, edge, view), view.productId()) == newPrice) {
                if (streak++ == 0) {
                    streakStart = at;
                }
            } else {
                streak = 0;
            }
        }
        return streakStart;
    }

    private static JsonNode read(HttpClient http, String edge, View view) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(edge + view.path())).timeout(Duration.ofSeconds(5));
        if (view.gzip()) {
            request.header("Accept-Encoding", "gzip");
        }
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(view.path() + " answered " + response.statusCode());
        }
        byte[] body = response.body();
        if (response.headers().firstValue("Content-Encoding").orElse("").equalsIgnoreCase("gzip")) {
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                body = in.readAllBytes();
            }
        }
        return JSON.readTree(body);
    }

    /** The price of product {@code id} in a product or a listing page. */
    private static long price(JsonNode node, long id) {
        if (node.has("items")) {
            for (JsonNode item : node.get("items")) {
                if (item.get("id").asLong() == id) {
                    return item.get("price").get("amount").asLong();
                }
            }
            throw new IllegalStateException("product " + id + " is not on its listing page");
        }
        return node.get("price").get("amount").asLong();
    }

    private static String signIn(HttpClient http, String edge, String password) throws Exception {
        String body = JSON.writeValueAsString(Map.of("email", "admin@archway.local", "password", password));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(edge + "/api/v1/auth/token"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("the administrator cannot sign in: " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body()).get("access_token").asText();
    }

    private static void patch(HttpClient http, String edge, String token, long id, long amount) throws Exception {
        String body = "{\"price\":{\"amount\":" + amount + ",\"currency\":\"USD\"}}";
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(edge + "/api/v1/products/" + id))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("PATCH /api/v1/products/" + id + " answered " + response.statusCode() + " "
                    + response.body());
        }
    }
}
