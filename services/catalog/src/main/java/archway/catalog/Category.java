package archway.catalog;

/** A product category and how many products it holds. */
public record Category(String name, long productCount) {
}
