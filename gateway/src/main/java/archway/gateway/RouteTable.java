package archway.gateway;

import archway.gateway.GatewayConfig.BreakerSettings;
import archway.gateway.GatewayConfig.Caching;
import archway.gateway.GatewayConfig.Deprecation;
import archway.gateway.GatewayConfig.ProtectedCall;
import archway.gateway.GatewayConfig.RateLimits;
import archway.gateway.GatewayConfig.Route;
import archway.gateway.limits.LimitPolicy;
import archway.platform.json.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Reads the gateway's route table from JSON: {@code {"description": "...", "routes": [...]}}
 * with one object per route (fields in {@code docs/api.md}). Every mistake is an
 * {@link IllegalArgumentException} naming the route and the field, and unknown fields are
 * mistakes too, so a misspelt {@code rate_limits} cannot silently leave a route unguarded.
 */
final class RouteTable {

    private static final Set<String> TABLE_FIELDS = Set.of("description", "routes");
    private static final Set<String> ROUTE_FIELDS = Set.of("name", "description", "path", "upstream", "methods",
            "authenticated", "admin", "rate_limit", "cache", "deprecation", "timeout_ms", "circuit_breaker");

    private RouteTable() {
    }

    static List<Route> parse(InputStream json, Map<String, URI> upstreams) {
        JsonNode table;
        try {
            table = Json.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the gateway route table is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("the gateway route table cannot be read: " + e.getMessage(), e);
        }
        if (table == null || !table.isObject()) {
            throw new IllegalArgumentException("the gateway route table must be a JSON object with a 'routes' array");
        }
        onlyKnown(table, TABLE_FIELDS, "the gateway route table");
        JsonNode routes = table.get("routes");
        if (routes == null || !routes.isArray() || routes.isEmpty()) {
            throw new IllegalArgumentException("the gateway route table's 'routes' must be a non-empty array");
        }
        List<Route> parsed = new ArrayList<>();
        for (int i = 0; i < routes.size(); i++) {
            parsed.add(route(routes.get(i), i, upstreams));
        }
        return parsed;
    }

