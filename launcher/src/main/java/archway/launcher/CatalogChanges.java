package archway.launcher;

import archway.bus.Event;
import archway.bus.EventHandler;
import archway.bus.Subscription;
import archway.cache.CachePlan;
import archway.catalog.CatalogEvents;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last leg of a catalog change's way to the clients: for each {@code ProductChanged} on
 * the catalog's topic, every app instance first drops the product from its application
 * caches, then the gateway's and the edge's HTTP caches drop every answer tagged
 * {@code product-<id>} ({@code Surrogate-Key}).
 *
 * <p>The order matters. Each instance also drops the product when its own consumer sees
 * the event, but the consumers of different groups run at their own pace: purged first, the
 * edge could refill from an instance that has not seen the event yet and keep the old price
 * for its whole lifetime. Asking every instance first (and waiting for the answers, a few
 * milliseconds) means the refill can only read the new row. An instance that does not
 * answer is logged and skipped: its own consumer still drops the product, later.
 *
 * <p>The edge's cache does not store an answer whose fetch began before a purge that
 * covers it, so an answer already on its way with the old price cannot outlive the purge.
 */
final class CatalogChanges implements EventHandler {

    /** The consumer group of the operations side: one member, in the launcher. */
    static final String GROUP = "http-cache-purge";
    /** The application caches that hold a product, by id, and the pages that list it. */
    private static final List<String> BY_ID = List.of(CachePlan.PRODUCTS);
    private static final List<String> ALL_ENTRIES = List.of(CachePlan.PAGES, CachePlan.CURSOR_PAGES);
    private static final Logger LOG = LoggerFactory.getLogger(CatalogChanges.class);

    private final InstanceCaches caches;
    private final List<ToIntFunction<String>> httpCaches;

    /**
     * @param caches     the app instances' caches
     * @param httpCaches purge-by-tag of each HTTP cache, innermost first (the gateway's, then the edge's)
     */
    CatalogChanges(InstanceCaches caches, List<ToIntFunction<String>> httpCaches) {
        this.caches = caches;
        this.httpCaches = List.copyOf(httpCaches);
    }

    Subscription subscription() {
        return new Subscription(GROUP, List.of(CatalogEvents.TOPIC), this,
                new Subscription.Retry(3, Duration.ofMillis(50), Duration.ofMillis(500)));
    }

    @Override
    public void handle(Event event) {
        if (!event.type().equals(CatalogEvents.PRODUCT_CHANGED) || !event.key().matches("[1-9][0-9]{0,17}")) {
            return;
        }
        invalidateInstances(event.key());
        String tag = "product-" + event.key();
        int purged = 0;
        for (ToIntFunction<String> cache : httpCaches) {
            purged += cache.applyAsInt(tag);
        }
        LOG.debug("product {} changed: {} HTTP cache entries purged", event.key(), purged);
    }

    /** Drops the product from every instance's caches, all instances at once, and waits for their answers. */
    private void invalidateInstances(String productId) {
        List<InstanceCaches.Answer> answers = new ArrayList<>();
        for (String cache : BY_ID) {
            answers.addAll(caches.invalidate(cache, productId));
        }
        for (String cache : ALL_ENTRIES) {
            answers.addAll(caches.invalidate(cache, null));
        }
        for (InstanceCaches.Answer answer : answers) {
            if (answer.status() < 200 || answer.status() >= 300) {
                LOG.warn("{} did not drop product {} from its caches: {} {}", answer.instance(), productId, answer.status(),
                        answer.body());
            }
        }
    }
}
