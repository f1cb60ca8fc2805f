package archway.order;

import java.util.List;

/** One page of a user's orders, newest first. */
public record OrderPage(List<Order> items, int page, int size, long total) {
}
