package archway.lab.load;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * How the measured requests ended: HTTP answers by status class and by exact code, and
 * failures without an answer by kind.
 *
 * @param byClass       answers by class, {@code 2xx} to {@code 5xx}, every class present
 * @param byCode        answers by exact status code, only the codes seen, in order
 * @param errors        requests without an answer, by kind ({@code connect}, {@code timeout}, {@code other})
 * @param errorExamples the first failure message of each kind seen
 * @param byCache       answers by their {@code X-Cache} value ({@code HIT}, {@code MISS}, ...;
 *                      {@value #NO_CACHE} without one), only the values seen
 */
record Counts(Map<String, Long> byClass, Map<Integer, Long> byCode, Map<String, Long> errors,
              Map<String, String> errorExamples, Map<String, Long> byCache) {

    /** How answers without an {@code X-Cache} header are counted. */
    static final String NO_CACHE = "none";

    Counts {
        byCache = unmodifiable(new TreeMap<>(byCache));
        byClass = unmodifiable(byClass);
        byCode = unmodifiable(new TreeMap<>(byCode));
        errors = unmodifiable(errors);
        errorExamples = unmodifiable(errorExamples);
    }

    /** Counts from answers by code and failures by kind. */
    static Counts of(Map<Integer, Long> byCode, Map<ErrorKind, Long> errors, Map<ErrorKind, String> examples) {
        Map<String, Long> classes = new LinkedHashMap<>();
        for (int hundreds = 2; hundreds <= 5; hundreds++) {
            classes.put(hundreds + "xx", 0L);
        }
        byCode.forEach((code, n) -> classes.merge(code / 100 + "xx", n, Long::sum));
        Map<String, Long> errorCounts = new LinkedHashMap<>();
        for (ErrorKind kind : ErrorKind.values()) {
            errorCounts.put(kind.label(), errors.getOrDefault(kind, 0L));
        }
        Map<String, String> errorExamples = new LinkedHashMap<>();
        examples.forEach((kind, message) -> errorExamples.put(kind.label(), message));
        return new Counts(classes, byCode, errorCounts, errorExamples, Map.of());
    }

    /** These counts with the answers' {@code X-Cache} outcomes. */
    Counts withCacheOutcomes(Map<String, Long> outcomes) {
        return new Counts(byClass, byCode, errors, errorExamples, outcomes);
    }

    /** The share of answers with {@code X-Cache: HIT} (0 when there were none). */
    double hitShare() {
        long answers = byCache.values().stream().mapToLong(Long::longValue).sum();
        return answers == 0 ? 0 : byCache.getOrDefault("HIT", 0L) / (double) answers;
    }

    /** Requests that got an HTTP answer, whatever its status. */
    long responses() {
        return byCode.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Requests that got no answer. */
    long failures() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Answers with exactly this status. */
    long count(int status) {
        return byCode.getOrDefault(status, 0L);
    }

    private static <K, V> Map<K, V> unmodifiable(Map<K, V> map) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
