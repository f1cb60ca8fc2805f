package archway.store;

import javax.sql.DataSource;

/**
 * The relational-store port (the diagram's STORE box): what a service needs from its
 * database. Each service owns one schema and sees only that one; it never reaches into
 * another service's tables, so a service can move to its own database server unchanged.
 *
 * <p>A schema is migrated before it is handed out: the migrations of schema {@code name}
 * are the service's {@code classpath:db/<name>/V*__*.sql} files, and their history is kept
 * inside the schema itself. Several instances may ask for the same schema at the same
 * time; one migrates and the others wait and then see the migrated schema.
 */
public interface Store extends AutoCloseable {

    /**
     * A pooled data source whose connections work in schema {@code name} (unqualified table
     * names resolve there), migrated on the first request for it. The same instance is
     * returned on later calls; it stays owned by the store, so callers do not close it.
     *
     * @param name a lower-case SQL identifier: letters, digits and underscores, starting
     *             with a letter
     * @throws IllegalArgumentException if {@code name} is not such an identifier
     * @throws StoreException if the store cannot be reached or the migration fails
     */
    DataSource schema(String name);

    /** Closes every pool this store opened. */
    @Override
    void close();
}
