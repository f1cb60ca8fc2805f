package archway.inventory;

/**
 * A product's stock.
 *
 * @param available units that can still be ordered
 * @param reserved  units held for orders that are being paid for
 */
public record StockLevel(long productId, int available, int reserved) {
}
