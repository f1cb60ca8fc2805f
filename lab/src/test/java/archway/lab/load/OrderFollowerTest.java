package archway.lab.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OrderFollowerTest {

    private static final String PENDING = "{\"status\": \"PENDING\", \"history\": [{\"status\": \"PENDING\", \"at\": \"2026-12-01T12:00:00Z\"}]}";
    private static final String CONFIRMED = """
            {"status": "CONFIRMED", "history": [
              {"status": "PENDING", "at": "2026-12-01T12:00:00Z"},
              {"status": "PAID", "at": "2026-12-01T12:00:00.500Z"},
              {"status": "CONFIRMED", "at": "2026-12-01T12:00:01.250Z"}]}""";
    private static final String REJECTED = """
            {"status": "REJECTED", "reason": "out_of_stock", "history": [
              {"status": "PENDING", "at": "2026-12-01T12:00:00Z"},
              {"status": "REJECTED", "at": "2026-12-01T12:00:00.100Z"}]}""";

    private final LoadClient client = LoadClient.start(8, 100, Duration.ofSeconds(5));
    private final FakeTicker ticker = new FakeTicker();
    private final Map<String, AtomicInteger> looks = new ConcurrentHashMap<>();
    private final TinyServer shop = orders();

    @AfterEach
    void stop() {
        shop.close();
        client.close();
    }

    @Test
    void followsEachOrderUntilItIsTerminalAndTimesItByItsHistory() throws InterruptedException {
        Settlement settled = follow(Duration.ofSeconds(60), order("slow", 0), order("rejected", 1));

        assertThat(settled.terminal()).containsOnly(Map.entry("CONFIRMED", 1L), Map.entry("REJECTED", 1L));
        assertThat(settled.reasons()).containsOnly(Map.entry("out_of_stock", 1L));
        assertThat(settled.unsettled()).isZero();
        assertThat(looks.get("slow")).hasValue(3);
        assertThat(looks.get("rejected")).hasValue(1);
        assertThat(settled.toTerminal().count()).isEqualTo(2);
        assertThat(settled.toTerminal().maxMs()).isCloseTo(1_250, within(2.0));
    }

    @Test
    void anOrderStillPendingWhenTheSettleTimeIsUpIsUnsettled() throws InterruptedException {
        Settlement settled = follow(Duration.ofSeconds(5), order("stuck", 0), order("rejected", 1));

        assertThat(settled.terminal()).containsOnly(Map.entry("REJECTED", 1L));
        assertThat(settled.unsettled()).isEqualTo(1);
        assertThat(settled.neverAnswered()).isZero();
        // asked about once a second, not more
        assertThat(looks.get("stuck").get()).isBetween(5, 6);
    }

    @Test
    void looksAsTheOrdersOwnShopper() throws InterruptedException {
        Settlement settled = follow(Duration.ofSeconds(3), order("rejected", 1), order("rejected", 0));

        // the shop answers 404 to the wrong shopper's token, as the order service does
        assertThat(settled.terminal()).containsOnly(Map.entry("REJECTED", 1L));
        assertThat(settled.unsettled()).isEqualTo(1);
        assertThat(settled.neverAnswered()).isEqualTo(1);
        assertThat(settled.pollErrors()).isGreaterThanOrEqualTo(3);
    }

    private Settlement follow(Duration settle, OrderWorkload.AcceptedOrder... orders) throws InterruptedException {
        List<Shoppers.Shopper> shoppers = List.of(new Shoppers.Shopper("a@example.com", "token-a"),
                new Shoppers.Shopper("b@example.com", "token-b"));
        return new OrderFollower(client.http(), shop.url(), shoppers,
                new OrderFollower.Plan(100, settle, Duration.ofSeconds(5), 4), ticker, note -> { }).follow(List.of(orders));
    }

    private static OrderWorkload.AcceptedOrder order(String id, int shopper) {
        return new OrderWorkload.AcceptedOrder(id, shopper);
    }

    /** slow: PENDING twice, then CONFIRMED; rejected: REJECTED (shopper b's); stuck: PENDING for ever. */
    private TinyServer orders() {
        return TinyServer.start((exchange, n, server) -> {
            String id = exchange.getRequestURI().getPath().substring("/api/v1/orders/".length());
            int look = looks.computeIfAbsent(id, i -> new AtomicInteger()).incrementAndGet();
            String owner = id.equals("rejected") ? "token-b" : "token-a";
            if (!("Bearer " + owner).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                return new TinyServer.Answer(404, "{}");
            }
            return TinyServer.Answer.ok(switch (id) {
                case "slow" -> look < 3 ? PENDING : CONFIRMED;
                case "rejected" -> REJECTED;
                default -> PENDING;
            });
        });
    }
}
