package archway.store.postgres;

import archway.store.Store;
import archway.store.StoreConfig;
import archway.store.StoreException;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store on PostgreSQL (embedded or external, the adapter is the same): one HikariCP
 * pool per schema, its connections set to that schema, migrated by Flyway when first asked
 * for. Pool metrics ({@code hikaricp_connections_*}, tagged with the pool {@code store-<schema>})
 * go to the registry given at open.
 */
public final class PostgresStore implements Store {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresStore.class);
    private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z][a-z0-9_]{0,40}");

    private final StoreConfig config;
    private final MeterRegistry registry;
    private final Map<String, HikariDataSource> pools = new LinkedHashMap<>();
    private boolean closed;

    private PostgresStore(StoreConfig config, MeterRegistry registry) {
        this.config = config;
        this.registry = registry;
    }

    /** A store without pool metrics. Nothing connects until a schema is asked for. */
    public static PostgresStore open(StoreConfig config) {
        return new PostgresStore(config, null);
    }

    /** A store whose pools report their metrics to {@code registry}. */
    public static PostgresStore open(StoreConfig config, MeterRegistry registry) {
        return new PostgresStore(config, Objects.requireNonNull(registry, "registry"));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Synchronized because it runs at most once per schema, at start, and a migration must
     * finish before anyone gets the pool; later calls return the pool at once.
     */
    @Override
    public synchronized DataSource schema(String name) {
        if (name == null || !SCHEMA_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("schema name must be a lower-case SQL identifier "
                    + "(a letter, then letters, digits or underscores, at most 41), was " + name);
        }
        if (closed) {
            throw new IllegalStateException("the store for " + config.jdbcUrl() + " is closed");
        }
        HikariDataSource pool = pools.get(name);
        if (pool == null) {
            pool = openMigrated(name);
            pools.put(name, pool);
        }
        return pool;
    }

    private HikariDataSource openMigrated(String name) {
        String schema = config.schemaPrefix() + name;
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(poolConfig(schema));
        } catch (RuntimeException e) {
            throw new StoreException("cannot connect to the store at " + config.jdbcUrl() + " as " + config.user()
                    + " for schema " + schema + ": " + e.getMessage(), e);
        }
        try {
            SchemaMigration.migrate(config, schema, "classpath:db/" + name);
            return pool;
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    private HikariConfig poolConfig(String schema) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("store-" + schema);
        hikari.setJdbcUrl(config.jdbcUrl());
        hikari.setUsername(config.user());
        hikari.setPassword(config.password());
        hikari.setMaximumPoolSize(config.poolSize());
        // several instances each hold a pool per schema: idle ones should not hog the server
        hikari.setMinimumIdle(Math.min(2, config.poolSize()));
        hikari.setConnectionTimeout(10_000);
        hikari.addDataSourceProperty("currentSchema", schema);
        hikari.addDataSourceProperty("ApplicationName", "archway-" + schema);
        // turns JDBC batches into multi-row INSERTs: seeding thousands of rows takes one round trip per batch
        hikari.addDataSourceProperty("reWriteBatchedInserts", "true");
        if (registry != null) {
            hikari.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
        }
        return hikari;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (HikariDataSource pool : pools.values()) {
            try {
                pool.close();
            } catch (RuntimeException e) {
                LOG.warn("closing pool {} failed: {}", pool.getPoolName(), e.toString());
            }
        }
        pools.clear();
    }

    @Override
    public String toString() {
        return "PostgresStore[" + config + "]";
    }
}
