package archway.inventory;

import archway.platform.auth.Principal;
import archway.platform.problem.ProblemException;

/**
 * The inventory service: stock per product, held for orders by reservations. Orders reserve
 * through the saga's events, never through this interface.
 */
public interface InventoryApi {

    /** The schema the service keeps its tables in. */
    String SCHEMA = "inventory";

    /**
     * @throws ProblemException {@code 404} for a product the inventory does not stock
     */
    StockLevel stock(long productId);

    /**
     * Sets the units available of a product (a delivery or a stock count), for administrators.
     *
     * @throws ProblemException {@code 403} for anyone else, {@code 404} for an unknown product,
     *                          {@code 400} for a negative or huge number
     */
    StockLevel setAvailable(Principal caller, long productId, int available);
}
