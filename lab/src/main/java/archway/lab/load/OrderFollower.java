package archway.lab.load;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Follows accepted orders to a terminal status after the run, politely: in rounds, each
 * asking once for every order not yet terminal ({@code GET /api/v1/orders/{id}} as its
 * shopper) at a modest rate, a new round at most once a second, until none is left or the
 * settle time is up. Time to terminal comes from the order's own history (server clocks),
 * so how late the follower looks does not change it. The orders are looked at in random
 * order: when the settle time is too short for all, those never looked at are counted
 * ({@link Settlement#neverAnswered()}) and the times come from a fair sample.
 */
final class OrderFollower {

    /** A round waits at least this long after the previous one started, so an order is asked at most once a second. */
    private static final Duration ROUND = Duration.ofSeconds(1);

    private final HttpClient client;
    private final String target;
    private final List<Shoppers.Shopper> shoppers;
    private final Plan plan;
    private final Ticker ticker;
    private final Consumer<String> notes;
    private final InFlight inFlight;
    private final Map<String, LongAdder> terminal = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> reasons = new ConcurrentHashMap<>();
    private final LongAdder pollErrors = new LongAdder();
    // microseconds of server time, first PENDING to terminal
    private final Histogram toTerminal = new ConcurrentHistogram(3);

    /**
     * How to follow.
     *
     * @param pollsPerSecond the most {@code GET}s a second
     * @param settle         how long to keep asking, from the start of the follow-up
     * @param timeout        the timeout of each {@code GET}
     * @param maxInFlight    {@code GET}s out at once, at most
     */
    record Plan(long pollsPerSecond, Duration settle, Duration timeout, int maxInFlight) {
    }

    /** One order being followed; {@code answered} is written by a client thread, read after the round's drain. */
    private static final class Followed {
        final OrderWorkload.AcceptedOrder order;
        volatile boolean answered;

        Followed(OrderWorkload.AcceptedOrder order) {
            this.order = order;
        }
    }

    OrderFollower(HttpClient client, String target, List<Shoppers.Shopper> shoppers, Plan plan, Ticker ticker,
                  Consumer<String> notes) {
        this.client = client;
        this.target = target;
        this.shoppers = List.copyOf(shoppers);
        this.plan = plan;
        this.ticker = ticker;
        this.notes = notes;
        this.inFlight = new InFlight(plan.maxInFlight());
    }

    /** Follows the orders until all are terminal or the settle time is up. */
    Settlement follow(List<OrderWorkload.AcceptedOrder> orders) throws InterruptedException {
        notes.accept("following " + orders.size() + " accepted orders for up to " + Durations.format(plan.settle())
                + " at up to " + plan.pollsPerSecond() + " GET/s");
        long deadline = ticker.nanoTime() + plan.settle().toNanos();
        List<Followed> left = new ArrayList<>(orders.stream().map(Followed::new).toList());
        // when the settle time cannot cover every order, the ones looked at are a fair sample
        // of the run, not its first seconds (whose orders met the shortest queues)
        Collections.shuffle(left, new SplittableRandom(orders.size()));
        while (!left.isEmpty() && ticker.nanoTime() < deadline) {
            long roundStart = ticker.nanoTime();
            left = round(left, deadline);
            if (!left.isEmpty()) {
                ticker.sleepUntil(Math.min(roundStart + ROUND.toNanos(), deadline));
            }
        }
        Map<String, Long> terminalCounts = sums(terminal);
        // from the counts, not from what is left: a look still out after the wait is unsettled too
        long unsettled = orders.size() - terminalCounts.values().stream().mapToLong(Long::longValue).sum();
        long neverAnswered = left.stream().filter(f -> !f.answered).count();
        return new Settlement(orders.size(), terminalCounts, sums(reasons), unsettled, neverAnswered,
                pollErrors.sum(), Percentiles.of(toTerminal));
    }

    /** Asks once for each order, paced; returns the ones not terminal yet, and those not asked before the deadline. */
    private List<Followed> round(List<Followed> orders, long deadline) throws InterruptedException {
        Queue<Followed> notYet = new ConcurrentLinkedQueue<>();
        Pacer pacer = Pacer.startingNow(ticker, plan.pollsPerSecond());
        int asked = 0;
        while (asked < orders.size() && pacer.slot(asked) < deadline) {
            pacer.awaitSlot(asked);
            inFlight.enter();
            ask(orders.get(asked), notYet);
            asked++;
        }
        inFlight.awaitIdle(plan.timeout().plusSeconds(1));
        List<Followed> left = new ArrayList<>(notYet);
        left.addAll(orders.subList(asked, orders.size()));
        return left;
    }

    private void ask(Followed followed, Queue<Followed> notYet) {
        Request request = client.newRequest(target + "/api/v1/orders/" + followed.order.id())
                .headers(headers -> headers.put(HttpHeader.AUTHORIZATION,
                        "Bearer " + shoppers.get(followed.order.shopper()).token()))
                .timeout(plan.timeout().toMillis(), TimeUnit.MILLISECONDS);
        Exchanges.send(request, true, (result, body) -> {
            try {
                if (!settled(followed, result, body)) {
                    notYet.add(followed);
                }
            } finally {
                inFlight.leave();
            }
        });
    }

    private boolean settled(Followed followed, Result result, byte[] body) {
        if (!result.isSucceeded() || result.getResponse().getStatus() != 200) {
            pollErrors.increment();
            return false;
        }
        OrderState state;
        try {
            state = OrderState.parse(body);
        } catch (IOException e) {
            pollErrors.increment();
            return false;
        }
        followed.answered = true;
        if (!state.terminal()) {
            return false;
        }
        terminal.computeIfAbsent(state.status(), s -> new LongAdder()).increment();
        if (state.reason() != null) {
            reasons.computeIfAbsent(state.reason(), r -> new LongAdder()).increment();
        }
        state.toTerminal().ifPresent(took -> toTerminal.recordValue(took.toNanos() / 1_000));
        return true;
    }

    private static Map<String, Long> sums(Map<String, LongAdder> counters) {
        Map<String, Long> sums = new TreeMap<>();
        counters.forEach((key, n) -> sums.put(key, n.sum()));
        return sums;
    }
}
