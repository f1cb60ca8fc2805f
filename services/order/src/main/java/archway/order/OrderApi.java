package archway.order;

import archway.platform.auth.Principal;
import archway.platform.problem.ProblemException;
import archway.platform.server.PageRequest;
import java.util.Map;
import java.util.UUID;

/**
 * The order service: accepts orders (the write path of the architecture) and answers their
 * owners about them. Acceptance is asynchronous: an order is written with its
 * {@code OrderPlaced} event and answered at once ({@code 202}); the saga run by the workers
 * takes it to {@code CONFIRMED} or {@code REJECTED}. Failures are {@link ProblemException}s.
 */
public interface OrderApi {

    /** The schema the service keeps its tables in. */
    String SCHEMA = "orders";

    /**
     * Accepts an order for {@code caller}, once per idempotency key: the same key with the
     * same request answers the order made the first time; with another request it is a
     * {@code 422} problem.
     *
     * @param context trace headers of the request, carried along with the order's events
     * @throws ProblemException {@code 400} for an unknown product, {@code 422} for a reused key
     */
    Placement place(Principal caller, String idempotencyKey, OrderRequest request, Map<String, String> context);

    /**
     * One of the caller's orders.
     *
     * @throws ProblemException {@code 404} when there is none, or it is another user's
     */
    Order order(Principal caller, UUID id);

    /** The caller's orders, newest first. */
    OrderPage orders(Principal caller, PageRequest page);

    /**
     * The outcome of {@link #place}.
     *
     * @param created false when the key had been used before and this is that order again
     */
    record Placement(Order order, boolean created) {
    }
}
