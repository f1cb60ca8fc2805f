package archway.bus.kafka;

import archway.bus.Event;
import archway.bus.Outbox;
import io.micrometer.core.instrument.Counter;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains one outbox table to Kafka, oldest row first.
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li>One batch is one database transaction: take the outbox's advisory lock
 *       ({@code pg_try_advisory_xact_lock}), lock the oldest rows, send them, wait for every
 *       acknowledgement, delete them, commit. A row is deleted only once Kafka holds it, so a
 *       crash anywhere leaves it in the table, to be sent again: at least once, never lost.</li>
 *   <li>The advisory lock makes the instances relaying the same outbox take turns, one batch
 *       at a time. The next batch, whoever sends it, starts after the last one was acknowledged
 *       and deleted, so the rows leave in {@code seq} order and each key's events reach their
 *       partition in the order they were written. (That is the order of {@code seq}, given out
 *       at insert: two transactions writing events of one key should hold a lock on its
 *       aggregate, as they do when they change it, so that they also commit in that order.)</li>
 *   <li>A failed batch (database or broker away) is rolled back and tried again after a
 *       back-off doubling from {@value #FIRST_RETRY_MILLIS} ms to 5 s; part of it may have been
 *       published already, and is published again: consumers dedupe by event id. A row that can
 *       never be sent (a record too large, a topic name Kafka refuses) holds the outbox up
 *       until someone removes it; the warnings say so every few seconds.</li>
 * </ul>
 */
final class OutboxRelay extends Worker {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
    private static final long FIRST_RETRY_MILLIS = 100;
    private static final Duration FIRST_RETRY = Duration.ofMillis(FIRST_RETRY_MILLIS);
    private static final Duration LAST_RETRY = Duration.ofSeconds(5);
    /** The producer fails a send after its delivery timeout; this only guards against a hang beyond it. */
    private static final Duration ACK_WAIT = Clients.DELIVERY_TIMEOUT.plusSeconds(5);
    private static final Duration BACKLOG_EVERY = Duration.ofSeconds(1);
    private static final int STANDBY = -1;
    private static final Duration STANDBY_POLL = Duration.ofMillis(250);

    private final String relayName;
    private final DataSource db;
    private final Producer<String, String> producer;
    private final long lockKey;
    private final Duration pollInterval;
    private final int batchSize;
    private final Counter published;
    private final AtomicLong backlog;
    private final Warnings warnings = new Warnings(LOG, Duration.ofSeconds(5));
    private long backlogCountedAt;

    /**
     * @param backlog where to keep the outbox's row count (for a gauge), or {@code null} not
     *                to count (a {@code count(*)} a second)
     */
    OutboxRelay(String relayName, DataSource db, Producer<String, String> producer, Duration pollInterval, int batchSize,
                Counter published, AtomicLong backlog) {
        super("archway-relay-" + relayName);
        this.relayName = relayName;
        this.db = db;
        this.producer = producer;
        this.lockKey = lockKey(relayName);
        this.pollInterval = pollInterval;
        this.batchSize = batchSize;
        this.published = published;
        this.backlog = backlog;
    }

    /**
     * The advisory-lock key of the outbox relayed as {@code name}: a 64-bit FNV-1a hash of
     * {@code "outbox:" + name}, the same in every JVM and release (unlike an identity hash).
     */
    static long lockKey(String name) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : ("outbox:" + name).getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash;
    }

    @Override
    void work() {
        Duration retry = FIRST_RETRY;
        while (!stopping()) {
            Duration pause;
            try {
                int sent = relayBatch();
                warnings.recovered("relay " + relayName + " publishes its outbox again");
                retry = FIRST_RETRY;
                countBacklog();
                // a full batch means more rows are waiting; anything less means the outbox is drained
                if (sent == STANDBY) {
                    // another instance relays this outbox: only look often enough to take over soon
                    // when it stops, rather than spend a transaction every poll interval for nothing
                    pause = pollInterval.compareTo(STANDBY_POLL) > 0 ? pollInterval : STANDBY_POLL;
                } else {
                    pause = sent == batchSize ? Duration.ZERO : pollInterval;
                }
            } catch (InterruptedException e) {
                return; // close()
            } catch (SQLException | ExecutionException | TimeoutException | RuntimeException e) {
                if (stopping()) {
                    return;
                }
                warnings.warn("relay " + relayName + " cannot publish its outbox, retrying", e);
                pause = retry;
                retry = retry.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : retry.multipliedBy(2);
            }
            if (!pause.isZero() && !sleep(pause)) {
                return;
            }
        }
    }

    /** One transaction: the number of rows published, or {@link #STANDBY} when another instance holds the outbox. */
    private int relayBatch() throws SQLException, InterruptedException, ExecutionException, TimeoutException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (!tryLock(c)) {
                    c.rollback();
                    return STANDBY;
                }
                List<Row> rows = lockOldest(c);
                if (!rows.isEmpty()) {
                    publish(rows);
                    delete(c, rows);
                }
                c.commit();
                published.increment(rows.size());
                return rows.size();
            } catch (Exception e) {
                rollbackQuietly(c);
                throw e;
            }
        }
    }

    private boolean tryLock(Connection c) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("SELECT pg_try_advisory_xact_lock(?)")) {
            lock.setLong(1, lockKey);
            try (ResultSet result = lock.executeQuery()) {
                return result.next() && result.getBoolean(1);
            }
        }
    }

    private List<Row> lockOldest(Connection c) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement("SELECT seq, " + Outbox.EVENT_COLUMNS
                + " FROM outbox ORDER BY seq LIMIT ? FOR UPDATE")) {
            select.setInt(1, batchSize);
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    rows.add(new Row(result.getLong(1), Outbox.event(result, 2)));
                }
            }
        }
        return rows;
    }

    /** Sends every row, then waits for every acknowledgement: the batch counts only when all of it is in Kafka. */
    private void publish(List<Row> rows) throws InterruptedException, ExecutionException, TimeoutException {
        List<Future<RecordMetadata>> acks = new ArrayList<>(rows.size());
        for (Row row : rows) {
            acks.add(producer.send(EventRecords.toRecord(row.event())));
        }
        long deadline = System.nanoTime() + ACK_WAIT.toNanos();
        for (Future<RecordMetadata> ack : acks) {
            ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
    }

    private static void delete(Connection c, List<Row> rows) throws SQLException {
        Array seqs = c.createArrayOf("bigint", rows.stream().map(Row::seq).toArray(Long[]::new));
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM outbox WHERE seq = ANY(?)")) {
            delete.setArray(1, seqs);
            delete.executeUpdate();
        } finally {
            seqs.free();
        }
    }

    private void countBacklog() throws SQLException {
        if (backlog == null || System.nanoTime() - backlogCountedAt < BACKLOG_EVERY.toNanos()) {
            return;
        }
        backlogCountedAt = System.nanoTime();
        try (Connection c = db.getConnection(); Statement count = c.createStatement();
             ResultSet result = count.executeQuery("SELECT count(*) FROM outbox")) {
            result.next();
            backlog.set(result.getLong(1));
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            // the connection is broken; the server rolls the transaction back as it drops it
        }
    }

    /** @return {@code false} when interrupted (close) */
    private static boolean sleep(Duration pause) {
        try {
            Thread.sleep(pause);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    private record Row(long seq, Event event) {
    }
}
