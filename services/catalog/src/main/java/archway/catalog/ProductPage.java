package archway.catalog;

import java.util.List;

/**
 * One page of a product listing.
 *
 * @param total how many products match the query on all pages
 */
public record ProductPage(List<Product> items, int page, int size, long total) {

    public ProductPage {
        items = List.copyOf(items);
    }
}
