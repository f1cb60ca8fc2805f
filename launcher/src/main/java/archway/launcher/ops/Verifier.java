package archway.launcher.ops;

import archway.inventory.InventoryApi;
import archway.notification.NotificationApi;
import archway.order.OrderApi;
import archway.provider.PaymentProvider;
import archway.store.Store;
import archway.store.Transactions;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * {@code /verify}: the business invariants of the order flow, checked against what each
 * service stored and against the payment provider's ledger.
 *
 * <p>Each service keeps its own schema, so the auditor reads each one on its own (as it
 * would read separate databases) and joins the facts here. Every finding is either a
 * <em>violation</em> - something that can never become right by waiting, such as a double
 * charge or stock below zero - or <em>in flight</em> - a step of the saga that has not
 * happened yet, such as a confirmed order whose reservation is not committed yet. A system
 * at rest with nothing in flight and no violations kept every promise.
 */
final class Verifier {

    private static final int EXAMPLES = 5;

    private final Store store;

    Verifier(Store store) {
        this.store = store;
    }

    /** One invariant and what was found against it. */
    record Check(String name, String description, int violations, int inFlight, List<String> examples) {
    }

    /** The whole report, as {@code /verify} answers it. */
    record Report(int violations, int inFlight, Map<String, Long> orders, List<Check> checks) {
    }

    private record OrderFacts(String status, long total, String currency, Map<Long, Integer> lines, List<String> history) {
    }

    private record Reservation(String state, int quantity) {
    }

    Report verify() {
        Map<UUID, OrderFacts> orders = orders();
        Map<UUID, Map<Long, Reservation>> reservations = reservations();
        Map<UUID, List<Long>> approvedCharges = new HashMap<>(); // order -> amount of each approved charge
        charges(approvedCharges);
        Map<UUID, Integer> confirmations = notices("order_confirmed");

        List<Check> checks = new ArrayList<>();
        checks.add(oneState(orders));
        checks.add(terminalNeverChanges(orders));
        checks.add(noDoubleCharge(orders, approvedCharges));
        checks.add(stockBalance());
        checks.add(stockMatchesConfirmed(orders, reservations));
        checks.add(oneConfirmationNotice(orders, confirmations));

        Map<String, Long> byStatus = new LinkedHashMap<>();
        byStatus.put("total", (long) orders.size());
        for (String status : List.of("PENDING", "PAID", "CONFIRMED", "REJECTED")) {
            byStatus.put(status, orders.values().stream().filter(o -> o.status().equals(status)).count());
        }
        return new Report(checks.stream().mapToInt(Check::violations).sum(), checks.stream().mapToInt(Check::inFlight).sum(),
                byStatus, checks);
    }

    private static Check oneState(Map<UUID, OrderFacts> orders) {
        Findings found = new Findings();
        orders.forEach((id, order) -> {
            List<String> history = order.history();
            if (history.isEmpty() || !history.getLast().equals(order.status())) {
                found.violation(id);
            } else if (!isTerminal(order.status())) {
                found.inFlight(id);
            }
        });
        return found.check("every_order_in_one_state",
                "every accepted order has exactly one current status, the last of its history; "
                        + "PENDING and PAID orders are in flight", orders.size());
    }

    private static Check terminalNeverChanges(Map<UUID, OrderFacts> orders) {
        Findings found = new Findings();
        orders.forEach((id, order) -> {
            List<String> history = order.history();
            long terminals = history.stream().filter(Verifier::isTerminal).count();
            if (terminals > 1 || (terminals == 1 && !isTerminal(history.getLast()))) {
                found.violation(id);
            }
        });
        return found.check("terminal_orders_never_change",
                "CONFIRMED and REJECTED appear at most once in an order's history, and only last", orders.size());
    }

