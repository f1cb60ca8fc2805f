package archway.bus;

import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The message-bus port (the diagram's BUS box): task queues and pub/sub fan-out between the
 * services, fed by transactional outboxes.
 *
 * <p>A service never publishes directly: it appends events to its outbox
 * ({@link Outbox#append}) in the same database transaction as the change they describe, and
 * the bus relays the outbox to the topics. So an event is published if and only if its
 * change committed, whatever crashes in between; a relay that crashes after publishing but
 * before marking the rows sent publishes them again, which consumers absorb by recording
 * event ids ({@link ProcessedEvents}).
 */
public interface Bus extends AutoCloseable {

    /** Creates the topics that do not exist yet, with the given partition counts. */
    void createTopics(Map<String, Integer> partitionsByTopic);

    /**
     * Starts relaying the outbox kept in {@code db} (a service's schema; the outbox table is
     * created there if missing) to the bus. Several instances may relay the same outbox: one
     * at a time is active, so events leave in the order they were written.
     *
     * @param name names the relay in logs and metrics, such as {@code orders}
     */
    AutoCloseable relay(String name, DataSource db);

    /** Starts a member of a consumer group; closing it leaves the group. */
    AutoCloseable subscribe(Subscription subscription);

    /** The dead letters, oldest first, including those already replayed. */
    List<DeadLetter> deadLetters();

    /**
     * Publishes a dead letter's event again to its original topic (same id and key), for
     * every group to see; groups that handled it already skip it by its id.
     *
     * @return whether a dead letter with that id existed and had not been replayed yet
     */
    boolean replay(String deadLetterId);

    /** Stops every relay and subscription this bus started. */
    @Override
    void close();
}
