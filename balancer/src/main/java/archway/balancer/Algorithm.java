package archway.balancer;

import java.time.Clock;

/** How a pool chooses the instance for a request; each is one {@link Picker}. */
public enum Algorithm {
    /** In turn: every instance that is up gets the same share. */
    ROUND_ROBIN,
    /** The instance with the fewest requests in flight; equal ones in turn. */
    LEAST_OUTSTANDING,
    /**
     * Of two instances drawn at random, the one with the lower peak-EWMA latency times
     * (requests in flight + 1): traffic moves away from a slow instance and back once it is fast.
     */
    PEAK_EWMA;

    Picker picker(Clock clock) {
        return switch (this) {
            case ROUND_ROBIN -> new RoundRobin();
            case LEAST_OUTSTANDING -> new LeastOutstanding();
            case PEAK_EWMA -> new PowerOfTwoChoices(clock);
        };
    }
}
