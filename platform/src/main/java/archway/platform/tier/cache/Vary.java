package archway.platform.tier.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Secondary keys (RFC 9111, section 4.1): which request headers an answer varies on, and
 * their values normalized so that requests that mean the same select the same variant.
 *
 * <p>Values are all field lines combined, with the whitespace around commas and runs of
 * whitespace removed. {@code Accept-Encoding} is reduced to what this cache's origins make
 * of it: whether the client accepts {@code gzip}. So browsers sending {@code gzip, deflate,
 * br, zstd} and {@code gzip, deflate} share one variant; an entry in another coding is
 * only served to a client that accepts that coding ({@link #accepts}).
 */
final class Vary {

    private static final String ACCEPT_ENCODING = HttpHeader.ACCEPT_ENCODING.lowerCaseName();

    private Vary() {
    }

    /** The header names an answer varies on, lower case; an encoded answer varies on {@code Accept-Encoding} whether it says so or not. */
    static String[] namesOf(HttpFields response) {
        List<String> names = new ArrayList<>();
        for (String name : response.getCSV(HttpHeader.VARY, false)) {
            String lower = name.trim().toLowerCase(Locale.ROOT);
            if (!lower.isEmpty() && !names.contains(lower)) {
                names.add(lower);
            }
        }
        String encoding = response.get(HttpHeader.CONTENT_ENCODING);
        if (encoding != null && !encoding.isBlank() && !encoding.equalsIgnoreCase("identity") && !names.contains(ACCEPT_ENCODING)) {
            // An encoded answer fits only clients that accept the encoding, whether or not the
            // origin said so: keep it as a variant of Accept-Encoding.
            names.add(ACCEPT_ENCODING);
        }
        names.sort(null);
        return names.toArray(String[]::new);
    }

    /** Whether an answer says {@code Vary: *} (it is never served from storage). */
    static boolean isAny(HttpFields response) {
        return response.getCSV(HttpHeader.VARY, false).stream().anyMatch(name -> name.trim().equals("*"));
    }

    /** The normalized values of {@code names} in {@code request}. */
    static String[] valuesOf(HttpFields request, String[] names) {
        String[] values = new String[names.length];
        for (int i = 0; i < names.length; i++) {
            values[i] = normalized(request, names[i]);
        }
        return values;
    }

    /** The normalized value of one header of a request; {@code null} when it is absent. */
    static String normalized(HttpFields request, String name) {
        List<String> lines = request.getValuesList(name);
        if (name.equals(ACCEPT_ENCODING)) {
            return accepts(lines.isEmpty() ? null : String.join(",", lines), "gzip") ? "gzip" : "identity";
        }
        if (lines.isEmpty()) {
            return null;
        }
        StringBuilder value = new StringBuilder();
        for (String line : lines) {
            for (String element : line.split(",")) {
                String trimmed = element.trim().replaceAll("\\s+", " ");
                if (!trimmed.isEmpty()) {
                    value.append(value.isEmpty() ? "" : ",").append(trimmed);
                }
            }
        }
        return value.toString();
    }

    /** Whether an {@code Accept-Encoding} value accepts {@code coding} (by name or {@code *}, with a non-zero weight). */
    static boolean accepts(String acceptEncoding, String coding) {
        if (coding.equalsIgnoreCase("identity")) {
            return true;
        }
        if (acceptEncoding == null) {
            return false;
        }
        Boolean star = null;
        for (String element : acceptEncoding.split(",")) {
            String[] parts = element.split(";");
            String name = parts[0].trim().toLowerCase(Locale.ROOT);
            boolean weighted = true;
            for (int i = 1; i < parts.length; i++) {
                String parameter = parts[i].trim().toLowerCase(Locale.ROOT);
                if (parameter.startsWith("q=")) {
                    weighted = !parameter.substring(2).trim().matches("0(\\.0*)?");
                }
            }
            if (name.equalsIgnoreCase(coding) || (coding.equalsIgnoreCase("gzip") && name.equals("x-gzip"))) {
                return weighted;
            }
            if (name.equals("*")) {
                star = weighted;
            }
        }
        return star != null && star;
    }
}
