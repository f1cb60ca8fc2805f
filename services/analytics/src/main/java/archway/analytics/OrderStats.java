package archway.analytics;

import java.time.LocalDate;
import java.util.List;

/**
 * What the analytics service has counted.
 *
 * @param days        per day (UTC), newest first
 * @param topProducts the best-selling products, most units first
 */
public record OrderStats(List<Day> days, List<ProductSales> topProducts) {

    /** One day's outcomes; revenue in minor units of the store's currency. */
    public record Day(LocalDate day, long confirmed, long rejected, long units, long revenue) {
    }

    public record ProductSales(long productId, long units) {
    }
}
