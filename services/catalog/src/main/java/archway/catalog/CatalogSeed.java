package archway.catalog;

import archway.objects.ObjectStore;
import archway.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills an empty catalog with the generated products and their images.
 *
 * <h2>Design notes</h2>
 * Every instance seeds at start, and several start at once. All of it happens in one
 * transaction that first takes a transaction-scoped advisory lock: the first instance
 * seeds while the others wait for the lock, then find the products there and add nothing.
 * The images go to object storage before the rows commit, so a crash half-way leaves no
 * products (and the next start writes both again; the images come out byte-identical).
 * A start that finds the products but not their images (object storage emptied) writes the
 * images again.
 */
final class CatalogSeed {

    private static final Logger LOG = LoggerFactory.getLogger(CatalogSeed.class);
    private static final int IMAGE_WRITERS = 4;

    private CatalogSeed() {
    }

    static SeedReport run(DataSource db, ObjectStore objects, int count) {
        long started = System.nanoTime();
        int added = 0;
        int images = 0;
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                lock(c);
                if (ProductTable.isEmpty(c)) {
                    List<Product> products = ProductGenerator.generate(count);
                    images = writeImages(objects, products);
                    ProductTable.insert(c, products);
                    added = products.size();
                } else if (imagesMissing(objects, count)) {
                    images = writeImages(objects, ProductGenerator.generate(count));
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("seeding the catalog failed (SQL state " + e.getSQLState() + ")", e);
        }
        SeedReport report = new SeedReport(added, images, Duration.ofNanos(System.nanoTime() - started));
        if (added > 0 || images > 0) {
            LOG.info("catalog seeded: {} products, {} images in {} ms", added, images, report.took().toMillis());
        }
        return report;
    }

    /** Per schema, so catalogs of several deployments in one database (schema prefixes) seed independently. */
    private static void lock(Connection c) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext('archway.catalog.seed.' || current_schema()))")) {
            lock.execute();
        }
    }

    private static boolean imagesMissing(ObjectStore objects, int count) {
        return !objects.exists(CatalogApi.IMAGES, ProductImages.key(1)) || !objects.exists(CatalogApi.IMAGES, ProductImages.key(count));
    }

    /**
     * Writes the images from a few threads: a write is a handful of file-system calls, so
     * overlapping them pays even on two cores (about twice as fast as one writer here).
     */
    private static int writeImages(ObjectStore objects, List<Product> products) {
        int slices = IMAGE_WRITERS;
        List<Callable<Void>> tasks = new ArrayList<>(slices);
        for (int slice = 0; slice < slices; slice++) {
            int first = slice;
            tasks.add(() -> {
                for (int i = first; i < products.size(); i += slices) {
                    Product product = products.get(i);
                    byte[] svg = ProductImages.draw(product, ProductGenerator.kindOf(product).colour());
                    objects.put(CatalogApi.IMAGES, ProductImages.key(product.id()), svg, ProductImages.CONTENT_TYPE);
                }
                return null;
            });
        }
        try (ExecutorService writers = Executors.newFixedThreadPool(slices, Thread.ofPlatform().name("catalog-seed-", 1).factory())) {
            for (Future<Void> done : writers.invokeAll(tasks)) {
                done.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing the catalog's images", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime
                    : new IllegalStateException("writing the catalog's images failed", e.getCause());
        }
        return products.size();
    }
}
