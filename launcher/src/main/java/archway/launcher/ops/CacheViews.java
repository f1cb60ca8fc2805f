package archway.launcher.ops;

import archway.launcher.ArchwaySystem;
import archway.launcher.InstanceCaches;
import archway.platform.json.Json;
import archway.platform.problem.ProblemException;
import archway.platform.server.Bodies;
import archway.platform.tier.cache.Purge;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The operations entry's cache endpoints: purges of the HTTP caches, the app instances' caches. */
final class CacheViews {

    private CacheViews() {
    }

    /**
     * {@code POST /cache/purge}: the purge the body names ({@link Purge}), from the gateway's
     * cache, then from the edge's (inside out, so the edge cannot refill from the gateway's copy).
     */
    static Map<String, Map<String, Integer>> purge(Context ctx, ArchwaySystem system) {
        Purge purge;
        try {
            purge = Purge.of(Bodies.json(ctx, JsonNode.class));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(e.getMessage());
        }
        Map<String, Integer> purged = new LinkedHashMap<>();
        purged.put("gateway", system.gateway().purge(purge));
        purged.put("edge", system.edge().purge(purge));
        return Map.of("purged", purged);
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
