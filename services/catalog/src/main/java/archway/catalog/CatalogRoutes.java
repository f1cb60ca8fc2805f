package archway.catalog;

import archway.platform.auth.Principal;
import archway.platform.auth.TokenVerifier;
import archway.platform.json.Json;
import archway.platform.problem.ProblemException;
import archway.platform.server.Bodies;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The catalog's HTTP endpoints under {@code /api/v1} and {@code /api/v2}. Version 2 of the
 * products resource pages by cursor ({@code ?limit=&cursor=}, {@code {items, next_cursor}},
 * no total) and leaves out {@code stock}, which only the inventory knows live; the rest is
 * the same. Reads are public and cacheable by browsers and by the edge, carry an
 * {@code ETag} for cheap revalidation and a {@code Surrogate-Key} naming the products in
 * them, by which the edge purges them when a product changes. Administrators change
 * products with {@code PATCH}; anyone may count a view of a product page.
 */
public final class CatalogRoutes {

    /**
     * Products, pages and categories. The edge keeps them five minutes ({@code s-maxage}): a
     * change purges them there by {@code Surrogate-Key}, so the lifetime only bounds what a
     * missed purge costs. A browser cannot be purged, so it keeps them 5 s only. Past its
     * lifetime the edge may answer from its copy for 30 s while it revalidates, and for
     * 10 minutes when the origin fails (RFC 5861).
     */
    public static final String CACHE_CONTROL = "public, max-age=5, s-maxage=300, stale-while-revalidate=30, stale-if-error=600";
    /** Images never change for a product id. */
    public static final String IMAGE_CACHE_CONTROL = "public, max-age=86400";
    /** The header the edge purges by: space-separated tags. */
    public static final String SURROGATE_KEY = "Surrogate-Key";
    /** The tag of every list page. */
    public static final String PRODUCTS_TAG = "products";
    /** The tag of the categories. */
    public static final String CATEGORIES_TAG = "categories";
    private static final Pattern ID = Pattern.compile("[1-9][0-9]{0,17}");
    private static final String JSON = "application/json";

    private final CatalogApi catalog;
    private final TokenVerifier verifier;

    public CatalogRoutes(CatalogApi catalog, TokenVerifier verifier) {
        this.catalog = catalog;
        this.verifier = verifier;
    }

    /** The tag of one product's answers: {@code product-<id>}. */
    public static String productTag(long id) {
        return "product-" + id;
    }

    /** Adds the endpoints to a server's routes (pass it to {@code ServiceServer.start}). */
    public void mount(RoutesConfig routes) {
        routes.get("/api/v1/products", this::list);
        routes.get("/api/v1/products/{id}", this::product);
        routes.patch("/api/v1/products/{id}", this::change);
        routes.get("/api/v1/products/{id}/image", this::image);
        routes.post("/api/v1/products/{id}/views", this::countView);
        routes.get("/api/v1/products/{id}/views", this::views);
        routes.get("/api/v1/categories", this::categories);
        routes.get("/api/v2/products", this::listV2);
        routes.get("/api/v2/products/{id}", this::productV2);
        routes.get("/api/v2/products/{id}/image", this::image);
    }

    private void list(Context ctx) {
        ProductQuery query = ProductQuery.parse(ctx.queryParam("q"), ctx.queryParam("category"),
                ctx.queryParam("page"), ctx.queryParam("size"));
        ProductPage page = catalog.products(query);
        json(ctx, page, listTags(page.items()));
    }

    private void product(Context ctx) {
        long id = id(ctx);
        json(ctx, catalog.product(id), productTag(id));
    }

    private void change(Context ctx) {
        Principal caller = verifier.verifyAuthorization(ctx.header("Authorization"));
        long id = id(ctx);
        ProductChange change = ProductChange.parse(Bodies.json(ctx, JsonNode.class));
        noStore(ctx).json(catalog.change(caller, id, change));
    }

    private void countView(Context ctx) {
        catalog.countView(id(ctx));
        noStore(ctx).status(202);
    }

    private void views(Context ctx) {
        noStore(ctx).json(catalog.views(id(ctx)));
    }

    private void listV2(Context ctx) {
        ProductCursorQuery query = ProductCursorQuery.parse(ctx.queryParam("q"), ctx.queryParam("category"),
                ctx.queryParam("limit"), ctx.queryParam("cursor"));
        ProductCursorPage page = catalog.productsAfter(query);
        json(ctx, new CursorPage(page.items().stream().map(ProductV2::of).toList(),
                page.nextAfter().isPresent() ? ProductCursorQuery.cursorAfter(page.nextAfter().getAsLong()) : null),
                listTags(page.items()));
    }

    private void productV2(Context ctx) {
        long id = id(ctx);
        json(ctx, ProductV2.of(catalog.product(id)), productTag(id));
    }

    private void categories(Context ctx) {
        json(ctx, new Categories(catalog.categories()), CATEGORIES_TAG);
    }

    private void image(Context ctx) {
        ProductImage image = catalog.image(id(ctx));
        // the images are generated, but an SVG can carry script: never let one run as a page of this origin
        ctx.header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
        ctx.header("X-Content-Type-Options", "nosniff");
        HttpCaching.respond(ctx, image.bytes(), image.contentType(), image.etag(), IMAGE_CACHE_CONTROL);
    }

    record Categories(List<Category> items) {
    }

    /** A v2 listing page; {@code next_cursor} is null on the last page (written out, so clients can test for it). */
    record CursorPage(List<ProductV2> items, @JsonInclude(JsonInclude.Include.ALWAYS) String nextCursor) {
    }

    /** A list page's tags: every list, and each product on it (so changing one purges the pages that show it). */
    private static String listTags(List<Product> items) {
        return Stream.concat(Stream.of(PRODUCTS_TAG), items.stream().map(p -> productTag(p.id()))).collect(Collectors.joining(" "));
    }

    private static long id(Context ctx) {
        String id = ctx.pathParam("id");
        if (!ID.matcher(id).matches()) {
            throw ProblemException.badRequest("a product id is a positive whole number, not '" + abbreviate(id) + "'");
        }
        return Long.parseLong(id);
    }

    private static Context noStore(Context ctx) {
        return ctx.header("Cache-Control", "no-store");
    }

    private static void json(Context ctx, Object value, String surrogateKey) {
        byte[] body;
        try {
            body = Json.mapper().writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
        ctx.header(SURROGATE_KEY, surrogateKey);
        HttpCaching.respond(ctx, body, JSON, HttpCaching.etagOf(body), CACHE_CONTROL);
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
