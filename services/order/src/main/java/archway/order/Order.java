package archway.order;

import archway.catalog.Money;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An order as its owner sees it.
 *
 * @param reason  why it was rejected ({@code payment_declined}, {@code out_of_stock}); null otherwise
 * @param history every status it has had, oldest first
 */
public record Order(UUID id, OrderStatus status, String reason, List<Line> items, Money total, Instant createdAt,
                    Instant updatedAt, List<Change> history) {

    /** One line of an order, at the price it was accepted with. */
    public record Line(long productId, String name, int quantity, Money unitPrice, Money lineTotal) {
    }

    /** A status the order took, and when. */
    public record Change(OrderStatus status, String reason, Instant at) {
    }
}
