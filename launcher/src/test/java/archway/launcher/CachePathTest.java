package archway.launcher;

import static archway.launcher.StoreClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The cache path "CDN -> app cache -> database" of the running system, with two app
 * instances: a price change made through the public entry reaches every cache that held the
 * old price (both instances' application caches, the gateway's and the edge's HTTP caches,
 * every representation); a change made on one instance reaches the other's cache through
 * the bus; the operations side purges the HTTP caches and drops app-cache entries.
 *
 * <p>Uses products 9401-9420, which no other class reads.
 */
@ExtendWith(RunningSystem.class)
class CachePathTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    static ArchwaySystem system;
    static StoreClient store;
    static String admin;

    @BeforeAll
    static void useTheRunningSystem(ArchwaySystem running) {
        system = running;
        store = new StoreClient(running);
        admin = store.admin(running);
    }

    @AfterAll
    static void closeTheClient() {
        HTTP.close();
    }

    @Test
    void aPriceChangeThroughThePublicEntryReachesEveryCacheThatHeldTheOldPrice() {
        long id = 9401;
        String product = "/api/v1/products/" + id;
        String page = "/api/v1/products?page=" + ((id - 1) / 20 + 1);
        long before = priceOf(edge(product, null), id);
        edge(product, null);
        edge(product, "gzip");
        edge(page, null);
        edge("/api/v2/products/" + id, null);
        assertThat(edge(product, null).headers().firstValue("X-Cache")).hasValue("HIT");
        for (ArchwaySystem.Instance instance : system.instances()) {
            assertThat(priceOf(direct(instance, product), id)).isEqualTo(before);
        }

        long after = before + 101;
        HttpResponse<String> changed = store.send("PATCH", product, admin,
                "{\"price\":{\"amount\":" + after + ",\"currency\":\"USD\"}}");

        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        assertThat(json(changed).get("price").get("amount").asLong()).isEqualTo(after);
        for (String path : List.of(product, page, "/api/v2/products/" + id)) {
            awaitPrice(() -> edge(path, null), id, after, path + " through the edge");
        }
        awaitPrice(() -> edge(product, "gzip"), id, after, product + " gzipped through the edge");
        for (ArchwaySystem.Instance instance : system.instances()) {
            awaitPrice(() -> direct(instance, product), id, after, product + " on " + instance.name());
        }
        awaitHit(product, id, after); // cached again, with the new price: the purge is over
    }

    @Test
    void aChangeMadeOnOneInstanceReachesTheOtherInstancesCacheThroughTheBus() {
        long id = 9402;
        String product = "/api/v1/products/" + id;
        List<ArchwaySystem.Instance> instances = system.instances();
        ArchwaySystem.Instance first = instances.get(0);
        ArchwaySystem.Instance second = instances.get(1);
        long before = priceOf(direct(second, product), id);
        assertThat(priceOf(direct(second, product), id)).isEqualTo(before); // held by the second's cache now

        HttpResponse<String> changed = StoreClient.send(HttpRequest.newBuilder(first.url().resolve(product))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"description\":\"changed on app-1\"}")).build());

        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        awaitField(() -> direct(second, product), "description", "changed on app-1", "the second instance's copy");
    }

    @Test
    void theOperationsEntryPurgesTheHttpCachesByTagAndByUrl() {
        String product = "/api/v1/products/9403";
        edge(product, null);
        assertThat(edge(product, null).headers().firstValue("X-Cache")).hasValue("HIT");

        HttpResponse<String> purged = ops("POST", "/cache/purge", admin, "{\"tag\":\"product-9403\"}");

        assertThat(purged.statusCode()).as(purged.body()).isEqualTo(200);
        assertThat(json(purged).get("purged").get("edge").asInt()).isPositive();
        assertThat(edge(product, null).headers().firstValue("X-Cache")).hasValue("MISS");

        assertThat(json(ops("POST", "/cache/purge", admin, "{\"url\":\"" + product + "\"}")).get("purged").get("edge").asInt())
                .isPositive();
        assertThat(edge(product, null).headers().firstValue("X-Cache")).hasValue("MISS");
        HttpResponse<String> unknown = ops("POST", "/cache/purge", admin, "{\"tag\":\"no-such-tag\"}");
        assertThat(unknown.statusCode()).isEqualTo(200);
        assertThat(json(unknown).get("purged").get("edge").asInt()).isZero();
    }

    @Test
    void purgesRefuseBadRequestsAndCallersWithoutTheAdministratorsToken() {
        for (String body : List.of("{}", "{\"url\":\"/a\",\"tag\":\"b\"}", "{\"url\":\"no-slash\"}", "{\"tag\":\"a b\"}",
                "{\"all\":false}", "{\"url\":5}", "[1]", "not json")) {
            HttpResponse<String> refused = ops("POST", "/cache/purge", admin, body);
            assertThat(refused.statusCode()).as(body).isEqualTo(400);
            assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
        }
        assertThat(ops("POST", "/cache/purge", null, "{\"all\":true}").statusCode()).isEqualTo(401);
        assertThat(ops("POST", "/caches/catalog.products/invalidate", null, "{}").statusCode()).isEqualTo(401);
    }

    @Test
    void theOperationsEntryShowsAndDropsTheAppInstancesCaches() {
        HttpResponse<String> caches = ops("GET", "/caches", null, null);
        assertThat(caches.statusCode()).isEqualTo(200);
        assertThat(json(caches).get("items")).hasSize(system.instances().size());
        assertThat(caches.body()).contains("catalog.products");

        HttpResponse<String> dropped = ops("POST", "/caches/catalog.products/invalidate", admin, "{\"key\":9404}");
        assertThat(dropped.statusCode()).as(dropped.body()).isEqualTo(200);
        assertThat(json(dropped).get("items").findValuesAsText("instance")).hasSize(system.instances().size());
        assertThat(ops("POST", "/caches/catalog.products/invalidate", admin, "").statusCode()).isEqualTo(200);

        assertThat(ops("POST", "/caches/no.such.cache/invalidate", admin, "{}").statusCode()).isEqualTo(404);
        assertThat(ops("POST", "/caches/catalog.products/invalidate", admin, "{\"key\":[1]}").statusCode()).isEqualTo(400);
    }

    private static HttpResponse<byte[]> edge(String path, String encoding) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(system.edgeUrl() + path)).timeout(Duration.ofSeconds(10));
        if (encoding != null) {
            request.header("Accept-Encoding", encoding);
        }
        return bytes(request.build());
    }

    private static HttpResponse<byte[]> direct(ArchwaySystem.Instance instance, String path) {
        return bytes(HttpRequest.newBuilder(instance.url().resolve(path)).timeout(Duration.ofSeconds(10)).build());
    }

    private static HttpResponse<byte[]> bytes(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> ops(String method, String path, String token, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(system.opsUrl() + path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return StoreClient.send(request.build());
    }

    /** The price of product {@code id} in a product or in a listing page (a gzipped answer is decoded first). */
    private static long priceOf(HttpResponse<byte[]> response, long id) {
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = decoded(response);
        if (body.has("items")) {
            for (JsonNode item : body.get("items")) {
                if (item.get("id").asLong() == id) {
                    return item.get("price").get("amount").asLong();
                }
            }
            throw new AssertionError("product " + id + " is not on its page: " + body);
        }
        return body.get("price").get("amount").asLong();
    }

    private static JsonNode decoded(HttpResponse<byte[]> response) {
        if (!response.headers().firstValue("Content-Encoding").orElse("").equals("gzip")) {
            return json(response.body());
        }
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(response.body()))) {
            return json(in.readAllBytes());
        } catch (IOException e) {
            throw new AssertionError("a gzipped answer that does not decode", e);
        }
    }

    private static void awaitPrice(Supplier<HttpResponse<byte[]>> read, long id, long price, String what) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        long seen = -1;
        while (System.nanoTime() < deadline) {
            seen = priceOf(read.get(), id);
            if (seen == price) {
                return;
            }
            StoreClient.pause(20);
        }
        throw new AssertionError(what + " still shows " + seen + " instead of " + price + " after " + PATIENCE.toSeconds() + " s");
    }

    private static void awaitHit(String path, long id, long price) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<byte[]> response = edge(path, null);
            if (response.headers().firstValue("X-Cache").orElse("").equals("HIT")) {
                assertThat(priceOf(response, id)).isEqualTo(price);
                return;
            }
            StoreClient.pause(20);
        }
        throw new AssertionError(path + " is not cached again " + PATIENCE.toSeconds() + " s after the change");
    }

    private static void awaitField(Supplier<HttpResponse<byte[]>> read, String field, String value, String what) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        String seen = null;
        while (System.nanoTime() < deadline) {
            seen = decoded(read.get()).get(field).asText();
            if (seen.equals(value)) {
                return;
            }
            StoreClient.pause(20);
        }
        throw new AssertionError(what + " still shows " + field + " '" + seen + "' after " + PATIENCE.toSeconds() + " s");
    }
}
