package archway.analytics;

import archway.bus.Event;
import archway.bus.EventHandler;
import archway.bus.Payloads;
import archway.bus.ProcessedEvents;
import archway.bus.Subscription;
import archway.order.OrderEvents;
import archway.store.Store;
import archway.store.Transactions;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The analytics service in this process: counts order outcomes per day and units sold per
 * product (consumer group {@value #GROUP}), in the {@value #SCHEMA} schema.
 */
public final class LocalAnalyticsService implements EventHandler {

    public static final String SCHEMA = "analytics";
    static final String GROUP = "analytics";

    private final DataSource db;
    private final Clock clock;

    public LocalAnalyticsService(Store store, Clock clock) {
        this.db = store.schema(SCHEMA);
        this.clock = clock;
        ProcessedEvents.createTable(db);
    }

    /** The consumer group of this service on the order events. */
    public Subscription subscription(Subscription.Retry retry) {
        return new Subscription(GROUP, List.of(OrderEvents.TOPIC), this, retry);
    }

    @Override
    public void handle(Event event) {
        switch (event.type()) {
            case OrderEvents.ORDER_CONFIRMED -> {
                OrderEvents.OrderConfirmed order = Payloads.read(event, OrderEvents.OrderConfirmed.class);
                List<OrderEvents.Line> items = Payloads.required(event, "items", order.items());
                long revenue = Payloads.required(event, "total", order.total()).amount();
                count(event, tx -> {
                    long units = 0;
                    try (PreparedStatement upsert = tx.prepareStatement("INSERT INTO product_sales (product_id, units) "
                            + "VALUES (?, ?) ON CONFLICT (product_id) DO UPDATE SET units = product_sales.units + EXCLUDED.units")) {
                        for (OrderEvents.Line line : items) {
                            upsert.setLong(1, line.productId());
                            upsert.setLong(2, line.quantity());
                            upsert.addBatch();
                            units += line.quantity();
                        }
                        upsert.executeBatch();
                    }
                    addToDay(tx, 1, 0, units, revenue);
                });
            }
            case OrderEvents.ORDER_REJECTED -> count(event, tx -> addToDay(tx, 0, 1, 0, 0));
            default -> {
                // only outcomes are counted
            }
        }
    }

    private interface Counting {
        void run(Connection tx) throws SQLException;
    }

    private void count(Event event, Counting counting) {
        Transactions.inTransaction(db, "count an order", tx -> {
            if (ProcessedEvents.markProcessed(tx, GROUP, event.id())) {
                counting.run(tx);
            }
            return null;
        });
    }

    private void addToDay(Connection tx, long confirmed, long rejected, long units, long revenue) throws SQLException {
        try (PreparedStatement upsert = tx.prepareStatement("INSERT INTO order_stats AS s (day, confirmed, rejected, units, revenue) "
                + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (day) DO UPDATE SET confirmed = s.confirmed + EXCLUDED.confirmed, "
                + "rejected = s.rejected + EXCLUDED.rejected, units = s.units + EXCLUDED.units, revenue = s.revenue + EXCLUDED.revenue")) {
            upsert.setDate(1, Date.valueOf(LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC)));
            upsert.setLong(2, confirmed);
            upsert.setLong(3, rejected);
            upsert.setLong(4, units);
            upsert.setLong(5, revenue);
            upsert.executeUpdate();
        }
    }

    /** The last 30 days and the ten best-selling products. */
    public OrderStats stats() {
        return Transactions.inTransaction(db, "read order statistics", tx -> {
            List<OrderStats.Day> days = new ArrayList<>();
            try (PreparedStatement select = tx.prepareStatement(
                    "SELECT day, confirmed, rejected, units, revenue FROM order_stats ORDER BY day DESC LIMIT 30");
                 ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    days.add(new OrderStats.Day(rs.getDate(1).toLocalDate(), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                            rs.getLong(5)));
                }
            }
            List<OrderStats.ProductSales> top = new ArrayList<>();
            try (PreparedStatement select = tx.prepareStatement(
                    "SELECT product_id, units FROM product_sales ORDER BY units DESC, product_id LIMIT 10");
                 ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    top.add(new OrderStats.ProductSales(rs.getLong(1), rs.getLong(2)));
                }
            }
            return new OrderStats(days, top);
        });
    }
}
