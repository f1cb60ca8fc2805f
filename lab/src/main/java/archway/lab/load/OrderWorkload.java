package archway.lab.load;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;

/**
 * The {@code order} scenario: every slot places a one-line order ({@code POST /api/v1/orders})
 * for a product drawn uniformly, as the next shopper in turn, under a fresh
 * {@code Idempotency-Key}. A {@code 202} answer is an accepted order; its id is kept, with
 * its shopper, for {@link OrderFollower} to follow to the end.
 */
final class OrderWorkload implements Workload {

    private static final String SHOPPER = OrderWorkload.class.getName() + ".shopper";

    private final String target;
    private final List<Shoppers.Shopper> shoppers;
    private final SplittableRandom random;
    private final Queue<AcceptedOrder> accepted = new ConcurrentLinkedQueue<>();
    private final LongAdder acceptedWithoutId = new LongAdder();
    private long sequence; // the scheduling thread's only

    /** An order the service accepted ({@code 202}), and the index of the shopper who placed it. */
    record AcceptedOrder(String id, int shopper) {
    }

    /**
     * @param target   the base URL, without a trailing slash
     * @param shoppers the accounts to order as, in turn
     * @param seed     the product draws' seed
     */
    OrderWorkload(String target, List<Shoppers.Shopper> shoppers, long seed) {
        if (shoppers.isEmpty()) {
            throw new IllegalArgumentException("the order scenario needs at least one shopper");
        }
        this.target = target;
        this.shoppers = List.copyOf(shoppers);
        this.random = new SplittableRandom(seed);
    }

    @Override
    public Request next(HttpClient client) {
        int shopper = (int) (sequence++ % shoppers.size());
        int product = 1 + random.nextInt(BrowseWorkload.PRODUCTS);
        String body = "{\"items\": [{\"product_id\": " + product + ", \"quantity\": 1}], \"payment_token\": \"tok_visa\"}";
        return client.newRequest(target + "/api/v1/orders")
                .method(HttpMethod.POST)
                .headers(headers -> headers
                        .put(HttpHeader.AUTHORIZATION, "Bearer " + shoppers.get(shopper).token())
                        .put("Idempotency-Key", UUID.randomUUID().toString()))
                .body(new StringRequestContent("application/json", body))
                .attribute(SHOPPER, shopper);
    }

    @Override
    public boolean readsBodies() {
        return true;
    }

    @Override
    public void answered(Request request, Response response, byte[] body) {
        if (response.getStatus() != 202) {
            return;
        }
        String id = null;
        try {
            id = LoadJson.text(LoadJson.read(body), "id");
        } catch (IOException e) {
            // counted below: an accepted order that cannot be followed
        }
        if (id == null) {
            acceptedWithoutId.increment();
        } else {
            accepted.add(new AcceptedOrder(id, (Integer) request.getAttributes().get(SHOPPER)));
        }
    }

    /** The shoppers, by the index {@link AcceptedOrder#shopper()} refers to. */
    List<Shoppers.Shopper> shoppers() {
        return shoppers;
    }

    /** The accepted orders of the measured part, in the order their answers came. */
    List<AcceptedOrder> accepted() {
        return new ArrayList<>(accepted);
    }

    /** {@code 202} answers whose body held no order id (they count as accepted but cannot be followed). */
    long acceptedWithoutId() {
        return acceptedWithoutId.sum();
    }
}
