package archway.gateway.limits;

/**
 * A rate limiter's answer for one request, with what the {@code RateLimit-*} headers say.
 *
 * @param allowed           whether the request may go on
 * @param limit             the caller's limit in the window that binds now (the burst, or the daily quota when that is closer)
 * @param remaining         requests left in that window after this one
 * @param resetSeconds      seconds until that window is full again
 * @param retryAfterSeconds when refused, seconds until a request would be allowed; {@code 0} when allowed
 */
public record RateDecision(boolean allowed, long limit, long remaining, long resetSeconds, long retryAfterSeconds) {
}
