package archway.store;

import java.util.regex.Pattern;

/**
 * Where the relational store is and how many connections each schema may hold.
 *
 * @param jdbcUrl      the server and database, such as {@code jdbc:postgresql://127.0.0.1:5432/archway}
 * @param user         the database user
 * @param password     the user's password; empty when the server trusts local connections
 * @param poolSize     the largest number of connections per schema (1-100)
 * @param schemaPrefix put before every schema name (empty by default), so several Archway
 *                     deployments or test runs can share one database without sharing tables
 */
public record StoreConfig(String jdbcUrl, String user, String password, int poolSize, String schemaPrefix) {

    private static final Pattern PREFIX = Pattern.compile("[a-z0-9_]{0,20}");

    public StoreConfig {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException("store jdbcUrl must start with jdbc:postgresql://, was " + jdbcUrl);
        }
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("store user must be set for " + jdbcUrl);
        }
        if (password == null) {
            throw new IllegalArgumentException("store password must not be null (use \"\" for none) for " + jdbcUrl);
        }
        if (poolSize < 1 || poolSize > 100) {
            throw new IllegalArgumentException("store poolSize must be 1-100, was " + poolSize);
        }
        if (schemaPrefix == null || !PREFIX.matcher(schemaPrefix).matches()) {
            throw new IllegalArgumentException(
                    "store schemaPrefix must be up to 20 lower-case letters, digits or underscores, was " + schemaPrefix);
        }
    }

    /** A configuration without a schema prefix. */
    public StoreConfig(String jdbcUrl, String user, String password, int poolSize) {
        this(jdbcUrl, user, password, poolSize, "");
    }

    /** The same store, with {@code prefix} before every schema name. */
    public StoreConfig withSchemaPrefix(String prefix) {
        return new StoreConfig(jdbcUrl, user, password, poolSize, prefix);
    }

    @Override
    public String toString() {
        // keeps the password out of logs
        return "StoreConfig[jdbcUrl=" + jdbcUrl + ", user=" + user + ", poolSize=" + poolSize
                + ", schemaPrefix=" + schemaPrefix + "]";
    }
}