    private static Route route(JsonNode node, int index, Map<String, URI> upstreams) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("gateway route #" + (index + 1) + " must be a JSON object");
        }
        String name = node.hasNonNull("name") && node.get("name").isTextual() ? node.get("name").asText() : null;
        if (name == null) {
            throw new IllegalArgumentException("gateway route #" + (index + 1) + ": name must be set (a string)");
        }
        Fields fields = new Fields(node, "gateway route '" + name + "'");
        onlyKnown(node, ROUTE_FIELDS, fields.where);
        String upstreamName = fields.text("upstream");
        URI upstream = upstreams.get(upstreamName);
        if (upstream == null) {
            throw new IllegalArgumentException(fields.where + ": upstream '" + upstreamName + "' is not one of the known upstreams "
                    + new TreeSet<>(upstreams.keySet()));
        }
        try {
            return new Route(name, fields.text("path"), upstream,
                    fields.optional("methods", n -> strings(n, fields, "methods")).map(Set::copyOf).orElse(Route.DEFAULT_METHODS),
                    fields.optional("authenticated", n -> calls(n, fields, "authenticated")).orElse(List.of()),
                    fields.optional("admin", n -> calls(n, fields, "admin")).orElse(List.of()),
                    fields.optional("rate_limit", n -> rateLimits(fields.nested("rate_limit"))).orElse(RateLimits.DEFAULT),
                    fields.optional("cache", n -> caching(fields.nested("cache"))),
                    fields.optional("deprecation", n -> deprecation(fields.nested("deprecation"))),
                    fields.optional("timeout_ms", n -> Duration.ofMillis(fields.positive(n, "timeout_ms"))),
                    fields.optional("circuit_breaker", n -> breaker(fields.nested("circuit_breaker"))).orElse(BreakerSettings.DEFAULT));
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            throw new IllegalArgumentException(message.startsWith("gateway route") ? message : fields.where + ": " + message, e);
        }
    }

    private static RateLimits rateLimits(Fields fields) {
        onlyKnown(fields.node, Set.of("per_address", "per_user"), fields.label());
        return new RateLimits(
                fields.optional("per_address", n -> policy(fields.nested("per_address"))).orElse(RateLimits.DEFAULT.perAddress()),
                fields.optional("per_user", n -> policy(fields.nested("per_user"))).orElse(RateLimits.DEFAULT.perUser()));
    }

    private static LimitPolicy policy(Fields fields) {
        onlyKnown(fields.node, Set.of("per_second", "burst", "daily_quota"), fields.label());
        long perSecond = fields.positive(fields.node.get("per_second"), "per_second");
        long burst = fields.optional("burst", n -> fields.positive(n, "burst")).orElse(perSecond);
        long quota = fields.optional("daily_quota", n -> fields.positive(n, "daily_quota")).orElse(0L);
        try {
            return new LimitPolicy(perSecond, burst, quota);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(fields.label() + ": " + e.getMessage(), e);
        }
    }

    private static Caching caching(Fields fields) {
        onlyKnown(fields.node, Set.of("public"), fields.label());
        JsonNode isPublic = fields.node.get("public");
        if (isPublic != null && !isPublic.isBoolean()) {
            throw new IllegalArgumentException(fields.name("public") + " must be true or false, was " + isPublic);
        }
        return new Caching(isPublic != null && isPublic.asBoolean());
    }

    private static Deprecation deprecation(Fields fields) {
        onlyKnown(fields.node, Set.of("deprecated_at", "sunset", "successor"), fields.label());
        return new Deprecation(fields.instant(fields.node.get("deprecated_at"), "deprecated_at"),
                fields.optional("sunset", n -> fields.instant(n, "sunset")),
                fields.optional("successor", n -> fields.text("successor")));
    }

    private static BreakerSettings breaker(Fields fields) {
        onlyKnown(fields.node, Set.of("failure_rate_percent", "window_calls", "minimum_calls", "open_seconds"), fields.label());
        BreakerSettings d = BreakerSettings.DEFAULT;
        return new BreakerSettings(fields.count("failure_rate_percent", d.failureRatePercent()),
                fields.count("window_calls", d.windowCalls()), fields.count("minimum_calls", d.minimumCalls()),
                fields.optional("open_seconds", n -> Duration.ofSeconds(fields.positive(n, "open_seconds"))).orElse(d.open()));
    }

    private static List<ProtectedCall> calls(JsonNode node, Fields fields, String field) {
        return strings(node, fields, field).stream().map(ProtectedCall::parse).toList();
    }

    private static List<String> strings(JsonNode node, Fields fields, String field) {
        if (!node.isArray()) {
            throw new IllegalArgumentException(fields.name(field) + " must be an array of strings, was " + node);
        }
        List<String> values = new ArrayList<>();
        for (JsonNode element : node) {
            if (!element.isTextual()) {
                throw new IllegalArgumentException(fields.name(field) + " must be an array of strings, found " + element);
            }
            values.add(element.asText());
        }
        return values;
    }

    private static void onlyKnown(JsonNode node, Set<String> known, String where) {
        Set<String> unknown = new LinkedHashSet<>();
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(where + ": unknown field(s) " + unknown + "; known are " + new TreeSet<>(known));
        }
    }

    /**
     * The fields of one JSON object, with the place they are at for messages:
     * {@code where} names the route, {@code path} the enclosing fields ({@code rate_limit.per_user.}).
     */
    private record Fields(JsonNode node, String where, String path) {

        Fields(JsonNode node, String where) {
            this(node, where, "");
        }

        String name(String field) {
            return where + ": " + path + field;
        }

        /** The route and the enclosing field, for messages about this object as a whole. */
        String label() {
            return path.isEmpty() ? where : where + ": " + path.substring(0, path.length() - 1);
        }

        <T> Optional<T> optional(String field, Function<JsonNode, T> read) {
            JsonNode value = node.get(field);
            return value == null || value.isNull() ? Optional.empty() : Optional.of(read.apply(value));
        }

        Fields nested(String field) {
            JsonNode value = node.get(field);
            if (!value.isObject()) {
                throw new IllegalArgumentException(name(field) + " must be a JSON object, was " + value);
            }
            return new Fields(value, where, path + field + ".");
        }

        String text(String field) {
            JsonNode value = node.get(field);
            if (value == null || !value.isTextual() || value.asText().isBlank()) {
                throw new IllegalArgumentException(name(field) + " must be a non-empty string, was " + value);
            }
            return value.asText();
        }

        long positive(JsonNode value, String field) {
            if (value == null || !value.canConvertToLong() || !value.isIntegralNumber() || value.asLong() < 1) {
                throw new IllegalArgumentException(name(field) + " must be a positive integer, was " + value);
            }
            return value.asLong();
        }

        /** An optional positive integer below 2^31, {@code otherwise} when absent. */
        int count(String field, int otherwise) {
            long value = optional(field, n -> positive(n, field)).orElse((long) otherwise);
            if (value > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(name(field) + " must be below 2^31, was " + value);
            }
            return (int) value;
        }

        Instant instant(JsonNode value, String field) {
            if (value == null || !value.isTextual()) {
                throw new IllegalArgumentException(name(field) + " must be an instant such as \"2026-12-01T00:00:00Z\", was "
                        + value);
            }
            try {
                return Instant.parse(value.asText());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(name(field) + " must be an instant such as \"2026-12-01T00:00:00Z\", was "
                        + value, e);
            }
        }
    }
}
