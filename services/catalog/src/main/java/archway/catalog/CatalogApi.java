package archway.catalog;

import archway.platform.auth.Principal;
import archway.platform.problem.ProblemException;
import java.util.List;

/**
 * The catalog service: the products of the store, their categories and images. Read-mostly,
 * so its local implementation serves reads cache-aside. Failures are
 * {@link ProblemException}s, as a client of the HTTP API would see them.
 */
public interface CatalogApi {

    /** The schema the service keeps its tables in. */
    String SCHEMA = "catalog";
    /** The object-storage bucket of product images. */
    String IMAGES = "images";

    /**
     * The product with this id.
     *
     * @throws ProblemException {@code 404} when there is none
     */
    Product product(long id);

    /** One page of the products matching the query, by id. */
    ProductPage products(ProductQuery query);

    /** The products matching the query after its id, by id: a keyset page, without a count of all matches. */
    ProductCursorPage productsAfter(ProductCursorQuery query);

    /** Every category, with how many products it holds, by name. */
    List<Category> categories();

    /**
     * The image of a product.
     *
     * @throws ProblemException {@code 404} when there is none
     */
    ProductImage image(long id);

    /**
     * Changes a product, for administrators; every cache that holds it is invalidated.
     *
     * @return the product as changed
     * @throws ProblemException {@code 403} for anyone else, {@code 404} when there is no such
     *                          product, {@code 400} for a price in another currency or stock out of range
     */
    Product change(Principal caller, long id, ProductChange change);

    /**
     * Counts a view of a product page.
     *
     * @throws ProblemException {@code 404} when there is no such product
     */
    void countView(long id);

    /**
     * How often a product page was viewed.
     *
     * @throws ProblemException {@code 404} when there is no such product
     */
    ProductViews views(long id);
}
