package archway.catalog;

import java.util.List;
import java.util.OptionalLong;

/**
 * One keyset page of a product listing, by id.
 *
 * @param nextAfter the id the next page starts after; empty on the last page
 */
public record ProductCursorPage(List<Product> items, OptionalLong nextAfter) {

    public ProductCursorPage {
        items = List.copyOf(items);
    }
}
