package archway.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import archway.order.OrderRequest.Item;
import archway.platform.problem.ProblemException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class OrderRequestTest {

    private static List<Item> lines(int count) {
        return LongStream.rangeClosed(1, count).mapToObj(id -> new Item(id, 1)).toList();
    }

    /** The 400 problem a rule raises; its detail, to check it names what is wrong. */
    private static String badRequest(ThrowingCallable building) {
        ProblemException problem = catchThrowableOfType(ProblemException.class, building);
        assertThat(problem).as("a 400 problem").isNotNull();
        assertThat(problem.problem().status()).isEqualTo(400);
        return problem.problem().detail();
    }

    @Test
    void acceptsOneToFiftyLinesOfOneToAHundredUnits() {
        OrderRequest smallest = new OrderRequest(List.of(new Item(1, 1)), "tok_visa");
        OrderRequest largest = new OrderRequest(lines(OrderRequest.MAX_LINES).stream()
                .map(item -> new Item(item.productId(), OrderRequest.MAX_QUANTITY)).toList(), "tok_visa");

        assertThat(smallest.items()).containsExactly(new Item(1, 1));
        assertThat(largest.items()).hasSize(50).allSatisfy(item -> assertThat(item.quantity()).isEqualTo(100));
    }

    @Test
    void refusesAnOrderWithoutItems() {
        assertThat(badRequest(() -> new OrderRequest(null, "tok_visa"))).contains("items");
        assertThat(badRequest(() -> new OrderRequest(List.of(), "tok_visa"))).contains("items");
        assertThat(badRequest(() -> new OrderRequest(Arrays.asList(new Item(1, 1), null), "tok_visa"))).contains("items");
    }

    @Test
    void refusesMoreThanFiftyLines() {
        assertThat(badRequest(() -> new OrderRequest(lines(51), "tok_visa"))).contains("items", "50", "51");
    }

    @Test
    void refusesAProductListedTwice() {
        List<Item> items = List.of(new Item(7, 1), new Item(8, 2), new Item(7, 3));

        assertThat(badRequest(() -> new OrderRequest(items, "tok_visa"))).contains("product 7", "twice");
    }

    @Test
    void refusesAQuantityOutsideOneToAHundred() {
        assertThat(badRequest(() -> new Item(5, 0))).contains("quantity", "was 0");
        assertThat(badRequest(() -> new Item(5, -1))).contains("quantity", "was -1");
        assertThat(badRequest(() -> new Item(5, 101))).contains("quantity", "was 101");
    }

    @Test
    void refusesAProductIdThatIsNotPositive() {
        assertThat(badRequest(() -> new Item(0, 1))).contains("product_id", "was 0");
        assertThat(badRequest(() -> new Item(-3, 1))).contains("product_id", "was -3");
    }

    @Test
    void refusesAPaymentTokenOfAnotherShape() {
        List<String> bad = new ArrayList<>(List.of("visa", "tok_", "tok_VISA", "tok_visa!", "tok-visa", " tok_visa",
                "tok_visa\n", "", "tok_" + "a".repeat(33)));
        for (String token : bad) {
            assertThat(badRequest(() -> new OrderRequest(List.of(new Item(1, 1)), token))).as(token).contains("payment_token");
        }
        assertThat(new OrderRequest(List.of(new Item(1, 1)), "tok_" + "a".repeat(32)).paymentToken()).hasSize(36);
    }

    @Test
    void chargesTheDefaultCardWhenNoTokenIsGiven() {
        assertThat(new OrderRequest(List.of(new Item(1, 1)), null).paymentToken()).isEqualTo("tok_visa");
        assertThat(new OrderRequest(List.of(new Item(1, 1)), "tok_mastercard").paymentToken()).isEqualTo("tok_mastercard");
    }

    @Test
    void keepsItsItemsWhateverTheCallerDoesToItsList() {
        List<Item> items = new ArrayList<>(List.of(new Item(1, 1)));
        OrderRequest request = new OrderRequest(items, null);

        items.add(new Item(2, 1));

        assertThat(request.items()).containsExactly(new Item(1, 1));
    }
}
