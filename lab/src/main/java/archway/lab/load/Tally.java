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

    Tally() {
        for (ErrorKind kind : ErrorKind.values()) {
            errors.put(kind, new LongAdder());
        }
    }

    void answered(int status) {
        byCode.incrementAndGet(Math.floorMod(status, CODES));
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
        return Counts.of(codes, errorCounts, examples);
    }
}
