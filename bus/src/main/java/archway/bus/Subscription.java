package archway.bus;

import java.time.Duration;
import java.util.List;

/**
 * A consumer group's subscription: which topics, which handler, and how failures are retried.
 *
 * @param group       the consumer group; each group receives every event once (pub/sub
 *                    between groups), and the partitions are shared among the group's members
 *                    (work sharing inside a group)
 * @param topics      the topics to read
 * @param handler     what to do with each event
 * @param retry       back-off and attempt limit before the dead-letter topic
 */
public record Subscription(String group, List<String> topics, EventHandler handler, Retry retry) {

    public Subscription {
        if (group == null || !group.matches("[a-z][a-z0-9_.-]{0,60}")) {
            throw new IllegalArgumentException("subscription group must be a lower-case name, was " + group);
        }
        if (topics == null || topics.isEmpty()) {
            throw new IllegalArgumentException("subscription " + group + " must name at least one topic");
        }
        topics = List.copyOf(topics);
        if (handler == null) {
            throw new IllegalArgumentException("subscription " + group + " needs a handler");
        }
        if (retry == null) {
            throw new IllegalArgumentException("subscription " + group + " needs a retry policy");
        }
    }

    public static Subscription of(String group, List<String> topics, EventHandler handler) {
        return new Subscription(group, topics, handler, Retry.DEFAULT);
    }

    /**
     * Exponential back-off with full jitter: attempt n waits a random time in
     * {@code [0, min(max, initial * 2^(n-1))]}.
     *
     * @param maxAttempts attempts in all (the first one included) before the dead-letter topic
     */
    public record Retry(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

        /** Eight attempts, 100 ms doubling up to 5 s: about 10-20 s of trying in all. */
        public static final Retry DEFAULT = new Retry(8, Duration.ofMillis(100), Duration.ofSeconds(5));

        public Retry {
            if (maxAttempts < 1 || maxAttempts > 100) {
                throw new IllegalArgumentException("retry maxAttempts must be 1-100, was " + maxAttempts);
            }
            if (initialBackoff == null || initialBackoff.isNegative() || maxBackoff == null
                    || maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalArgumentException("retry back-off must be 0 <= initial <= max, was "
                        + initialBackoff + " and " + maxBackoff);
            }
        }
    }
}
