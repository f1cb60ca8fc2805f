package archway.catalog;

import archway.platform.json.Json;
import archway.platform.problem.ProblemException;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The catalog's HTTP endpoints under {@code /api/v1} and {@code /api/v2}. Version 2 of the
 * products resource pages by cursor ({@code ?limit=&cursor=}, {@code {items, next_cursor}},
 * no total) and leaves out {@code stock}, which only the inventory knows live; the rest is
 * the same. Reads are public and cacheable by
 * browsers and by the edge (which may keep them longer, {@code s-maxage}), and carry an
 * {@code ETag} for cheap revalidation.
 */
public final class CatalogRoutes {

    /** Products, pages and categories: fresh for 30 s in a browser, 60 s at the edge. */
    public static final String CACHE_CONTROL = "public, max-age=30, s-maxage=60";
    /** Images never change for a product id. */
    public static final String IMAGE_CACHE_CONTROL = "public, max-age=86400";
    private static final Pattern ID = Pattern.compile("[1-9][0-9]{0,17}");
    private static final String JSON = "application/json";

    private final CatalogApi catalog;

    public CatalogRoutes(CatalogApi catalog) {
        this.catalog = catalog;
    }

    /** Adds the endpoints to a server's routes (pass it to {@code ServiceServer.start}). */
    public void mount(RoutesConfig routes) {
        routes.get("/api/v1/products", this::list);
        routes.get("/api/v1/products/{id}", this::product);
        routes.get("/api/v1/products/{id}/image", this::image);
        routes.get("/api/v1/categories", this::categories);
        routes.get("/api/v2/products", this::listV2);
        routes.get("/api/v2/products/{id}", this::productV2);
        routes.get("/api/v2/products/{id}/image", this::image);
    }

    private void list(Context ctx) {
        ProductQuery query = ProductQuery.parse(ctx.queryParam("q"), ctx.queryParam("category"),
                ctx.queryParam("page"), ctx.queryParam("size"));
        json(ctx, catalog.products(query));
    }

    private void product(Context ctx) {
        json(ctx, catalog.product(id(ctx)));
    }

    private void listV2(Context ctx) {
        ProductCursorQuery query = ProductCursorQuery.parse(ctx.queryParam("q"), ctx.queryParam("category"),
                ctx.queryParam("limit"), ctx.queryParam("cursor"));
        ProductCursorPage page = catalog.productsAfter(query);
        json(ctx, new CursorPage(page.items().stream().map(ProductV2::of).toList(),
                page.nextAfter().isPresent() ? ProductCursorQuery.cursorAfter(page.nextAfter().getAsLong()) : null));
    }

    private void productV2(Context ctx) {
        json(ctx, ProductV2.of(catalog.product(id(ctx))));
    }

    private void categories(Context ctx) {
        json(ctx, new Categories(catalog.categories()));
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

    private static long id(Context ctx) {
        String id = ctx.pathParam("id");
        if (!ID.matcher(id).matches()) {
            throw ProblemException.badRequest("a product id is a positive whole number, not '" + abbreviate(id) + "'");
        }
        return Long.parseLong(id);
    }

    private static void json(Context ctx, Object value) {
        byte[] body;
        try {
            body = Json.mapper().writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
        HttpCaching.respond(ctx, body, JSON, HttpCaching.etagOf(body), CACHE_CONTROL);
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
