package archway.catalog;

import archway.platform.problem.ProblemException;
import java.util.regex.Pattern;

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

    public static final int DEFAULT_SIZE = 20;
    public static final int MAX_SIZE = 100;
    public static final int MAX_PAGE = 100_000;
    private static final int MAX_TEXT = 100;
    private static final Pattern WHOLE_NUMBER = Pattern.compile("[0-9]{1,9}");

    public ProductQuery {
        q = blankToNull(q, "q");
        category = blankToNull(category, "category");
        if (page < 1 || page > MAX_PAGE) {
            throw ProblemException.badRequest("page must be a whole number from 1 to " + MAX_PAGE);
        }
        if (size < 1 || size > MAX_SIZE) {
            throw ProblemException.badRequest("size must be a whole number from 1 to " + MAX_SIZE);
        }
    }

    /** The first page of everything. */
    public static ProductQuery all() {
        return new ProductQuery(null, null, 1, DEFAULT_SIZE);
    }

    /** A query from the text of URL parameters, any of which may be absent ({@code null}). */
    public static ProductQuery parse(String q, String category, String page, String size) {
        return new ProductQuery(q, category, number("page", page, 1, MAX_PAGE), number("size", size, DEFAULT_SIZE, MAX_SIZE));
    }

    /** How many products the pages before this one hold. */
    public long offset() {
        return (long) (page - 1) * size;
    }

    private static int number(String name, String text, int fallback, int max) {
        if (text == null || text.isEmpty()) {
            return fallback;
        }
        if (!WHOLE_NUMBER.matcher(text).matches()) {
            throw ProblemException.badRequest(name + " must be a whole number from 1 to " + max);
        }
        return Integer.parseInt(text);
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
