package archway.provider;

/**
 * The provider's fault-injection knobs, changed at run time by the operator (in process
 * through {@link PaymentProvider#update}, or over HTTP with {@code PUT /v1/settings}).
 * Only charge calls ({@code POST /v1/charges}) feel them.
 *
 * @param latencyMs extra milliseconds every charge call waits before it is handled, 0 to {@value #MAX_LATENCY_MS}
 * @param errorRate the share of charge calls answered {@code 503} without recording anything, 0.0 to 1.0
 */
public record Settings(long latencyMs, double errorRate) {

    public static final long MAX_LATENCY_MS = 60_000;
    /** A provider in good health: no extra latency, no injected errors. */
    public static final Settings HEALTHY = new Settings(0, 0.0);

    public Settings {
        if (latencyMs < 0 || latencyMs > MAX_LATENCY_MS) {
            throw new IllegalArgumentException("latency_ms must be 0 to " + MAX_LATENCY_MS + " milliseconds, was " + latencyMs);
        }
        if (!(errorRate >= 0.0 && errorRate <= 1.0)) { // also false for NaN
            throw new IllegalArgumentException("error_rate must be 0.0 to 1.0, was " + errorRate);
        }
    }
}
