package archway.catalog;

/**
 * A product as the API shows it.
 *
 * @param stock    units available, from the inventory's write-through cache (a change made on another
 *                 instance arrives with its stock event)
 * @param imageUrl where its image is served
 */
public record Product(long id, String sku, String name, String description, String category, Money price,
                      String imageUrl, int stock) {

    /** A product with the image URL the API serves it at. */
    public static Product of(long id, String sku, String name, String description, String category, Money price, int stock) {
        return new Product(id, sku, name, description, category, price, imageUrl(id), stock);
    }

    /** This product with {@code units} available. */
    public Product withStock(int units) {
        return units == stock ? this : new Product(id, sku, name, description, category, price, imageUrl, units);
    }

    public static String imageUrl(long id) {
        return "/api/v1/products/" + id + "/image";
    }
}
