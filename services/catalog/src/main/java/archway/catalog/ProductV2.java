package archway.catalog;

/**
 * A product as {@code /api/v2} shows it: v1's shape without {@code stock}, whose catalog copy
 * lags behind the inventory; the live figure is the inventory's {@code GET /api/v1/inventory/{id}}.
 */
record ProductV2(long id, String sku, String name, String description, String category, Money price, String imageUrl) {

    static ProductV2 of(Product product) {
        return new ProductV2(product.id(), product.sku(), product.name(), product.description(), product.category(),
                product.price(), "/api/v2/products/" + product.id() + "/image");
    }
}
