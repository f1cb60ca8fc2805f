package archway.catalog;

import archway.platform.problem.ProblemException;
import archway.platform.server.PageRequest;

/**
 * What a product listing asks for; a valid one or none (bad values are {@code 400}
 * problems). Blank filters mean no filter, so equal queries are equal records and share a
 * cache entry.
 *
 * @param q        words to find in the name or description, any letter case; {@code null} for all
 * @param category an exact category name; {@code null} for all
 * @param page     the page, from 1
 * @param size     products per page, 1 to {@value #MAX_SIZE}
 */
public record ProductQuery(String q, String category, int page, int size) {

    public static final int DEFAULT_SIZE = PageRequest.DEFAULT_SIZE;
    public static final int MAX_SIZE = PageRequest.MAX_SIZE;
    public static final int MAX_PAGE = PageRequest.MAX_PAGE;
    private static final int MAX_TEXT = 100;

    public ProductQuery {
        q = blankToNull(q, "q");
        category = blankToNull(category, "category");
        new PageRequest(page, size); // the same rules as every other listing
    }

    /** The first page of everything. */
    public static ProductQuery all() {
        return new ProductQuery(null, null, 1, DEFAULT_SIZE);
    }

    /** A query from the text of URL parameters, any of which may be absent ({@code null}). */
    public static ProductQuery parse(String q, String category, String page, String size) {
        PageRequest pageRequest = PageRequest.parse(page, size);
        return new ProductQuery(q, category, pageRequest.page(), pageRequest.size());
    }

    /** How many products the pages before this one hold. */
    public long offset() {
        return (long) (page - 1) * size;
    }

    private static String blankToNull(String text, String name) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String stripped = text.strip();
        if (stripped.length() > MAX_TEXT) {
            throw ProblemException.badRequest(name + " must be at most " + MAX_TEXT + " characters long");
        }
        return stripped;
    }
}
