package archway.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import archway.objects.ObjectStore;
import archway.objects.local.LocalFolderObjectStore;
import archway.platform.net.Ports;
import archway.platform.telemetry.Telemetry;
import archway.platform.testing.Http;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EdgeTest {

    private static final String INDEX = "<!doctype html><title>Archway store</title>";

    @TempDir
    Path objectsFolder;

    private Http http;
    private Origin origin;
    private Telemetry telemetry;
    private ObjectStore objects;
    private Edge edge;

    @BeforeEach
    void start() throws IOException {
        origin = new Origin();
        telemetry = Telemetry.create("edge");
        objects = new LocalFolderObjectStore(objectsFolder.resolve("objects"));
        objects.put("web", "index.html", INDEX.getBytes(StandardCharsets.UTF_8), "text/html");
        objects.put("web", "assets/app.js", "console.log('store')".getBytes(StandardCharsets.UTF_8), "text/javascript");
        Files.writeString(objectsFolder.resolve("secret.txt"), "outside the bucket");
        edge = Edge.start(EdgeConfig.of("127.0.0.1", 0, origin.url()), objects, telemetry);
        http = new Http(edge.url());
    }

    @AfterEach
    void stop() {
        edge.close();
        origin.close();
        telemetry.close();
        http.close();
    }

    private HttpResponse<String> send(String method, String path, String... headers) {
        return http.send(method, path, headers);
    }

    private HttpResponse<String> get(String path, String... headers) {
        return http.get(path, headers);
    }

    private static void assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.body()).contains("\"status\":" + status).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(response.headers().firstValue("X-Request-Id")).isPresent();
    }

    /** Sends a request line exactly as given (HTTP clients normalize paths), returning the raw answer. */
    private String raw(String target) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", edge.port())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void refusesAnOversizeUploadAtTheEdgeWithoutForwardingIt() {
        HttpResponse<String> response = http.post("/api/v1/products/1", "application/json",
                "x".repeat((int) EdgeConfig.DEFAULT_MAX_BODY_BYTES + 1));

        assertProblem(response, 413);
        assertThat(origin.calls).isEmpty();
    }

    @Test
    void aClientStillUploadingAnOversizeBodySeesThe413() throws Exception {
        int length = 3 * 1024 * 1024;
        try (Socket socket = new Socket("127.0.0.1", edge.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/users HTTP/1.1\r\nHost: shop\r\nContent-Type: application/json\r\nContent-Length: " + length
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(200); // the edge has decided by now; the upload goes on as a slow client's would
            byte[] slice = new byte[64 * 1024];
            for (int sent = 0; sent < length; sent += slice.length) {
                out.write(slice);
            }
            out.flush();
            String answer = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);

            assertThat(answer).isEqualTo("HTTP/1.1 413");
        }
        assertThat(origin.calls).isEmpty();
    }

    @Test
    void servesTheStorefrontFromObjectStorage() throws Exception {
        HttpResponse<String> index = get("/");
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.body()).isEqualTo(INDEX);
        assertThat(index.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(index.headers().firstValue("Cache-Control")).hasValue("public, max-age=60");
        assertThat(index.headers().firstValue("ETag")).hasValueSatisfying(etag -> assertThat(etag).startsWith("\""));

        HttpResponse<String> script = get("/assets/app.js");
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.body()).isEqualTo("console.log('store')");
        assertThat(script.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(script.headers().firstValue("Cache-Control")).hasValue("public, max-age=3600");
        assertThat(script.headers().firstValue("X-Request-Id")).isPresent();
    }

    @Test
    void keepsContentHashedAssetsForAYearAndTheIndexForAMinute() throws Exception {
        objects.put("web", "app.3f2a9c1d.js", "console.log('v2')".getBytes(StandardCharsets.UTF_8), "text/javascript");
        objects.put("web", "assets/app.0123456789abcdef.css", "body{}".getBytes(StandardCharsets.UTF_8), "text/css");
        objects.put("web", "app.3f2a9c1.js", "seven hex digits are no hash".getBytes(StandardCharsets.UTF_8), "text/javascript");

        HttpResponse<String> hashed = get("/app.3f2a9c1d.js");
        assertThat(hashed.statusCode()).isEqualTo(200);
        assertThat(hashed.body()).isEqualTo("console.log('v2')");
        assertThat(hashed.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
        assertThat(get("/assets/app.0123456789abcdef.css").headers().firstValue("Cache-Control"))
                .hasValue("public, max-age=31536000, immutable");
        assertThat(get("/app.3f2a9c1.js").headers().firstValue("Cache-Control")).hasValue("public, max-age=3600");
        assertThat(get("/assets/app.js").headers().firstValue("Cache-Control")).as("unhashed names still resolve")
                .hasValue("public, max-age=3600");
        assertThat(get("/").headers().firstValue("Cache-Control")).hasValue("public, max-age=60");
        assertThat(get("/orders").headers().firstValue("Cache-Control")).as("an app route is the index").hasValue("public, max-age=60");
    }

    @Test
    void answersTheAppsRoutesWithItsIndexPage() throws Exception {
        for (String route : new String[] {"/products/42", "/orders", "/account/settings/"}) {
            HttpResponse<String> response = get(route);
            assertThat(response.statusCode()).as(route).isEqualTo(200);
            assertThat(response.body()).as(route).isEqualTo(INDEX);
        }
    }

    @Test
    void answersNotFoundProblemForAMissingAsset() throws Exception {
        assertProblem(get("/assets/missing.js"), 404);
        assertProblem(get("/favicon.ico"), 404);
    }

    @Test
    void answersNotModifiedWhenTheBrowserHasTheSameVersion() throws Exception {
        String etag = get("/assets/app.js").headers().firstValue("ETag").orElseThrow();

        HttpResponse<String> response = get("/assets/app.js", "If-None-Match", etag);

        assertThat(response.statusCode()).isEqualTo(304);
        assertThat(response.body()).isEmpty();
        assertThat(response.headers().firstValue("ETag")).hasValue(etag);
    }

    @Test
    void cachesTheStorefrontLikeAnyOtherOrigin() throws Exception {
        assertThat(get("/assets/app.js").headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(get("/assets/app.js").headers().firstValue("X-Cache")).hasValue("HIT");
    }

    @Test
    void neverServesAnythingOutsideTheBucket() throws Exception {
        for (String target : new String[] {"/../secret.txt", "/../../etc/passwd", "/%2e%2e/secret.txt", "/%2e%2e/%2e%2e/etc/passwd",
                "/assets/..%2f..%2fsecret.txt", "/assets/%2e%2e/%2e%2e/secret.txt", "/a%00b", "/..%5csecret.txt", "//etc/passwd",
                "/assets/app.js%20", "/.hidden"}) {
            String answer = raw(target);
            int status = Integer.parseInt(answer.substring(9, 12));
            assertThat(status).as(target).isBetween(400, 499);
            assertThat(answer).as(target).doesNotContain("outside the bucket").doesNotContain("root:").doesNotContain("Exception")
                    .containsIgnoringCase("X-Request-Id: ");
            if (!answer.contains("Content-Length: 0")) {
                assertThat(answer).as(target).containsIgnoringCase("Content-Type: application/problem+json");
            }
        }
    }

    @Test
    void refusesWritesToTheStorefront() throws Exception {
        assertProblem(send("POST", "/index.html"), 405);
    }

    @Test
    void forwardsTheApiToTheOriginAndTellsItWhoTheClientIs() throws Exception {
        HttpResponse<String> response = get("/api/v1/products/1", "X-Forwarded-For", "198.51.100.1", "X-Request-Id", "req-7");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("answer 1 for /api/v1/products/1");
        assertThat(response.headers().firstValue("X-Request-Id")).hasValue("req-7");
        assertThat(origin.lastHeaders.get("x-request-id")).isEqualTo("req-7");
        assertThat(origin.lastHeaders.get("x-forwarded-for")).as("a client's claim is replaced").isEqualTo("127.0.0.1");
        assertThat(origin.lastHeaders.get("x-forwarded-proto")).isEqualTo("http");
        assertThat(origin.lastHeaders.get("traceparent")).startsWith("00-");
    }

    @Test
    void answersItsOwnHealthWithoutForwarding() throws Exception {
        HttpResponse<String> health = get("/health");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("{\"status\":\"up\"}");
        assertThat(health.headers().firstValue("Server")).isEmpty();
        assertThat(get("/ready").statusCode()).isEqualTo(200);
        assertThat(origin.calls).isEmpty();
    }

    @Test
    void answersBadGatewayProblemWhenTheOriginIsUnreachableAndStillServesTheStorefront() throws Exception {
        edge.close();
        telemetry.close();
        telemetry = Telemetry.create("edge");
        edge = Edge.start(EdgeConfig.of("127.0.0.1", 0, URI.create("http://127.0.0.1:" + Ports.free())), objects, telemetry);
        http.close();
        http = new Http(edge.url());

        assertProblem(get("/api/v1/products/1"), 502);
        assertThat(get("/").statusCode()).isEqualTo(200);
    }

    @Test
    void rejectsSettingsThatCannotWork() {
        URI origin = URI.create("http://127.0.0.1:8080");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> EdgeConfig.of("127.0.0.1", 0, origin).withWebBucket("Web Bucket"))
                .withMessageContaining("edge.webBucket").withMessageContaining("Web Bucket");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> EdgeConfig.of("127.0.0.1", 0, URI.create("ftp://gateway")))
                .withMessageContaining("edge.origin").withMessageContaining("ftp://gateway");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> EdgeConfig.of("127.0.0.1", 0, origin).withCache(1000, 2000))
                .withMessageContaining("edge.maxCacheableBytes").withMessageContaining("2000");
    }
}