    private static Check noDoubleCharge(Map<UUID, OrderFacts> orders, Map<UUID, List<Long>> approved) {
        Findings found = new Findings();
        orders.forEach((id, order) -> {
            List<Long> charges = approved.getOrDefault(id, List.of());
            switch (order.status()) {
                case "CONFIRMED" -> {
                    if (charges.size() != 1 || charges.getFirst() != order.total()) {
                        found.violation(id);
                    }
                }
                case "REJECTED" -> {
                    if (!charges.isEmpty()) {
                        found.violation(id);
                    }
                }
                default -> {
                    if (charges.size() > 1) {
                        found.violation(id);
                    } else if (charges.size() == 1) {
                        found.inFlight(id); // charged, the reply not handled yet
                    }
                }
            }
        });
        approved.keySet().stream().filter(id -> !orders.containsKey(id)).forEach(found::violation);
        return found.check("charged_at_most_once",
                "a CONFIRMED order has exactly one approved charge of its total in the provider's ledger, "
                        + "a REJECTED order none, and no charge is for an order that does not exist", orders.size());
    }

    private Check stockBalance() {
        Findings found = new Findings();
        int[] products = {0};
        DataSource db = store.schema(InventoryApi.SCHEMA);
        query(db, "SELECT s.product_id, s.available, s.received, coalesce(sum(r.quantity) FILTER "
                + "(WHERE r.state IN ('RESERVED', 'COMMITTED')), 0) FROM stock s LEFT JOIN reservations r "
                + "ON r.product_id = s.product_id GROUP BY s.product_id, s.available, s.received", rs -> {
            products[0]++;
            long available = rs.getLong(2);
            if (available < 0 || available != rs.getLong(3) - rs.getLong(4)) {
                found.violation(rs.getLong(1));
            }
        });
        return found.check("stock_never_negative_and_balanced",
                "per product, available units are never below zero and equal the units received minus those "
                        + "reserved or sold", products[0]);
    }

    private static Check stockMatchesConfirmed(Map<UUID, OrderFacts> orders, Map<UUID, Map<Long, Reservation>> reservations) {
        Findings found = new Findings();
        orders.forEach((id, order) -> {
            Map<Long, Reservation> held = reservations.getOrDefault(id, Map.of());
            switch (order.status()) {
                case "CONFIRMED" -> {
                    for (Map.Entry<Long, Integer> line : order.lines().entrySet()) {
                        Reservation r = held.get(line.getKey());
                        if (r == null || r.quantity() != line.getValue() || r.state().equals("RELEASED")) {
                            found.violation(id);
                            return;
                        }
                    }
                    if (held.size() != order.lines().size()) {
                        found.violation(id);
                    } else if (held.values().stream().anyMatch(r -> r.state().equals("RESERVED"))) {
                        found.inFlight(id); // OrderConfirmed not yet applied by inventory
                    }
                }
                case "REJECTED" -> {
                    if (held.values().stream().anyMatch(r -> r.state().equals("COMMITTED"))) {
                        found.violation(id);
                    } else if (held.values().stream().anyMatch(r -> r.state().equals("RESERVED"))) {
                        found.inFlight(id); // OrderRejected not yet applied: release pending
                    }
                }
                default -> {
                    if (held.values().stream().anyMatch(r -> !r.state().equals("RESERVED"))) {
                        found.violation(id);
                    }
                }
            }
        });
        reservations.keySet().stream().filter(id -> !orders.containsKey(id)).forEach(found::violation);
        return found.check("sold_stock_is_confirmed_orders",
                "the units sold are exactly the lines of CONFIRMED orders; a REJECTED order's units went back", orders.size());
    }

    private static Check oneConfirmationNotice(Map<UUID, OrderFacts> orders, Map<UUID, Integer> notices) {
        Findings found = new Findings();
        orders.forEach((id, order) -> {
            int count = notices.getOrDefault(id, 0);
            if (count > 1 || (count == 1 && !order.status().equals("CONFIRMED"))) {
                found.violation(id);
            } else if (count == 0 && order.status().equals("CONFIRMED")) {
                found.inFlight(id);
            }
        });
        notices.keySet().stream().filter(id -> !orders.containsKey(id)).forEach(found::violation);
        return found.check("one_confirmation_notice",
                "every CONFIRMED order has exactly one confirmation e-mail, and no other order has one", orders.size());
    }

