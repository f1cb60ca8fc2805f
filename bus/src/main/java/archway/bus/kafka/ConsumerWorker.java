package archway.bus.kafka;

import archway.bus.Event;
import archway.bus.PoisonEventException;
import archway.bus.Subscription;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One member of a consumer group: a {@code KafkaConsumer} and the thread that owns it, which
 * hands the records to the subscription's handler one at a time.
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li>Order: the records of a partition (of a key) are handled strictly one after another.
 *       A failing record is retried in place, so it holds up the records after it in its
 *       partition until it succeeds or is dead-lettered; that is the price of per-key order.
 *       One thread serves all the member's partitions, so it holds up those too; more members
 *       (instances) spread the partitions.</li>
 *   <li>Offsets: committed once per poll without waiting (the next poll does not wait for the
 *       broker's answer), synchronously before every back-off, on revocation and on close, and
 *       only ever past records handled or dead-lettered. A crash redelivers at most what was
 *       handled since the last commit: at least once, never skipped. Under load a poll returns
 *       more records, so commits stay few.</li>
 *   <li>Back-off: full jitter per {@link Subscription.Retry}. The worker waits by polling with
 *       every assigned partition paused, so it keeps its place in the group (the poll interval
 *       never runs out, rebalances go through) without taking in records; any record such a poll
 *       returns anyway (a partition assigned meanwhile) is rewound with a seek.</li>
 *   <li>Rebalances: on revocation the done offsets are committed and the rest of the poll's
 *       records of those partitions are dropped (their next owner, or this member after a new
 *       assignment, reads them again from the committed offset). A record being retried on a
 *       revoked partition is abandoned with its attempt count; the next owner starts again.</li>
 *   <li>Dead letters: a record without an {@code event_id} or {@code event_type} header, a
 *       {@link PoisonEventException}, or the last failed attempt, goes to the dead-letter topic;
 *       its offset is committed only once the dead letter is acknowledged.</li>
 * </ul>
 */
final class ConsumerWorker extends Worker {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerWorker.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
    private static final Duration BACKOFF_POLL = Duration.ofMillis(100);
    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration FAILURE_PAUSE = Duration.ofSeconds(1);
    private static final Duration DEAD_LETTER_TIMEOUT = Clients.DELIVERY_TIMEOUT.plusSeconds(5);

    private final Subscription subscription;
    private final Consumer<String, String> consumer;
    private final DeadLetterTopic deadLetters;
    private final Counter consumed;
    private final Counter retries;
    private final Counter deadLettered;
    private final Warnings warnings = new Warnings(LOG, Duration.ofSeconds(5));

    // touched by the worker thread only (the rebalance callbacks run inside its polls)
    private final Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
    private final Set<TopicPartition> revoked = new HashSet<>();
    private boolean backingOff;

    ConsumerWorker(String threadName, Subscription subscription, Consumer<String, String> consumer,
                   DeadLetterTopic deadLetters, Counter consumed, Counter retries, Counter deadLettered) {
        super(threadName);
        this.subscription = subscription;
        this.consumer = consumer;
        this.deadLetters = deadLetters;
        this.consumed = consumed;
        this.retries = retries;
        this.deadLettered = deadLettered;
    }

    /**
     * Full jitter: a random wait in {@code [0, min(max, initial * 2^(attempt-1))]} after the
     * failed attempt number {@code attempt} (1 for the first).
     */
    static Duration backoff(Subscription.Retry retry, int attempt) {
        long cap = retry.initialBackoff().toNanos();
        long max = retry.maxBackoff().toNanos();
        for (int i = 1; i < attempt && cap < max; i++) {
            cap = cap > max / 2 ? max : cap * 2;
        }
        cap = Math.min(cap, max);
        return Duration.ofNanos(cap == 0 ? 0 : ThreadLocalRandom.current().nextLong(cap + 1));
    }

    @Override
    void wake() {
        consumer.wakeup();
    }

    @Override
    void work() {
        try {
            consumer.subscribe(subscription.topics(), new Rebalance());
            while (!stopping()) {
                try {
                    ConsumerRecords<String, String> records = consumer.poll(POLL_TIMEOUT);
                    // records returned by a poll belong to the assignment after any rebalance in it
                    revoked.clear();
                    handle(records);
                    warnings.recovered("group " + subscription.group() + " consumes again");
                } catch (WakeupException | InterruptException e) {
                    break; // close()
                } catch (KafkaException e) {
                    warnings.warn("group " + subscription.group() + " cannot consume " + subscription.topics() + ", retrying", e);
                    if (!pause(FAILURE_PAUSE)) {
                        break;
                    }
                }
            }
        } finally {
            leave();
        }
    }

    private void handle(ConsumerRecords<String, String> records) {
        for (TopicPartition partition : records.partitions()) {
            for (ConsumerRecord<String, String> record : records.records(partition)) {
                if (stopping() || revoked.contains(partition) || !settle(record, partition)) {
                    break;
                }
                done.put(partition, new OffsetAndMetadata(record.offset() + 1));
            }
        }
        commitDoneAsync();
    }

    /**
     * Commits what a poll's records left done without waiting for the broker: one commit per
     * poll, however many partitions it served. The offsets stay in {@link #done} until a
     * synchronous commit (before a back-off, on revocation, on close) has them for certain, so
     * an asynchronous commit still under way when a partition moves is made again, and the
     * partition's next owner does not get its records a second time.
     */
    private void commitDoneAsync() {
        if (done.isEmpty()) {
            return;
        }
        consumer.commitAsync(new HashMap<>(done), (offsets, failure) -> {
            if (failure != null) {
                LOG.debug("group {}: an asynchronous commit failed: {}", subscription.group(), Warnings.describe(failure));
            }
        });
    }

    /**
     * Handles one record, retrying as the subscription says, or dead-letters it.
     *
     * @return whether it is settled (its offset may be committed); {@code false} when the worker
     *         is closing or lost the partition meanwhile
     */
    private boolean settle(ConsumerRecord<String, String> record, TopicPartition partition) {
        Event event = EventRecords.toEvent(record);
        Optional<String> malformation = EventRecords.malformation(record);
        if (malformation.isPresent()) {
            return deadLetter(partition, event, "MalformedEvent: " + malformation.get(), 0);
        }
        Subscription.Retry retry = subscription.retry();
        for (int attempt = 1; ; attempt++) {
            try {
                subscription.handler().handle(event);
                consumed.increment();
                return true;
            } catch (PoisonEventException e) {
                return deadLetter(partition, event, Warnings.describe(e), attempt);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Exception | Error e) {
                // an Error too (an assertion, a missing class): it is the handler's, and letting it
                // end this thread would silently stop the subscription
                if (stopping()) {
                    return false; // most likely failed because of the close; the next owner handles it
                }
                if (attempt >= retry.maxAttempts()) {
                    return deadLetter(partition, event, Warnings.describe(e), attempt);
                }
                retries.increment();
                Duration wait = backoff(retry, attempt);
                LOG.debug("group {}: attempt {} of event {} ({}) failed, retrying in {} ms: {}", subscription.group(), attempt,
                        event.id(), event.type(), wait.toMillis(), Warnings.describe(e));
                if (!backOff(partition, wait)) {
                    return false;
                }
            }
        }
    }

    /** Publishes a dead letter and waits for it, trying again while the broker is away. */
    private boolean deadLetter(TopicPartition partition, Event event, String error, int attempts) {
        while (true) {
            try {
                deadLetters.publish(subscription.group(), event, error, attempts)
                        .get(DEAD_LETTER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                deadLettered.increment();
                LOG.warn("group {} gave up on event {} ({}, key {}) of {} after {} attempts: {}", subscription.group(),
                        event.id(), event.type(), event.key(), partition, attempts, error);
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (ExecutionException | TimeoutException | KafkaException e) {
                warnings.warn("group " + subscription.group() + " cannot publish a dead letter, retrying", e);
                if (!backOff(partition, FAILURE_PAUSE)) {
                    return false;
                }
            }
        }
    }

    /**
     * Waits {@code wait} while staying in the group: polls with every partition paused.
     *
     * @return {@code false} when the worker is closing or lost {@code partition} meanwhile
     */
    private boolean backOff(TopicPartition partition, Duration wait) {
        // a long wait, or a rebalance during it, must not lose what is done
        commitDone();
        long deadline = System.nanoTime() + wait.toNanos();
        backingOff = true;
        consumer.pause(consumer.assignment());
        try {
            while (!stopping() && !revoked.contains(partition)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return true;
                }
                rewind(consumer.poll(Duration.ofNanos(Math.min(left, BACKOFF_POLL.toNanos()))));
            }
            return false;
        } catch (WakeupException e) {
            return false; // close()
        } finally {
            backingOff = false;
            consumer.resume(consumer.paused());
        }
    }

    /** Puts back records a poll returned during a back-off: they are read again after it. */
    private void rewind(ConsumerRecords<String, String> records) {
        for (TopicPartition partition : records.partitions()) {
            consumer.seek(partition, records.records(partition).getFirst().offset());
            consumer.pause(Set.of(partition));
        }
    }

    private void commitDone() {
        if (done.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(done, COMMIT_TIMEOUT);
            done.clear();
        } catch (RebalanceInProgressException e) {
            // a member joins or leaves: the partitions are still ours until revoked, and the next
            // commit (after a poll, at the latest in onPartitionsRevoked) carries these offsets
            LOG.debug("group {}: commit put off by a rebalance in progress", subscription.group());
        } catch (CommitFailedException e) {
            // this member was dropped from the group (too slow, or cut off): its partitions are
            // someone else's already, and their records since the last commit come again there
            warnings.warn("group " + subscription.group() + " lost its partitions before it could commit", e);
            done.clear();
        } catch (WakeupException | InterruptException e) {
            throw e;
        } catch (KafkaException e) {
            // the broker is away: keep the offsets, the next commit carries them
            warnings.warn("group " + subscription.group() + " cannot commit its offsets, retrying", e);
        }
    }

    /** Commits what is done and leaves the group, so its partitions move at once rather than after the session timeout. */
    private void leave() {
        boolean interrupted = Thread.interrupted(); // the consumer's calls fail at once on an interrupted thread
        try {
            commitDone();
        } catch (RuntimeException e) {
            LOG.debug("group {}: last commit failed: {}", subscription.group(), Warnings.describe(e));
        }
        try {
            consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));
        } catch (RuntimeException e) {
            LOG.warn("group {}: closing its consumer failed: {}", subscription.group(), Warnings.describe(e));
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return {@code false} when closing */
    private boolean pause(Duration pause) {
        try {
            Thread.sleep(pause);
            return !stopping();
        } catch (InterruptedException e) {
            return false;
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            revoked.addAll(partitions);
            commitDone();
            done.keySet().removeAll(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            // already someone else's: a commit would fail
            revoked.addAll(partitions);
            done.keySet().removeAll(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (backingOff) {
                consumer.pause(partitions);
            }
        }
    }
}
