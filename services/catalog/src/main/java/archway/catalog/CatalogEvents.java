package archway.catalog;

import java.util.List;

/**
 * The events of the catalog, on topic {@value #TOPIC}, keyed by the product id: what other
 * instances (and the edge) need to drop their cached copies of a product.
 */
public final class CatalogEvents {

    public static final String TOPIC = "catalog";
    /** An administrator changed a product; {@code changed} names the fields, as the API spells them. */
    public static final String PRODUCT_CHANGED = "ProductChanged";

    /** The payload of {@value #PRODUCT_CHANGED}: {@code {"product_id": 42, "changed": ["price"]}}. */
    public record ProductChanged(Long productId, List<String> changed) {
    }

    private CatalogEvents() {
    }
}
