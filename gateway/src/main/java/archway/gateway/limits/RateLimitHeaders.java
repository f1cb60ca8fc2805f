package archway.gateway.limits;

import archway.platform.problem.Problem;
import archway.platform.problem.ProblemException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpFields;

/**
 * What a caller hears of a {@link RateDecision}: the {@code RateLimit-Limit},
 * {@code RateLimit-Remaining} and {@code RateLimit-Reset} fields of the IETF httpapi
 * rate-limit headers draft (in seconds, the separate fields most clients read), plus
 * {@code Retry-After} on a refusal, and the {@code 429} problem of a refusal.
 *
 * <p>From a Jetty core handler: {@link #write} on {@code response.getHeaders()} of an allowed
 * request; {@code Problems.write(response, callback, RateLimitHeaders.tooManyRequests(...))}
 * for a refused one, which writes the same headers with the problem.
 */
public final class RateLimitHeaders {

    public static final String LIMIT = "RateLimit-Limit";
    public static final String REMAINING = "RateLimit-Remaining";
    public static final String RESET = "RateLimit-Reset";
    public static final String RETRY_AFTER = "Retry-After";

    private RateLimitHeaders() {
    }

    /** Puts the decision's headers on a response. */
    public static void write(HttpFields.Mutable headers, RateDecision decision) {
        headers.put(LIMIT, decision.limit());
        headers.put(REMAINING, decision.remaining());
        headers.put(RESET, decision.resetSeconds());
        if (!decision.allowed()) {
            headers.put(RETRY_AFTER, decision.retryAfterSeconds());
        }
    }

    /** The decision's headers by name, in the order they are sent. */
    public static Map<String, String> of(RateDecision decision) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(LIMIT, Long.toString(decision.limit()));
        headers.put(REMAINING, Long.toString(decision.remaining()));
        headers.put(RESET, Long.toString(decision.resetSeconds()));
        if (!decision.allowed()) {
            headers.put(RETRY_AFTER, Long.toString(decision.retryAfterSeconds()));
        }
        return headers;
    }

    /**
     * The {@code 429} problem of a refused request, with its headers, saying which limit was
     * reached.
     *
     * <p>The daily quota is the limit reached when the decision's limit is the policy's daily
     * quota (a policy whose daily quota equals its burst therefore always reads as its quota).
     *
     * @param decision a refusal of {@code policy}
     * @param policy   the policy the decision was made under
     * @param subject  whose limit it is, as the detail names it: {@code "this client address"},
     *                 {@code "API key ak_3kTq9ZbW1xYc"}
     */
    public static ProblemException tooManyRequests(RateDecision decision, LimitPolicy policy, String subject) {
        if (decision.allowed()) {
            throw new IllegalArgumentException("a request that was allowed is not too many: " + decision);
        }
        boolean quota = policy.dailyQuota() > 0 && decision.limit() == policy.dailyQuota();
        String detail = quota
                ? "daily quota of " + policy.dailyQuota() + " requests for " + subject + " used up; it resets at 00:00 UTC"
                : "rate limit of " + policy.perSecond() + " requests per second (bursts of " + policy.burst() + ") for "
                        + subject + " exceeded; retry in " + decision.retryAfterSeconds() + " s";
        return new ProblemException(Problem.of(429, detail), of(decision));
    }
}
