package archway.catalog;

import archway.platform.auth.Principal;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Where the catalog gets the units available of a product and sends an administrator's new
 * level: the inventory owns stock, the catalog only shows it. The composition root wires
 * the inventory's write-through stock cache here; the catalog composes the level into each
 * product at read time, so a cached product never carries a stale count of its own.
 */
public interface ProductStock {

    /** The units available of a product, or empty when stock is not kept for it. */
    OptionalInt available(long productId);

    /**
     * The units available of several products, by product id, in one round trip where the
     * inventory can (a page of products); a product without stock is left out.
     */
    default Map<Long, Integer> available(Collection<Long> productIds) {
        Map<Long, Integer> units = new HashMap<>();
        for (long id : productIds) {
            available(id).ifPresent(n -> units.put(id, n));
        }
        return units;
    }

    /**
     * Sets the units available of a product, for administrators.
     *
     * @throws archway.platform.problem.ProblemException {@code 403} for anyone else
     */
    void setAvailable(Principal caller, long productId, int available);
}
