package archway.catalog;

import archway.platform.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * What a keyset-paged product listing ({@code /api/v2/products}) asks for: the products
 * matching the filters whose id comes after {@code after}, at most {@code limit} of them.
 * Keyset rather than offset paging: each page is an index range scan from the last id seen,
 * as cheap for the last page as for the first, with no count of all matches, and a product
 * added meanwhile never shifts a later page (no duplicates, no gaps).
 *
 * <p>The client holds the position as an opaque cursor, the base64url text of the last id of
 * the page before, so the API may change what a cursor carries without breaking clients.
 *
 * @param q        words to find in the name or description, any letter case; {@code null} for all
 * @param category an exact category name; {@code null} for all
 * @param limit    products per page, 1 to {@value #MAX_LIMIT}
 * @param after    the id the page starts after; 0 for the first page
 */
public record ProductCursorQuery(String q, String category, int limit, long after) {

    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;
    private static final Pattern WHOLE_NUMBER = Pattern.compile("[0-9]{1,9}");
    private static final Pattern ID = Pattern.compile("[1-9][0-9]{0,17}");
    private static final int MAX_CURSOR = 32;

    public ProductCursorQuery {
        ProductQuery filters = new ProductQuery(q, category, 1, ProductQuery.DEFAULT_SIZE); // the same text rules as v1
        q = filters.q();
        category = filters.category();
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ProblemException.badRequest("limit must be a whole number from 1 to " + MAX_LIMIT);
        }
        if (after < 0) {
            throw new IllegalArgumentException("a listing starts after id 0 or a product's id, not " + after);
        }
    }

    /** A query from the text of URL parameters, any of which may be absent ({@code null}). */
    public static ProductCursorQuery parse(String q, String category, String limit, String cursor) {
        return new ProductCursorQuery(q, category, limit(limit), cursor == null || cursor.isEmpty() ? 0 : after(cursor));
    }

    /** The cursor of the page that starts after {@code id}. */
    public static String cursorAfter(long id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Long.toString(id).getBytes(StandardCharsets.US_ASCII));
    }

    private static int limit(String text) {
        if (text == null || text.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        if (!WHOLE_NUMBER.matcher(text).matches()) {
            throw ProblemException.badRequest("limit must be a whole number from 1 to " + MAX_LIMIT);
        }
        return Integer.parseInt(text);
    }

    private static long after(String cursor) {
        String id = null;
        if (cursor.length() <= MAX_CURSOR) {
            try {
                id = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            } catch (IllegalArgumentException e) {
                id = null;
            }
        }
        if (id == null || !ID.matcher(id).matches()) {
            throw ProblemException.badRequest("cursor is not one this API handed out; start without it or use a page's next_cursor");
        }
        return Long.parseLong(id);
    }
}
