package archway.catalog;

import java.time.Duration;

/**
 * What seeding the catalog did at start.
 *
 * @param productsAdded products inserted: the whole catalog on a first start, 0 afterwards
 * @param imagesWritten product images written to object storage (also after a start that
 *                      found the products but not their images)
 * @param took          how long it took, waiting for another instance's seeding included
 */
public record SeedReport(int productsAdded, int imagesWritten, Duration took) {
}
