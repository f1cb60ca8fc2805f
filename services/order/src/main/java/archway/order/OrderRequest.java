package archway.order;

import archway.platform.problem.ProblemException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The body of {@code POST /api/v1/orders}, valid or not at all: every rule broken is a
 * {@code 400} problem that names the field, raised while the body is read, so nothing is
 * written for a bad order.
 *
 * @param items        1 to {@value #MAX_LINES} lines, one per product
 * @param paymentToken the card to charge, {@code tok_...}; absent means {@value #DEFAULT_TOKEN}
 */
public record OrderRequest(List<Item> items, String paymentToken) {

    public static final int MAX_LINES = 50;
    public static final int MAX_QUANTITY = 100;
    public static final String DEFAULT_TOKEN = "tok_visa";
    private static final Pattern TOKEN = Pattern.compile("tok_[a-z0-9_]{1,32}");

    /** One line: how many of which product. */
    public record Item(long productId, int quantity) {
        public Item {
            if (productId < 1) {
                throw ProblemException.badRequest("items: product_id must be a positive whole number, was " + productId);
            }
            if (quantity < 1 || quantity > MAX_QUANTITY) {
                throw ProblemException.badRequest("items: quantity of product " + productId + " must be 1 to "
                        + MAX_QUANTITY + ", was " + quantity);
            }
        }
    }

    public OrderRequest {
        if (items == null || items.isEmpty()) {
            throw ProblemException.badRequest("items must list at least one product");
        }
        if (items.size() > MAX_LINES) {
            throw ProblemException.badRequest("items may list at most " + MAX_LINES + " products, was " + items.size());
        }
        Set<Long> seen = new HashSet<>();
        for (Item item : items) {
            if (item == null) {
                throw ProblemException.badRequest("items must not contain null");
            }
            if (!seen.add(item.productId())) {
                throw ProblemException.badRequest("items: product " + item.productId()
                        + " is listed twice; give one line with the whole quantity");
            }
        }
        items = List.copyOf(items);
        if (paymentToken == null) {
            paymentToken = DEFAULT_TOKEN;
        } else if (!TOKEN.matcher(paymentToken).matches()) {
            throw ProblemException.badRequest("payment_token must look like tok_visa (tok_ and up to 32 lower-case "
                    + "letters, digits or underscores)");
        }
    }
}
