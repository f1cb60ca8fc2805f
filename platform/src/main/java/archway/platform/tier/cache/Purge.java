package archway.platform.tier.cache;

import archway.platform.json.Json;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a purge asks an {@link HttpCache} to drop, as its operators send it: a JSON object
 * with exactly one of {@code {"url": "/path?q"}} (every stored variant of that path and
 * query; a full {@code http(s)://} URL is taken for its path and query), {@code {"tag": "t"}}
 * (every answer whose origin named {@code t} in {@code Surrogate-Key}) or
 * {@code {"all": true}}. The edge's admin listener and the operations entry read it the
 * same way.
 */
public sealed interface Purge {

    /** The longest URL a purge names. */
    int MAX_URL = 2048;

    record Url(String pathQuery) implements Purge {
    }

    record Tag(String tag) implements Purge {
    }

    record All() implements Purge {
    }

    /**
     * The purge a JSON body asks for.
     *
     * @throws IllegalArgumentException with the reason, for a body that is not JSON or not exactly one valid field
     */
    static Purge parse(byte[] body) {
        JsonNode json;
        try {
            json = Json.mapper().readTree(body);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("the body must be JSON such as {\"url\": \"/path?q\"}");
        } catch (IOException e) {
            throw new IllegalArgumentException("the body could not be read");
        }
        return of(json);
    }

    /**
     * The purge a JSON value asks for.
     *
     * @throws IllegalArgumentException with the reason, for a value that is not exactly one valid field
     */
    static Purge of(JsonNode json) {
        String field = json != null && json.isObject() && json.size() == 1 ? json.fieldNames().next() : null;
        if (field == null || !Rules.FIELDS.contains(field)) {
            throw new IllegalArgumentException("the body must be an object with exactly one of \"url\", \"tag\" or \"all\","
                    + " such as {\"url\": \"/path?q\"}, {\"tag\": \"products\"} or {\"all\": true}");
        }
        JsonNode value = json.get(field);
        return switch (field) {
            case "url" -> new Url(Rules.pathQuery(Rules.text(field, value)));
            case "tag" -> new Tag(Rules.tag(Rules.text(field, value)));
            default -> {
                if (!value.isBoolean() || !value.booleanValue()) {
                    throw new IllegalArgumentException("\"all\" must be true, was " + value);
                }
                yield new All();
            }
        };
    }

    /** The checks of a purge's fields. */
    final class Rules {

        private static final Set<String> FIELDS = Set.of("url", "tag", "all");
        private static final Pattern TAG = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

        private Rules() {
        }

        private static String text(String field, JsonNode value) {
            if (!value.isTextual() || value.textValue().isBlank()) {
                throw new IllegalArgumentException("\"" + field + "\" must be a non-empty string, was " + value);
            }
            return value.textValue();
        }

        private static String tag(String tag) {
            if (!TAG.matcher(tag).matches()) {
                throw new IllegalArgumentException("\"tag\" is 1-128 letters, digits, '.', '_', ':' or '-'");
            }
            return tag;
        }

        /** A URL as the cache keys it: its path and query. */
        private static String pathQuery(String url) {
            if (url.length() > MAX_URL || url.chars().anyMatch(c -> c <= ' ' || c == 127)) {
                throw new IllegalArgumentException("\"url\" is at most " + MAX_URL + " characters, without spaces");
            }
            if (url.startsWith("/")) {
                return url;
            }
            try {
                URI uri = new URI(url);
                if (uri.getScheme() != null && uri.getRawPath() != null && uri.getRawPath().startsWith("/")) {
                    return uri.getRawQuery() == null ? uri.getRawPath() : uri.getRawPath() + "?" + uri.getRawQuery();
                }
            } catch (URISyntaxException e) {
                // answered below
            }
            throw new IllegalArgumentException("\"url\" must be a path and query such as /products?page=2, was \"" + url + "\"");
        }
    }
}
