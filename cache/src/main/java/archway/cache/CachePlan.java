package archway.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which caching strategy each data type of the application uses, how big its cache may grow
 * and how long an entry lives: chosen in configuration, so the layer can be measured on and
 * off ({@code ./archway up --cache catalog.products=off}).
 *
 * <p>Settings, each one {@code --cache} option:
 * <ul>
 *   <li>{@code TYPE=STRATEGY} - {@code cache-aside}, {@code write-through}, {@code write-behind}
 *       (each type accepts the one it is built for) or {@code off};</li>
 *   <li>{@code TYPE.size=N} - the most entries kept;</li>
 *   <li>{@code TYPE.ttl=DURATION}, {@code TYPE.negative-ttl=DURATION} - entry and "not found" lifetimes;</li>
 *   <li>{@code TYPE.refresh=FRACTION} - reload a hot entry in the background after this part of its TTL
 *       ({@code 0} = never);</li>
 *   <li>{@code TYPE.flush=DURATION} - how often a write-behind type writes to the store.</li>
 * </ul>
 * Durations are {@code 500ms}, {@code 30s}, {@code 5m} or {@code 1h}. An unknown type, strategy
 * or property is an error at start, naming what is known.
 */
public final class CachePlan {

    /** How a data type's cache relates to its store. */
    public enum Strategy {
        /** Read: ask the cache, load from the store on a miss, keep it. Writes invalidate. */
        CACHE_ASIDE,
        /** Every write goes to the store and then, with the new value, to the cache. */
        WRITE_THROUGH,
        /** Writes are kept in memory and written to the store in batches, every flush interval. */
        WRITE_BEHIND,
        /** No cache: every read goes to the store (a write-behind type writes each change at once). */
        OFF;

        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        static Strategy parse(String type, String text) {
            for (Strategy s : values()) {
                if (s.label().equals(text)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("--cache " + type + "=" + text + ": unknown strategy '" + text
                    + "'; known: cache-aside, write-through, write-behind, off");
        }
    }

    /**
     * One data type's caching.
     *
     * @param strategy      how it is cached
     * @param spec          its cache (turned off with strategy {@link Strategy#OFF})
     * @param flushInterval how often a write-behind type writes to the store
     */
    public record Entry(Strategy strategy, CacheSpec spec, Duration flushInterval) {

        public boolean off() {
            return strategy == Strategy.OFF;
        }

        Entry withSpec(CacheSpec newSpec) {
            return new Entry(strategy, newSpec, flushInterval);
        }
    }

    public static final String PRODUCTS = "catalog.products";
    public static final String PAGES = "catalog.pages";
    public static final String CURSOR_PAGES = "catalog.cursor-pages";
    public static final String CATEGORIES = "catalog.categories";
    public static final String VIEWS = "catalog.views";
    public static final String STOCK = "inventory.stock";

    private static final Duration FRESHNESS = Duration.ofSeconds(30);
    private static final Pattern SETTING = Pattern.compile("([a-z][a-z0-9-]*\\.[a-z][a-z0-9-]*)(?:\\.([a-z-]+))?=(.*)");
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m|h)");
    private static final Set<String> PROPERTIES = Set.of("size", "ttl", "negative-ttl", "refresh", "flush");

    private final Map<String, Entry> entries;
    private final List<String> settings;

    private CachePlan(Map<String, Entry> entries, List<String> settings) {
        this.entries = Map.copyOf(entries);
        this.settings = List.copyOf(settings);
    }

    /** Each data type with the strategy it is built for. */
    public static CachePlan defaults() {
        return parse(List.of());
    }

    /**
     * The defaults changed by {@code settings} (see the class comment), applied in order.
     *
     * @throws IllegalArgumentException naming the setting for an unknown type, strategy or property, or a bad value
     */
    public static CachePlan parse(List<String> settings) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        entries.put(PRODUCTS, aside(20_000).withSpec(CacheSpec.of(20_000, FRESHNESS).withRefreshAhead(0.8)));
        entries.put(PAGES, aside(5_000));
        entries.put(CURSOR_PAGES, aside(5_000));
        entries.put(CATEGORIES, aside(1));
        entries.put(STOCK, new Entry(Strategy.WRITE_THROUGH, CacheSpec.of(20_000, FRESHNESS), Duration.ZERO));
        entries.put(VIEWS, new Entry(Strategy.WRITE_BEHIND, CacheSpec.of(20_000, FRESHNESS), Duration.ofSeconds(1)));
        Map<String, Strategy> builtFor = new LinkedHashMap<>();
        entries.forEach((type, entry) -> builtFor.put(type, entry.strategy()));
        for (String setting : settings) {
            apply(entries, builtFor, setting == null ? "" : setting.strip());
        }
        return new CachePlan(entries, settings);
    }

