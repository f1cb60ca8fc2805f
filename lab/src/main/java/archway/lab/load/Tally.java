package archway.lab.load;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/** How the measured requests ended, counted from the client's threads without locks. */
final class Tally {

    private static final int CODES = 1000;

    private final AtomicLongArray byCode = new AtomicLongArray(CODES);
    private final Map<ErrorKind, LongAdder> errors = new EnumMap<>(ErrorKind.class);
    private final Map<ErrorKind, String> firstError = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> byCache = new ConcurrentHashMap<>();

    Tally() {
        for (ErrorKind kind : ErrorKind.values()) {
            errors.put(kind, new LongAdder());
        }
    }

    void answered(int status) {
        byCode.incrementAndGet(Math.floorMod(status, CODES));
    }

    /**
     * An answer and what the cache in front said about it ({@code X-Cache}, {@code null}
     * without one): the share of hits a client saw, next to the caches' own counts.
     */
    void answered(int status, String cache) {
        answered(status);
        String outcome = cache == null ? Counts.NO_CACHE : cache.length() > 16 ? cache.substring(0, 16) : cache;
        byCache.computeIfAbsent(outcome, key -> new LongAdder()).increment();
    }

    void failed(Throwable failure) {
        ErrorKind kind = ErrorKind.of(failure);
        errors.get(kind).increment();
        // one example per kind says what went wrong without a log line per request
        firstError.putIfAbsent(kind, failure.getClass().getSimpleName() + ": " + failure.getMessage());
    }

    /** The counts so far. */
    Counts snapshot() {
        Map<Integer, Long> codes = new TreeMap<>();
        for (int code = 0; code < CODES; code++) {
            long n = byCode.get(code);
            if (n > 0) {
                codes.put(code, n);
            }
        }
        Map<ErrorKind, Long> errorCounts = new EnumMap<>(ErrorKind.class);
        errors.forEach((kind, n) -> errorCounts.put(kind, n.sum()));
        Map<ErrorKind, String> examples = new EnumMap<>(ErrorKind.class);
        examples.putAll(firstError);
        Map<String, Long> caches = new TreeMap<>();
        byCache.forEach((outcome, n) -> caches.put(outcome, n.sum()));
        return Counts.of(codes, errorCounts, examples).withCacheOutcomes(caches);
    }
}
