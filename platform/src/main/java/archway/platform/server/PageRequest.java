package archway.platform.server;

import archway.platform.problem.ProblemException;
import java.util.regex.Pattern;

/**
 * Which page of a listing a client asks for: {@code ?page=} from 1 and {@code ?size=} up
 * to {@value #MAX_SIZE}; bad values are {@code 400} problems.
 */
public record PageRequest(int page, int size) {

    public static final int DEFAULT_SIZE = 20;
    public static final int MAX_SIZE = 100;
    public static final int MAX_PAGE = 100_000;
    private static final Pattern WHOLE_NUMBER = Pattern.compile("[0-9]{1,9}");

    public PageRequest {
        if (page < 1 || page > MAX_PAGE) {
            throw ProblemException.badRequest("page must be a whole number from 1 to " + MAX_PAGE);
        }
        if (size < 1 || size > MAX_SIZE) {
            throw ProblemException.badRequest("size must be a whole number from 1 to " + MAX_SIZE);
        }
    }

    /** A page from the text of the URL parameters, either of which may be absent ({@code null}). */
    public static PageRequest parse(String page, String size) {
        return new PageRequest(number("page", page, 1, MAX_PAGE), number("size", size, DEFAULT_SIZE, MAX_SIZE));
    }

    /** How many items the pages before this one hold. */
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
}
