package archway.bus;

/**
 * What a consumer group does with each event it receives. Called one event at a time per
 * partition, in the order of the partition, so the events of one key arrive in the order
 * they were published.
 *
 * <p>Delivery is at least once: an event may come again after a crash or a rebalance, so a
 * handler records the event id in the same transaction as its effect (see
 * {@link ProcessedEvents}) and does nothing the second time.
 *
 * <p>A handler that throws is called again with the same event after a back-off, up to the
 * subscription's attempt limit; then the event goes to the dead-letter topic and the
 * partition moves on. {@link PoisonEventException} skips the retries: the event can never
 * succeed as it is.
 */
@FunctionalInterface
public interface EventHandler {

    void handle(Event event) throws Exception;
}
