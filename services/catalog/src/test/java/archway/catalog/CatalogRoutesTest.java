package archway.catalog;

import static archway.platform.testing.Http.assertProblem;
import static archway.platform.testing.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import archway.catalog.CatalogFixture.Instance;
import archway.platform.auth.JwtKeys;
import archway.platform.auth.TokenIssuer;
import archway.platform.auth.TokenVerifier;
import archway.platform.server.ServiceServer;
import archway.platform.telemetry.Telemetry;
import archway.platform.testing.Http;
import archway.store.embedded.EmbeddedPostgres;
import archway.store.embedded.TestPostgres;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The catalog over real HTTP, seeded once, on embedded PostgreSQL. */
class CatalogRoutesTest {

    @TempDir
    static Path folder;
    static EmbeddedPostgres postgres;
    static CatalogFixture fixture;
    static Instance instance;
    static Telemetry telemetry;
    static ServiceServer server;
    static Http http;
    static TokenIssuer issuer;
    static HttpClient client;

    @BeforeAll
    static void start() {
        postgres = TestPostgres.start(folder);
        fixture = new CatalogFixture(postgres, folder);
        instance = fixture.instance("", "objects");
        instance.catalog().seedIfEmpty();
        telemetry = Telemetry.create("catalog-test");
        JwtKeys keys = JwtKeys.generate();
        issuer = new TokenIssuer(keys, Clock.systemUTC(), Duration.ofMinutes(15));
        server = ServiceServer.start(ServiceServer.Config.of("catalog-test", "127.0.0.1", 0), telemetry, () -> true,
                new CatalogRoutes(instance.catalog(), new TokenVerifier(keys, Clock.systemUTC()))::mount);
        http = new Http(server.url());
        client = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stop() {
        client.close();
        http.close();
        server.close();
        telemetry.close();
        fixture.close();
        postgres.close();
    }

    private static List<JsonNode> items(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<JsonNode> items = new ArrayList<>();
        json(response).path("items").forEach(items::add);
        return items;
    }

    @Test
    void listsTheFirstPageOfAllProductsByDefault() {
        HttpResponse<String> response = http.get("/api/v1/products");

        JsonNode page = json(response);
        assertThat(items(response)).hasSize(20);
        assertThat(page.path("page").asInt()).isEqualTo(1);
        assertThat(page.path("size").asInt()).isEqualTo(20);
        assertThat(page.path("total").asLong()).isEqualTo(10_000);
        assertThat(page.path("items").get(0).path("id").asLong()).isEqualTo(1);
    }

    @Test
    void listsTheRequestedPageAndAnEmptyOneBeyondTheEnd() {
        List<JsonNode> second = items(http.get("/api/v1/products?page=2&size=5"));
        assertThat(second).extracting(item -> item.path("id").asLong()).containsExactly(6L, 7L, 8L, 9L, 10L);

        HttpResponse<String> beyond = http.get("/api/v1/products?page=101&size=100");
        assertThat(items(beyond)).isEmpty();
        assertThat(json(beyond).path("total").asLong()).isEqualTo(10_000);
    }

    @Test
    void findsProductsByTextInNameOrDescriptionInAnyLetterCase() {
        HttpResponse<String> response = http.get("/api/v1/products?q=WALNUT&size=100");

        long total = json(response).path("total").asLong();
        assertThat(total).isBetween(1L, 9_999L);
        assertThat(items(response)).isNotEmpty().allSatisfy(item ->
                assertThat((item.path("name").asText() + " " + item.path("description").asText()).toLowerCase(Locale.ROOT))
                        .contains("walnut"));
        assertThat(json(http.get("/api/v1/products?q=%25")).path("total").asLong()).as("% is taken literally").isZero();
    }

    @Test
    void filtersByExactCategory() {
        long books = instance.catalog().categories().stream()
                .filter(category -> category.name().equals("Books")).findFirst().orElseThrow().productCount();

        HttpResponse<String> response = http.get("/api/v1/products?category=Books&size=100");

        assertThat(json(response).path("total").asLong()).isEqualTo(books);
        assertThat(items(response)).hasSize(100).allSatisfy(item -> assertThat(item.path("category").asText()).isEqualTo("Books"));
        assertThat(json(http.get("/api/v1/products?category=books")).path("total").asLong()).isZero();
        assertThat(json(http.get("/api/v1/products?category=Books&q=cookbook")).path("total").asLong()).isBetween(1L, books - 1);
    }

    @Test
    void answersAProductWithItsPriceInMinorUnitsAndItsImageUrl() {
        HttpResponse<String> response = http.get("/api/v1/products/1");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode product = json(response);
        assertThat(product.path("id").asLong()).isEqualTo(1);
        assertThat(product.path("sku").asText()).matches("[A-Z]{3}-000001");
        assertThat(product.path("name").asText()).isNotBlank();
        assertThat(product.path("description").asText()).isNotBlank();
        assertThat(product.path("category").asText()).isNotBlank();
        assertThat(product.path("price").path("amount").isIntegralNumber()).isTrue();
        assertThat(product.path("price").path("currency").asText()).isEqualTo("USD");
        assertThat(product.path("image_url").asText()).isEqualTo("/api/v1/products/1/image");
        assertThat(product.path("stock").isIntegralNumber()).isTrue();
    }

    @Test
    void answersNotFoundForAnUnknownProduct() {
        assertProblem(http.get("/api/v1/products/10001"), 404);
        assertProblem(http.get("/api/v1/products/999999999999999999"), 404);
        assertProblem(http.get("/api/v1/products/10001/image"), 404);
    }

    @Test
    void rejectsBadPagingValuesAndIdsWithAProblem() {
        for (String query : List.of("page=0", "page=-1", "page=abc", "page=1.5", "page=99999999999", "page=100001",
                "size=0", "size=101", "size=1000", "size=-5", "size=ten", "q=" + "x".repeat(101))) {
            assertProblem(http.get("/api/v1/products?" + query), 400);
        }
        for (String id : List.of("abc", "-1", "0", "1.5", "1e3", "99999999999999999999")) {
            assertProblem(http.get("/api/v1/products/" + id), 400);
            assertProblem(http.get("/api/v1/products/" + id + "/image"), 400);
        }
    }

    @Test
    void letsClientsRevalidateWithTheETag() {
        for (String path : List.of("/api/v1/products/7", "/api/v1/products?page=3", "/api/v1/categories")) {
            HttpResponse<String> first = http.get(path);
            String etag = first.headers().firstValue("ETag").orElseThrow();
            assertThat(etag).matches("\"[0-9a-f]{32}\"");
            assertThat(first.headers().firstValue("Cache-Control"))
                    .contains("public, max-age=5, s-maxage=300, stale-while-revalidate=30, stale-if-error=600");

            HttpResponse<String> revalidated = http.get(path, "If-None-Match", etag);
            assertThat(revalidated.statusCode()).isEqualTo(304);
            assertThat(revalidated.body()).isEmpty();
            assertThat(revalidated.headers().firstValue("ETag")).contains(etag);

            assertThat(http.get(path, "If-None-Match", "W/" + etag + ", \"other\"").statusCode()).isEqualTo(304);
            assertThat(http.get(path, "If-None-Match", "\"something-else\"").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void servesTheSecondReadFromTheCacheWithoutAskingTheStore() {
        double before = instance.storeQueries();
        assertThat(http.get("/api/v1/products/4242").statusCode()).isEqualTo(200);
        double afterFirst = instance.storeQueries();

        assertThat(http.get("/api/v1/products/4242").statusCode()).isEqualTo(200);
        assertThat(http.get("/api/v1/products?q=amber&page=2").statusCode()).isEqualTo(200);
        double afterPage = instance.storeQueries();
        assertThat(http.get("/api/v1/products?q=amber&page=2").statusCode()).isEqualTo(200);

        assertThat(afterFirst).isEqualTo(before + 1);
        assertThat(afterPage).isGreaterThan(afterFirst);
        assertThat(instance.storeQueries()).isEqualTo(afterPage);
        assertThat(instance.registry().get("cache.gets").tags("cache", "catalog.products", "result", "hit")
                .functionCounter().count()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void servesAProductImageAsSvgThatBrowsersMayKeepForADay() {
        HttpResponse<String> image = http.get("/api/v1/products/3/image");

        assertThat(image.statusCode()).isEqualTo(200);
        assertThat(image.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("image/svg+xml"));
        assertThat(image.headers().firstValue("Cache-Control")).contains("public, max-age=86400");
        assertThat(image.body()).startsWith("<svg").contains(instance.catalog().product(3).sku());
        String etag = image.headers().firstValue("ETag").orElseThrow();
        assertThat(http.get("/api/v1/products/3/image", "If-None-Match", etag).statusCode()).isEqualTo(304);
    }

    @Test
    void listsTheCategoriesForTheStorefrontFilter() {
        List<JsonNode> categories = items(http.get("/api/v1/categories"));

        assertThat(categories).hasSize(20);
        assertThat(categories).extracting(category -> category.path("name").asText()).contains("Books", "Audio").isSorted();
        assertThat(categories).allSatisfy(category -> assertThat(category.path("product_count").asLong()).isPositive());
    }

    /** Every product a v2 listing yields when a client follows {@code next_cursor} to the end. */
    private static List<JsonNode> allPagesOf(String query) {
        List<JsonNode> all = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            HttpResponse<String> response = http.get("/api/v2/products?" + query + (cursor == null ? "" : "&cursor=" + cursor));
            all.addAll(items(response));
            JsonNode next = json(response).path("next_cursor");
            assertThat(json(response).has("next_cursor")).as("next_cursor is always there").isTrue();
            assertThat(json(response).has("total")).as("no total in v2").isFalse();
            cursor = next.isNull() ? null : next.asText();
            assertThat(++pages).as("pages of " + query).isLessThanOrEqualTo(10_001);
        } while (cursor != null);
        return all;
    }

    private static List<Long> ids(List<JsonNode> products) {
        return products.stream().map(product -> product.path("id").asLong()).toList();
    }

    @Test
    void v2PagesThroughEveryProductByCursorWithoutDuplicatesOrGaps() {
        List<JsonNode> all = allPagesOf("limit=100");

        assertThat(ids(all)).hasSize(10_000).doesNotHaveDuplicates().isSorted();
        assertThat(ids(all).getFirst()).isEqualTo(1);
        assertThat(ids(all).getLast()).isEqualTo(10_000);
        assertThat(all).allSatisfy(product -> {
            assertThat(product.has("stock")).as("v2 products leave stock to the inventory").isFalse();
            assertThat(product.path("price").path("amount").isIntegralNumber()).isTrue();
        });
    }

    @Test
    void v2ListsTwentyProductsByDefaultAndEndsWithANullCursor() {
        HttpResponse<String> first = http.get("/api/v2/products");
        assertThat(ids(items(first))).containsExactlyElementsOf(LongStream.rangeClosed(1, 20).boxed().toList());
        String cursor = json(first).path("next_cursor").asText();
        assertThat(cursor).matches("[A-Za-z0-9_-]+");

        HttpResponse<String> second = http.get("/api/v2/products?limit=5&cursor=" + cursor);
        assertThat(ids(items(second))).containsExactly(21L, 22L, 23L, 24L, 25L);

        HttpResponse<String> last = http.get("/api/v2/products?limit=100&cursor=" + ProductCursorQuery.cursorAfter(9_950));
        assertThat(items(last)).hasSize(50);
        assertThat(json(last).path("next_cursor").isNull()).isTrue();
        HttpResponse<String> beyond = http.get("/api/v2/products?cursor=" + ProductCursorQuery.cursorAfter(10_000));
        assertThat(items(beyond)).isEmpty();
        assertThat(json(beyond).path("next_cursor").isNull()).isTrue();
    }

    @Test
    void v2PagesRespectTheCategoryAndTextFilters() {
        long books = instance.catalog().categories().stream()
                .filter(category -> category.name().equals("Books")).findFirst().orElseThrow().productCount();
        List<JsonNode> allBooks = allPagesOf("category=Books&limit=37");
        assertThat(ids(allBooks)).hasSize((int) books).doesNotHaveDuplicates().isSorted();
        assertThat(allBooks).allSatisfy(product -> assertThat(product.path("category").asText()).isEqualTo("Books"));

        long walnutTotal = json(http.get("/api/v1/products?q=walnut")).path("total").asLong();
        List<JsonNode> walnut = allPagesOf("q=WALNUT&limit=100");
        assertThat(ids(walnut)).hasSize((int) walnutTotal).doesNotHaveDuplicates().isSorted();
        assertThat(walnut).allSatisfy(item ->
                assertThat((item.path("name").asText() + " " + item.path("description").asText()).toLowerCase(Locale.ROOT))
                        .contains("walnut"));
        assertThat(items(http.get("/api/v2/products?category=Books&q=cookbook&limit=100")))
                .allSatisfy(product -> assertThat(product.path("category").asText()).isEqualTo("Books"));
    }

    @Test
    void v2AnswersAProductWithoutStockAndNotFoundForAnUnknownOne() {
        HttpResponse<String> response = http.get("/api/v2/products/1");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode product = json(response);
        JsonNode v1 = json(http.get("/api/v1/products/1"));
        assertThat(product.has("stock")).isFalse();
        for (String field : List.of("id", "sku", "name", "description", "category", "price")) {
            assertThat(product.path(field)).as(field).isEqualTo(v1.path(field));
        }
        assertThat(product.path("image_url").asText()).isEqualTo("/api/v2/products/1/image");
        assertThat(http.get(product.path("image_url").asText()).statusCode()).isEqualTo(200);
        assertProblem(http.get("/api/v2/products/10001"), 404);
        assertProblem(http.get("/api/v2/products/abc"), 400);
    }

    @Test
    void v2RejectsABadCursorOrLimitWithAProblem() {
        String notAnId = Base64.getUrlEncoder().withoutPadding().encodeToString("abc".getBytes(StandardCharsets.US_ASCII));
        for (String query : List.of("cursor=!!!", "cursor=" + notAnId, "cursor=" + ProductCursorQuery.cursorAfter(0),
                "cursor=" + "A".repeat(200), "cursor=LTE", "limit=0", "limit=101", "limit=-1", "limit=ten", "limit=1.5",
                "page=2&limit=500", "q=" + "x".repeat(101))) {
            assertProblem(http.get("/api/v2/products?" + query), 400);
        }
    }

    @Test
    void v2ListsLetClientsRevalidateWithTheETag() {
        for (String path : List.of("/api/v2/products?limit=3", "/api/v2/products/7")) {
            HttpResponse<String> first = http.get(path);
            String etag = first.headers().firstValue("ETag").orElseThrow();
            assertThat(first.headers().firstValue("Cache-Control")).contains(CatalogRoutes.CACHE_CONTROL);

            HttpResponse<String> revalidated = http.get(path, "If-None-Match", etag);
            assertThat(revalidated.statusCode()).isEqualTo(304);
            assertThat(revalidated.body()).isEmpty();
        }
    }

    private static final String ADMIN = "admin";
    private static final String CUSTOMER = "customer";

    /** A {@code PATCH} of {@code body} with the given content type, as the admin or customer (or anonymous when null). */
    private static HttpResponse<String> patch(String path, String who, String contentType, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", contentType).method("PATCH", HttpRequest.BodyPublishers.ofString(body));
        if (who != null) {
            request.header("Authorization", "Bearer " + issuer.issue(who.equals(ADMIN) ? CatalogFixture.ADMIN : CatalogFixture.CUSTOMER));
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> patch(String path, String body) throws Exception {
        return patch(path, ADMIN, "application/json", body);
    }

    @Test
    void letsAnAdministratorChangeAProductAndShowsTheChangeAtOnce() throws Exception {
        assertThat(json(http.get("/api/v1/products/9001")).path("price").path("amount").asLong()).isPositive(); // now cached
        http.get("/api/v1/products?page=451&size=20"); // a cached page holding it

        HttpResponse<String> response = patch("/api/v1/products/9001",
                "{\"price\":{\"amount\":12345,\"currency\":\"USD\"},\"name\":\"Renamed lamp\",\"description\":\"\",\"stock\":77}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
        JsonNode changed = json(response);
        assertThat(changed.path("price").path("amount").asLong()).isEqualTo(12345);
        assertThat(changed.path("name").asText()).isEqualTo("Renamed lamp");
        assertThat(changed.path("stock").asInt()).isEqualTo(77);
        JsonNode read = json(http.get("/api/v1/products/9001"));
        assertThat(read.path("price").path("amount").asLong()).isEqualTo(12345);
        assertThat(read.path("stock").asInt()).isEqualTo(77);
        assertThat(instance.stock().levels).containsEntry(9001L, 77);
        JsonNode onPage = items(http.get("/api/v1/products?page=451&size=20")).stream()
                .filter(item -> item.path("id").asLong() == 9001).findFirst().orElseThrow();
        assertThat(onPage.path("name").asText()).isEqualTo("Renamed lamp");
        assertThat(onPage.path("stock").asInt()).isEqualTo(77);
    }

    @Test
    void refusesAProductChangeFromAnyoneButAnAdministrator() throws Exception {
        String body = "{\"price\":{\"amount\":1,\"currency\":\"USD\"}}";
        long before = json(http.get("/api/v1/products/9002")).path("price").path("amount").asLong();

        assertProblem(patch("/api/v1/products/9002", null, "application/json", body), 401);
        assertProblem(patch("/api/v1/products/9002", CUSTOMER, "application/json", body), 403);

        assertThat(json(http.get("/api/v1/products/9002")).path("price").path("amount").asLong()).isEqualTo(before);
    }

    @Test
    void refusesABadProductChangeWithAProblem() throws Exception {
        for (String body : List.of("", "{}", "null", "[]", "{\"price\":", "{\"colour\":\"red\"}",
                "{\"name\":\"ok\",\"sku\":\"X\"}", "{\"name\":42}", "{\"name\":\"\"}", "{\"name\":\"" + "n".repeat(201) + "\"}",
                "{\"description\":\"" + "d".repeat(2001) + "\"}", "{\"stock\":\"5\"}", "{\"stock\":-1}", "{\"stock\":1.5}",
                "{\"stock\":1000001}", "{\"stock\":99999999999}", "{\"price\":100}", "{\"price\":{\"amount\":0,\"currency\":\"USD\"}}",
                "{\"price\":{\"amount\":100000001,\"currency\":\"USD\"}}", "{\"price\":{\"amount\":\"5\",\"currency\":\"USD\"}}",
                "{\"price\":{\"amount\":5}}", "{\"price\":{\"amount\":5,\"currency\":\"EUR\"}}",
                "{\"price\":{\"amount\":5,\"currency\":\"USD\",\"x\":1}}", "{\"name\":\"a\"} trailing")) {
            assertProblem(patch("/api/v1/products/9003", body), 400);
        }
        assertProblem(patch("/api/v1/products/9003", ADMIN, "text/plain", "{\"name\":\"x\"}"), 415);
        assertProblem(patch("/api/v1/products/abc", "{\"name\":\"x\"}"), 400);
        assertProblem(patch("/api/v1/products/10001", "{\"name\":\"x\"}"), 404);
        assertThat(json(http.get("/api/v1/products/9003")).path("name").asText()).isNotEqualTo("x");
    }

    @Test
    void tagsAnswersForPurgesByProductListAndCategories() {
        assertThat(http.get("/api/v1/products/9004").headers().firstValue("Surrogate-Key")).contains("product-9004");
        assertThat(http.get("/api/v2/products/9004").headers().firstValue("Surrogate-Key")).contains("product-9004");
        assertThat(http.get("/api/v1/products?page=2&size=3").headers().firstValue("Surrogate-Key"))
                .contains("products product-4 product-5 product-6");
        assertThat(http.get("/api/v2/products?limit=2").headers().firstValue("Surrogate-Key")).contains("products product-1 product-2");
        assertThat(http.get("/api/v1/categories").headers().firstValue("Surrogate-Key")).contains("categories");
        HttpResponse<String> first = http.get("/api/v1/products/9004");
        assertThat(http.get("/api/v1/products/9004", "If-None-Match", first.headers().firstValue("ETag").orElseThrow())
                .headers().firstValue("Surrogate-Key")).contains("product-9004");
    }

    @Test
    void countsViewsOfAProductPage() {
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> counted = http.post("/api/v1/products/9005/views", "application/json", "");
            assertThat(counted.statusCode()).isEqualTo(202);
            assertThat(counted.body()).isEmpty();
        }

        HttpResponse<String> views = http.get("/api/v1/products/9005/views");
        assertThat(views.statusCode()).isEqualTo(200);
        assertThat(views.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(json(views).path("product_id").asLong()).isEqualTo(9005);
        assertThat(json(views).path("views").asLong()).isEqualTo(3);
        assertProblem(http.post("/api/v1/products/10001/views", "application/json", ""), 404);
        assertProblem(http.post("/api/v1/products/abc/views", "application/json", ""), 400);
        assertProblem(http.get("/api/v1/products/10001/views"), 404);
    }
}
