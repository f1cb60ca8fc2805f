package archway.payment;

import archway.bus.Subscription;
import archway.bus.Outbox;
import archway.bus.ProcessedEvents;
import archway.order.OrderEvents;
import archway.store.Store;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import javax.sql.DataSource;

/**
 * The payment service in this process: charges orders at the card processor, and keeps
 * what it learned in the {@value #SCHEMA} schema, its replies to the saga in its outbox.
 * It has no HTTP endpoints of its own: orders reach it as events only.
 */
public final class LocalPaymentService {

    /** The schema the service keeps its tables in. */
    public static final String SCHEMA = "payment";

    private final DataSource db;
    private final PaymentWorker worker;

    /** Migrates the service's schema in {@code store} if needed and creates its outbox. */
    public LocalPaymentService(Store store, CardProcessor processor, MeterRegistry registry) {
        this.db = store.schema(SCHEMA);
        Outbox.createTable(db);
        ProcessedEvents.createTable(db);
        this.worker = new PaymentWorker(db, processor, registry);
    }

    /** The data source of the schema, whose outbox the bus relays. */
    public DataSource outbox() {
        return db;
    }

    /** The consumer group of the saga this service runs, with what it does with each event. */
    public Subscription subscription(Subscription.Retry retry) {
        return new Subscription(PaymentWorker.GROUP, List.of(OrderEvents.TOPIC), worker, retry);
    }
}