    /** The caching of {@code type}, one of the constants of this class. */
    public Entry entry(String type) {
        Entry entry = entries.get(type);
        if (entry == null) {
            throw new IllegalArgumentException("no caching is planned for data type " + type + "; known: " + types());
        }
        return entry;
    }

    /** The cache spec of {@code type}: turned off when its strategy is {@link Strategy#OFF}. */
    public CacheSpec spec(String type) {
        Entry entry = entry(type);
        return entry.spec().withEnabled(!entry.off());
    }

    /** The settings this plan was made from, to hand on to another process. */
    public List<String> settings() {
        return settings;
    }

    /** Each type and its strategy, for logs. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        entries.forEach((type, entry) -> out.append(out.isEmpty() ? "" : ", ").append(type).append('=').append(entry.strategy().label()));
        return out.toString();
    }

    private static String types() {
        return String.join(", ", List.of(PRODUCTS, PAGES, CURSOR_PAGES, CATEGORIES, STOCK, VIEWS));
    }

    private static Entry aside(long size) {
        return new Entry(Strategy.CACHE_ASIDE, CacheSpec.of(size, FRESHNESS), Duration.ZERO);
    }

    private static void apply(Map<String, Entry> entries, Map<String, Strategy> builtFor, String setting) {
        Matcher m = SETTING.matcher(setting);
        if (!m.matches()) {
            throw new IllegalArgumentException("--cache " + setting + ": expected TYPE=STRATEGY or TYPE.PROPERTY=VALUE, "
                    + "such as catalog.products=off or catalog.views.flush=500ms");
        }
        String type = m.group(1);
        String property = m.group(2);
        String value = m.group(3);
        Entry entry = entries.get(type);
        if (entry == null) {
            throw new IllegalArgumentException("--cache " + setting + ": unknown data type '" + type + "'; known: " + types());
        }
        if (property == null) {
            Strategy strategy = Strategy.parse(type, value);
            if (strategy != Strategy.OFF && strategy != builtFor.get(type)) {
                throw new IllegalArgumentException("--cache " + setting + ": " + type + " is " + builtFor.get(type).label()
                        + " or off, not " + strategy.label());
            }
            entries.put(type, new Entry(strategy, entry.spec(), entry.flushInterval()));
            return;
        }
        if (!PROPERTIES.contains(property)) {
            throw new IllegalArgumentException("--cache " + setting + ": unknown property '" + property
                    + "'; known: size, ttl, negative-ttl, refresh, flush");
        }
        try {
            entries.put(type, switch (property) {
                case "size" -> entry.withSpec(new CacheSpec(Long.parseLong(value), entry.spec().ttl(), entry.spec().negativeTtl(),
                        entry.spec().refreshAhead(), true));
                case "ttl" -> entry.withSpec(new CacheSpec(entry.spec().maxEntries(), duration(value), entry.spec().negativeTtl(),
                        entry.spec().refreshAhead(), true));
                case "negative-ttl" -> entry.withSpec(entry.spec().withNegativeTtl(duration(value)));
                case "refresh" -> entry.withSpec(entry.spec().withRefreshAhead(Double.parseDouble(value)));
                default -> {
                    if (builtFor.get(type) != Strategy.WRITE_BEHIND) {
                        throw new IllegalArgumentException(type + " is not written behind, so it has no flush interval");
                    }
                    Duration interval = duration(value);
                    if (interval.isZero()) {
                        throw new IllegalArgumentException("the flush interval must be positive (turn the type off instead)");
                    }
                    yield new Entry(entry.strategy(), entry.spec(), interval);
                }
            });
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--cache " + setting + ": " + e.getMessage(), e);
        }
    }

    private static Duration duration(String text) {
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration such as 500ms, 30s, 5m or 1h");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }
}
