package archway.catalog;

import archway.store.StoreException;
import io.micrometer.core.instrument.Counter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import javax.sql.DataSource;

/**
 * The {@code products} table, in plain JDBC. Every statement sent counts on
 * {@code catalog_store_queries_total}, which shows how much of the read traffic the cache
 * keeps away from the store.
 */
final class ProductTable {

    private static final String COLUMNS = "id, sku, name, description, category, price_amount, currency, stock";
    /** The searched text: the same expression as the trigram index, so the index serves the search. */
    private static final String SEARCHED_TEXT = "(name || ' ' || description)";
    private static final int BATCH = 1_000;

    private final DataSource db;
    private final Counter queries;

    ProductTable(DataSource db, Counter queries) {
        this.db = db;
        this.queries = queries;
    }

    Optional<Product> byId(long id) {
        try (Connection c = db.getConnection(); PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS + " FROM products WHERE id = ?")) {
            select.setLong(1, id);
            queries.increment();
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(product(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("read a product", e);
        }
    }

    ProductPage page(ProductQuery query) {
        Filter filter = Filter.of(query.q(), query.category());
        try (Connection c = db.getConnection()) {
            long total;
            try (PreparedStatement count = filter.prepare(c, "SELECT count(*) FROM products", "")) {
                queries.increment();
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<Product> items = new ArrayList<>(query.size());
            if (query.offset() < total) {
                try (PreparedStatement select = filter.prepare(c, "SELECT " + COLUMNS + " FROM products", " ORDER BY id LIMIT ? OFFSET ?")) {
                    select.setInt(filter.parameters().size() + 1, query.size());
                    select.setLong(filter.parameters().size() + 2, query.offset());
                    queries.increment();
                    try (ResultSet rs = select.executeQuery()) {
                        while (rs.next()) {
                            items.add(product(rs));
                        }
                    }
                }
            }
            return new ProductPage(items, query.page(), query.size(), total);
        } catch (SQLException e) {
            throw failure("list products", e);
        }
    }

    /** The products after the query's id, by id: one index range scan, no count, one row more than the page to see if another follows. */
    ProductCursorPage pageAfter(ProductCursorQuery query) {
        Filter filter = Filter.of(query.q(), query.category()).and("id > ?");
        try (Connection c = db.getConnection();
             PreparedStatement select = filter.prepare(c, "SELECT " + COLUMNS + " FROM products", " ORDER BY id LIMIT ?")) {
            select.setLong(filter.parameters().size() + 1, query.after());
            select.setInt(filter.parameters().size() + 2, query.limit() + 1);
            queries.increment();
            List<Product> items = new ArrayList<>(query.limit() + 1);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    items.add(product(rs));
                }
            }
            if (items.size() <= query.limit()) {
                return new ProductCursorPage(items, OptionalLong.empty());
            }
            List<Product> page = items.subList(0, query.limit());
            return new ProductCursorPage(page, OptionalLong.of(page.getLast().id()));
        } catch (SQLException e) {
            throw failure("list products", e);
        }
    }

