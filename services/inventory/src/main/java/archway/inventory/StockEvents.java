package archway.inventory;

import archway.bus.Event;
import archway.bus.Outbox;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/**
 * The inventory's stock events, on topic {@value #TOPIC}, keyed by the product id (so the
 * levels of one product arrive in the order they were written): every instance puts each
 * level it reads into its write-through stock cache.
 */
public final class StockEvents {

    public static final String TOPIC = "stock";
    /** A product's stock changed: {@code {"product_id": 42, "available": 7, "reserved": 1}}. */
    public static final String STOCK_CHANGED = "StockChanged";

    /** The payload of {@value #STOCK_CHANGED}. */
    public record StockChanged(Long productId, Integer available, Integer reserved) {

        StockLevel level() {
            return new StockLevel(productId, available, reserved);
        }
    }

    private StockEvents() {
    }

    /** Appends the level to the outbox, within {@code tx}'s transaction (the one that changed it). */
    static void append(Connection tx, StockLevel level) throws SQLException {
        Outbox.append(tx, Event.of(TOPIC, Long.toString(level.productId()), STOCK_CHANGED,
                archway.bus.Payloads.write(new StockChanged(level.productId(), level.available(), level.reserved())), Map.of()));
    }
}
