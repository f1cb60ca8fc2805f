package archway.lab.load;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code fixed} scenario's request: a path (with its query, if any) and headers.
 *
 * @param path    starts with {@code /}
 * @param headers name and value pairs, in the order given
 */
record FixedRequest(String path, List<Header> headers) {

    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    /** One header line. */
    record Header(String name, String value) {
    }

    FixedRequest {
        if (path == null || !path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ')) {
            throw new IllegalArgumentException("--path must start with '/' and hold no spaces, was " + path);
        }
        headers = List.copyOf(headers);
    }

    /** From the command line's {@code --path} and {@code --header 'Name: value'} options. */
    static FixedRequest of(String path, List<String> headerLines) {
        return new FixedRequest(path, headerLines.stream().map(FixedRequest::header).toList());
    }

    /** {@code request} with {@code headers} added. */
    static org.eclipse.jetty.client.Request withHeaders(org.eclipse.jetty.client.Request request, List<Header> headers) {
        return headers.isEmpty() ? request : request.headers(fields -> headers.forEach(h -> fields.add(h.name(), h.value())));
    }

    private static Header header(String line) {
        int colon = line.indexOf(':');
        String name = colon < 0 ? "" : line.substring(0, colon).strip();
        String value = colon < 0 ? "" : line.substring(colon + 1).strip();
        if (!TOKEN.matcher(name).matches() || value.chars().anyMatch(c -> c < ' ' && c != '\t')) {
            throw new IllegalArgumentException("--header must look like 'Name: value', was '" + line + "'");
        }
        return new Header(name, value);
    }
}
