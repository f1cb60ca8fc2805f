package archway.edge;

import static org.assertj.core.api.Assertions.assertThat;

import archway.platform.telemetry.Telemetry;
import archway.platform.testing.Http;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EdgeCompressionTest {

    private static final String TEXT = AnyOrigin.TEXT.substring(0, AnyOrigin.TEXT_BYTES);

    private AnyOrigin origin;
    private Telemetry telemetry;
    private Edge edge;
    private Http http;

    @BeforeEach
    void start() {
        origin = new AnyOrigin();
        telemetry = Telemetry.create("edge");
        edge = Edge.start(EdgeConfig.proxy("127.0.0.1", 0, origin.url()), telemetry);
        http = new Http(edge.url());
    }

    @AfterEach
    void stop() {
        edge.close();
        telemetry.close();
        origin.close();
        http.close();
    }

    /** {@code headers} are name, value pairs; the body as the client received it, undecoded. */
    private HttpResponse<byte[]> get(String path, String... headers) {
        return http.getBytes(path, headers);
    }

    private HttpResponse<byte[]> getGzip(String path, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Accept-Encoding";
        all[1] = "gzip";
        System.arraycopy(headers, 0, all, 2, headers.length);
        return get(path, all);
    }

    private static String gunzip(byte[] bytes) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    @Test
    void compressesTextForAGzipClientAndReplaysTheCompressedBytesOnHits() {
        HttpResponse<byte[]> first = getGzip("/text/page");
        HttpResponse<byte[]> second = getGzip("/text/page");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(header(first, "Content-Encoding")).isEqualTo("gzip");
        assertThat(header(first, "Vary")).containsIgnoringCase("Accept-Encoding");
        assertThat(first.body().length).isLessThan(TEXT.length() / 4);
        assertThat(gunzip(first.body())).isEqualTo(TEXT);
        assertThat(header(first, "X-Cache")).isEqualTo("MISS");
        assertThat(header(second, "X-Cache")).isEqualTo("HIT");
        assertThat(header(second, "Content-Encoding")).isEqualTo("gzip");
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(origin.callsTo("/text/page")).isEqualTo(1);
    }

    @Test
    void givesAClientThatAsksForNoEncodingThePlainBytes() {
        HttpResponse<byte[]> response = get("/text/plain-page");

        assertThat(header(response, "Content-Encoding")).isNull();
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(TEXT);
        assertThat(header(response, "Vary")).containsIgnoringCase("Accept-Encoding");
    }

    @Test
    void compressesTextTypesOnly() {
        for (String type : new String[] {"text/css", "application/json", "application/problem+json", "application/javascript",
                "image/svg+xml", "text/plain;charset=utf-8"}) {
            HttpResponse<byte[]> response = getGzip("/text/typed?type=" + type.replace(";", "%3B").replace("+", "%2B"));
            assertThat(header(response, "Content-Encoding")).as(type).isEqualTo("gzip");
            assertThat(gunzip(response.body())).as(type).isEqualTo(TEXT);
        }
        for (String type : new String[] {"image/png", "application/octet-stream", "font/woff2", "application/zip"}) {
            HttpResponse<byte[]> response = getGzip("/text/typed?type=" + type.replace("+", "%2B"));
            assertThat(header(response, "Content-Encoding")).as(type).isNull();
            assertThat(new String(response.body(), StandardCharsets.UTF_8)).as(type).isEqualTo(TEXT);
        }
    }

    @Test
    void leavesSmallBodiesUncompressed() {
        HttpResponse<byte[]> response = getGzip("/small");

        assertThat(header(response, "Content-Encoding")).isNull();
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("small");
    }

    @Test
    void neverEncodesAnAnswerTheOriginEncodedAlready() {
        HttpResponse<byte[]> response = getGzip("/encoded");

        assertThat(response.headers().allValues("Content-Encoding")).containsExactly("gzip");
        assertThat(gunzip(response.body())).isEqualTo(AnyOrigin.TEXT);
    }

    @Test
    void answersNotModifiedToTheCompressedVariantsETag() {
        HttpResponse<byte[]> first = getGzip("/text/tagged");
        String etag = header(first, "ETag");
        assertThat(etag).isNotEqualTo("\"t1\"").contains("t1");

        HttpResponse<byte[]> fromCache = getGzip("/text/tagged", "If-None-Match", etag);
        assertThat(fromCache.statusCode()).isEqualTo(304);
        assertThat(fromCache.body()).isEmpty();

        HttpResponse<byte[]> revalidated = getGzip("/text/tagged", "If-None-Match", etag, "Cache-Control", "no-cache");
        assertThat(revalidated.statusCode()).as("the origin sees its own ETag and says 304").isEqualTo(304);
        assertThat(origin.lastHeaders.get("if-none-match")).isEqualTo("\"t1\"");
        assertThat(header(revalidated, "ETag")).as("the 304 names the variant the client holds").isEqualTo(etag);
        assertThat(header(fromCache, "ETag")).isEqualTo(etag);
    }

    @Test
    void answersNotModifiedToThePlainVariantsETag() {
        HttpResponse<byte[]> first = get("/text/plain-tagged");
        assertThat(header(first, "ETag")).isEqualTo("\"t1\"");

        assertThat(get("/text/plain-tagged", "If-None-Match", "\"t1\"").statusCode()).isEqualTo(304);
    }
}