    private Map<UUID, OrderFacts> orders() {
        DataSource db = store.schema(OrderApi.SCHEMA);
        Map<UUID, OrderFacts> orders = new HashMap<>();
        query(db, "SELECT id, status, total_amount, currency FROM orders", rs -> orders.put(rs.getObject(1, UUID.class),
                new OrderFacts(rs.getString(2), rs.getLong(3), rs.getString(4), new HashMap<>(), new ArrayList<>())));
        query(db, "SELECT order_id, product_id, quantity FROM order_items", rs -> {
            OrderFacts order = orders.get(rs.getObject(1, UUID.class));
            if (order != null) {
                order.lines().merge(rs.getLong(2), rs.getInt(3), Integer::sum);
            }
        });
        query(db, "SELECT order_id, status FROM order_history ORDER BY order_id, seq", rs -> {
            OrderFacts order = orders.get(rs.getObject(1, UUID.class));
            if (order != null) {
                order.history().add(rs.getString(2));
            }
        });
        return orders;
    }

    private Map<UUID, Map<Long, Reservation>> reservations() {
        Map<UUID, Map<Long, Reservation>> reservations = new HashMap<>();
        query(store.schema(InventoryApi.SCHEMA), "SELECT order_id, product_id, state, quantity FROM reservations",
                rs -> reservations.computeIfAbsent(rs.getObject(1, UUID.class), id -> new HashMap<>())
                        .put(rs.getLong(2), new Reservation(rs.getString(3), rs.getInt(4))));
        return reservations;
    }

    /** The provider's ledger, by the order id each charge references. */
    private void charges(Map<UUID, List<Long>> approved) {
        query(store.schema(PaymentProvider.SCHEMA), "SELECT reference, status, amount FROM charges ORDER BY seq", rs -> {
            UUID order;
            try {
                order = UUID.fromString(rs.getString(1));
            } catch (IllegalArgumentException e) {
                return; // a charge some other client of the provider made
            }
            if (rs.getString(2).equals("approved")) {
                approved.computeIfAbsent(order, id -> new ArrayList<>()).add(rs.getLong(3));
            }
        });
    }

    private Map<UUID, Integer> notices(String kind) {
        Map<UUID, Integer> notices = new HashMap<>();
        query(store.schema(NotificationApi.SCHEMA), "SELECT order_id, count(*) FROM notifications WHERE kind = ? GROUP BY order_id",
                List.of(kind), rs -> notices.put(rs.getObject(1, UUID.class), rs.getInt(2)));
        return notices;
    }

    private interface Row {
        void read(ResultSet rs) throws SQLException;
    }

    private static void query(DataSource db, String sql, Row row) {
        query(db, sql, List.of(), row);
    }

    private static void query(DataSource db, String sql, List<String> parameters, Row row) {
        Transactions.inTransaction(db, "verify", c -> {
            // one snapshot per schema, read in pages rather than all at once
            c.setReadOnly(true);
            try (PreparedStatement select = c.prepareStatement(sql)) {
                for (int i = 0; i < parameters.size(); i++) {
                    select.setString(i + 1, parameters.get(i));
                }
                select.setFetchSize(5_000);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        row.read(rs);
                    }
                }
            }
            return null;
        });
    }

    private static boolean isTerminal(String status) {
        return status.equals("CONFIRMED") || status.equals("REJECTED");
    }

    /** The findings of one check: counts and a few examples to look at. */
    private static final class Findings {
        private int violations;
        private int inFlight;
        private final List<String> examples = new ArrayList<>();

        void violation(Object subject) {
            violations++;
            if (examples.size() < EXAMPLES) {
                examples.add(Objects.toString(subject));
            }
        }

        void inFlight(Object subject) {
            inFlight++;
        }

        Check check(String name, String description, int checked) {
            return new Check(name, description + " (" + checked + " checked)", violations, inFlight, List.copyOf(examples));
        }
    }
}
