package archway.launcher.ops;

import archway.launcher.ArchwaySystem;
import archway.launcher.InstanceCaches;
import archway.platform.json.Json;
import archway.platform.problem.ProblemException;
import archway.platform.server.Bodies;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The bodies of the operations entry's cache endpoints: purges of the HTTP caches, the app instances' caches. */
final class CacheViews {

    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final int MAX_URL = 2048;

    private CacheViews() {
    }

    /**
     * The body of {@code POST /cache/purge}: exactly one of a URL (its path and query, as
     * clients ask for it), a tag (the origin's {@code Surrogate-Key}) or {@code all: true}.
     */
    record CachePurge(String url, String tag, Boolean all) {

        CachePurge checked() {
            int given = (url != null ? 1 : 0) + (tag != null ? 1 : 0) + (all != null ? 1 : 0);
            if (given != 1) {
                throw ProblemException.badRequest("name exactly one of 'url' (a path and query), 'tag' or 'all': true");
            }
            if (url != null && (!url.startsWith("/") || url.length() > MAX_URL || url.chars().anyMatch(c -> c <= ' ' || c == 127))) {
                throw ProblemException.badRequest("'url' is a path and query starting with '/', without spaces, at most "
                        + MAX_URL + " characters");
            }
            if (tag != null && !TAG.matcher(tag).matches()) {
                throw ProblemException.badRequest("'tag' is 1-128 letters, digits, '.', '_', ':' or '-'");
            }
            if (all != null && !all) {
                throw ProblemException.badRequest("'all' may only be true");
            }
            return this;
        }

        /** Purges the gateway's cache, then the edge's (inside out, so the edge cannot refill from the gateway's copy). */
        Map<String, Map<String, Integer>> apply(ArchwaySystem system) {
            Map<String, Integer> purged = new LinkedHashMap<>();
            if (url != null) {
                purged.put("gateway", system.gateway().purge(url));
                purged.put("edge", system.edge().purge(url));
            } else if (tag != null) {
                purged.put("gateway", system.gateway().purgeTag(tag));
                purged.put("edge", system.edge().purgeTag(tag));
            } else {
                purged.put("gateway", system.gateway().purgeAll());
                purged.put("edge", system.edge().purgeAll());
            }
            return Map.of("purged", purged);
        }
    }

    /** The body of {@code POST /caches/{name}/invalidate}: an optional {@code key}, a number or a string. */
    record Invalidation(JsonNode key) {

        /** The key as JSON ({@code 42}, {@code "x"}), or {@code null} for every entry (no body, or no key). */
        static String keyOf(Context ctx) {
            if (ctx.bodyAsBytes().length == 0) {
                return null;
            }
            JsonNode key = Bodies.json(ctx, Invalidation.class).key();
            if (key == null || key.isNull()) {
                return null;
            }
            if (!key.isIntegralNumber() && !key.isTextual()) {
                throw ProblemException.badRequest("'key' is a whole number or a string");
            }
            return key.toString();
        }
    }

    /** What each app instance answered, its JSON answer kept as it was. */
    record InstanceAnswers(List<InstanceAnswer> items) {

        static InstanceAnswers of(List<InstanceCaches.Answer> answers) {
            return new InstanceAnswers(answers.stream().map(InstanceAnswer::of).toList());
        }

        boolean allSaid(int status) {
            return !items.isEmpty() && items.stream().allMatch(item -> item.status() == status);
        }
    }

    record InstanceAnswer(String instance, int status, JsonNode answer) {

        static InstanceAnswer of(InstanceCaches.Answer answer) {
            JsonNode body;
            try {
                body = Json.mapper().readTree(answer.body());
            } catch (IOException e) {
                body = TextNode.valueOf(answer.body());
            }
            return new InstanceAnswer(answer.instance(), answer.status(), body == null ? TextNode.valueOf("") : body);
        }
    }
}
