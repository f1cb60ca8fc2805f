package archway.gateway.keys;

import archway.gateway.limits.LimitPolicy;

/**
 * What a machine client's API key may use: a request rate with bursts, and a daily quota.
 *
 * @param name  shown to operators, such as {@code partner-basic}
 * @param limit the key's rate limit and daily quota, applied on every route instead of the per-address limits
 */
public record UsagePlan(String name, LimitPolicy limit) {

    public UsagePlan {
        if (name == null || !name.matches("[a-z0-9][a-z0-9_-]{0,63}")) {
            throw new IllegalArgumentException("a usage plan name is 1-64 lower-case letters, digits, '-' or '_', was " + name);
        }
        if (limit == null) {
            throw new IllegalArgumentException("a usage plan needs a limit");
        }
    }
}
