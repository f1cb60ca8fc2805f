package archway.catalog;

/**
 * How often a product page was viewed.
 *
 * @param views the count written to the store plus what this instance counted since its last flush
 */
public record ProductViews(long productId, long views) {
}
