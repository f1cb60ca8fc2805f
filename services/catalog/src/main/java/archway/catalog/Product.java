package archway.catalog;

/**
 * A product as the API shows it.
 *
 * @param stock    units available; read through the cache, so it may lag by the cache's freshness bound
 * @param imageUrl where its image is served
 */
public record Product(long id, String sku, String name, String description, String category, Money price,
                      String imageUrl, int stock) {

    /** A product with the image URL the API serves it at. */
    public static Product of(long id, String sku, String name, String description, String category, Money price, int stock) {
        return new Product(id, sku, name, description, category, price, imageUrl(id), stock);
    }

    public static String imageUrl(long id) {
        return "/api/v1/products/" + id + "/image";
    }
}