    List<Category> categories() {
        try (Connection c = db.getConnection();
             PreparedStatement select = c.prepareStatement("SELECT category, count(*) FROM products GROUP BY category ORDER BY category")) {
            queries.increment();
            List<Category> categories = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    categories.add(new Category(rs.getString(1), rs.getLong(2)));
                }
            }
            return categories;
        } catch (SQLException e) {
            throw failure("list categories", e);
        }
    }

    Map<Long, Integer> stockLevels() {
        try (Connection c = db.getConnection(); PreparedStatement select = c.prepareStatement("SELECT id, stock FROM products")) {
            queries.increment();
            Map<Long, Integer> levels = new HashMap<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    levels.put(rs.getLong(1), rs.getInt(2));
                }
            }
            return levels;
        } catch (SQLException e) {
            throw failure("read stock levels", e);
        }
    }

    /**
     * Applies the row fields of {@code change} (price, name, description) within {@code tx}'s
     * transaction, locking the row.
     *
     * @return whether the product exists
     */
    boolean change(Connection tx, long id, ProductChange change) throws SQLException {
        try (PreparedStatement update = tx.prepareStatement("UPDATE products SET "
                + "price_amount = coalesce(?, price_amount), name = coalesce(?, name), description = coalesce(?, description) "
                + "WHERE id = ?")) {
            update.setObject(1, change.price() == null ? null : change.price().amount(), java.sql.Types.BIGINT);
            update.setString(2, change.name());
            update.setString(3, change.description());
            update.setLong(4, id);
            queries.increment();
            return update.executeUpdate() == 1;
        }
    }

    /** The views written for a product so far. */
    long views(long id) {
        try (Connection c = db.getConnection();
             PreparedStatement select = c.prepareStatement("SELECT views FROM product_views WHERE product_id = ?")) {
            select.setLong(1, id);
            queries.increment();
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw failure("read views", e);
        }
    }

    /** Adds views per product, all in one transaction and one batch (one round trip for the lot). */
    void addViews(Map<Long, Long> views) {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement upsert = c.prepareStatement("INSERT INTO product_views (product_id, views) VALUES (?, ?) "
                    + "ON CONFLICT (product_id) DO UPDATE SET views = product_views.views + EXCLUDED.views")) {
                // in id order, so concurrent flushes of several instances lock rows in the same order
                for (Map.Entry<Long, Long> entry : new java.util.TreeMap<>(views).entrySet()) {
                    upsert.setLong(1, entry.getKey());
                    upsert.setLong(2, entry.getValue());
                    upsert.addBatch();
                }
                queries.increment();
                upsert.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure("write views", e);
        }
    }

    /** Whether the table holds any product, within {@code c}'s transaction. */
    static boolean isEmpty(Connection c) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT NOT EXISTS (SELECT 1 FROM products)");
             ResultSet rs = select.executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /** Inserts {@code products} within {@code c}'s transaction, a thousand rows per round trip. */
    static void insert(Connection c, List<Product> products) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO products (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            int pending = 0;
            for (Product p : products) {
                insert.setLong(1, p.id());
                insert.setString(2, p.sku());
                insert.setString(3, p.name());
                insert.setString(4, p.description());
                insert.setString(5, p.category());
                insert.setLong(6, p.price().amount());
                insert.setString(7, p.price().currency());
                insert.setInt(8, p.stock());
                insert.addBatch();
                if (++pending == BATCH) {
                    insert.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                insert.executeBatch();
            }
        }
    }

    private static Product product(ResultSet rs) throws SQLException {
        return Product.of(rs.getLong("id"), rs.getString("sku"), rs.getString("name"), rs.getString("description"),
                rs.getString("category"), new Money(rs.getLong("price_amount"), rs.getString("currency")), rs.getInt("stock"));
    }

    private static StoreException failure(String action, SQLException e) {
        return new StoreException("catalog service could not " + action + " (SQL state " + e.getSQLState() + ")", e);
    }

    /** The WHERE clause of a listing, with only the filters the query uses (so each shape gets a fitting plan). */
    private record Filter(String where, List<String> parameters) {

        static Filter of(String q, String category) {
            List<String> conditions = new ArrayList<>();
            List<String> parameters = new ArrayList<>();
            if (category != null) {
                conditions.add("category = ?");
                parameters.add(category);
            }
            if (q != null) {
                conditions.add(SEARCHED_TEXT + " ILIKE ?");
                parameters.add("%" + escapeLike(q) + "%");
            }
            return new Filter(conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions), parameters);
        }

        /** This filter and {@code condition}, whose own parameters the caller sets after this filter's. */
        Filter and(String condition) {
            return new Filter(where.isEmpty() ? " WHERE " + condition : where + " AND " + condition, parameters);
        }

        PreparedStatement prepare(Connection c, String select, String tail) throws SQLException {
            PreparedStatement statement = c.prepareStatement(select + where + tail);
            for (int i = 0; i < parameters.size(); i++) {
                statement.setString(i + 1, parameters.get(i));
            }
            return statement;
        }

        /** The words taken literally: {@code %}, {@code _} and the escape character lose their LIKE meaning. */
        private static String escapeLike(String text) {
            return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        }
    }
}
