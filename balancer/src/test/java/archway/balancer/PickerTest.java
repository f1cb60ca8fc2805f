package archway.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PickerTest {

    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
    private final MutableClock clock = new MutableClock(T0);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private Member member(int port) {
        return new Member(URI.create("http://127.0.0.1:" + port), T0, registry.counter("picks", "port", String.valueOf(port)));
    }

    private static Map<Member, Integer> picks(Picker picker, Member[] up, int n) {
        Map<Member, Integer> counts = new HashMap<>();
        for (int i = 0; i < n; i++) {
            counts.merge(picker.pick(up, null), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void roundRobinGivesEveryMemberExactlyTheSameShare() {
        Member a = member(1);
        Member b = member(2);
        Member c = member(3);

        assertThat(picks(new RoundRobin(), new Member[] {a, b, c}, 3000))
                .containsOnly(Map.entry(a, 1000), Map.entry(b, 1000), Map.entry(c, 1000));
    }

    @Test
    void leastOutstandingTakesTheMemberWithFewestInFlightAndSharesEvenlyAmongEquals() {
        Member a = member(1);
        Member b = member(2);
        Member c = member(3);
        Member[] up = {a, b, c};
        LeastOutstanding picker = new LeastOutstanding();

        assertThat(picks(picker, up, 3000)).containsOnly(Map.entry(a, 1000), Map.entry(b, 1000), Map.entry(c, 1000));

        a.started();
        a.started();
        b.started();
        assertThat(picks(picker, up, 100)).containsOnly(Map.entry(c, 100));

        c.started();
        assertThat(picks(picker, up, 100)).containsOnlyKeys(b, c);
    }

    @Test
    void leastOutstandingUnderConcurrencySendsMostToTheMemberThatAnswersFaster() {
        Member fast = member(1);
        Member slow = member(2);
        Map<Member, Integer> counts = simulate(new LeastOutstanding(), fast, slow, 20_000);

        assertThat(counts.get(slow)).isLessThan(counts.get(fast) / 5);
    }

    @Test
    void powerOfTwoChoicesSendsMostTrafficAwayFromASlowMemberYetStillTriesIt() {
        Member fast = member(1);
        Member slow = member(2);
        Map<Member, Integer> counts = simulate(new PowerOfTwoChoices(clock), fast, slow, 60_000);

        assertThat(counts.get(slow)).as("the slow member's share").isLessThan(60_000 / 20).isPositive();
    }

    @Test
    void powerOfTwoChoicesGivesAMemberThatGotFastAgainItsTrafficBack() {
        Member a = member(1);
        Member b = member(2);
        PowerOfTwoChoices picker = new PowerOfTwoChoices(clock);
        simulate(picker, a, b, 10_000);

        Map<Member, Integer> counts = new HashMap<>();
        for (int i = 0; i < 60_000; i++) {
            clock.advance(Duration.ofMillis(1));
            Member chosen = picker.pick(new Member[] {a, b}, null);
            counts.merge(chosen, 1, Integer::sum);
            chosen.latency().observe(Duration.ofMillis(2).toNanos(), PeakEwma.nanos(clock));
        }

        assertThat(counts.get(b)).as("b, as fast as a now").isGreaterThan(60_000 / 4);
    }

    @Test
    void powerOfTwoChoicesNeitherStarvesNorFloodsAMemberWithoutAnAnswerYet() {
        Member known = member(1);
        Member fresh = member(2);
        known.latency().observe(Duration.ofMillis(5).toNanos(), PeakEwma.nanos(clock));
        PowerOfTwoChoices picker = new PowerOfTwoChoices(clock);

        Member first = picker.pick(new Member[] {known, fresh}, null);
        assertThat(first).as("equal load, so the fresh one is priced like the known one").isIn(known, fresh);
        fresh.started();
        fresh.started();
        assertThat(picker.pick(new Member[] {known, fresh}, null)).as("two in flight at the fresh one: the idle one wins").isEqualTo(known);
    }

    @Test
    void everyPickerSkipsTheMemberARetryIsLeaving() {
        Member a = member(1);
        Member b = member(2);
        Member c = member(3);
        for (Picker picker : List.of(new RoundRobin(), new LeastOutstanding(), new PowerOfTwoChoices(clock))) {
            for (int i = 0; i < 100; i++) {
                assertThat(picker.pick(new Member[] {a, b, c}, b)).as(picker.getClass().getSimpleName()).isIn(a, c);
            }
            assertThat(picker.pick(new Member[] {a}, a)).as(picker.getClass().getSimpleName()).isNull();
            assertThat(picker.pick(new Member[0], null)).as(picker.getClass().getSimpleName()).isNull();
        }
    }

    /**
     * Requests arrive every millisecond; {@code fast} answers in 2 ms, {@code slow} in 50 ms
     * (a clock step each), so requests pile up at the slow one while it works.
     */
    private Map<Member, Integer> simulate(Picker picker, Member fast, Member slow, int requests) {
        Map<Member, Integer> counts = new HashMap<>();
        Map<Long, List<Member>> endings = new HashMap<>();
        for (long t = 0; t < requests; t++) {
            clock.advance(Duration.ofMillis(1));
            for (Member done : endings.getOrDefault(t, List.of())) {
                done.ended();
            }
            endings.remove(t);
            Member chosen = picker.pick(new Member[] {fast, slow}, null);
            counts.merge(chosen, 1, Integer::sum);
            chosen.started();
            long took = chosen == slow ? 50 : 2;
            endings.computeIfAbsent(t + took, k -> new java.util.ArrayList<>()).add(chosen);
            chosen.latency().observe(Duration.ofMillis(took).toNanos(), PeakEwma.nanos(clock) + Duration.ofMillis(took).toNanos());
        }
        counts.putIfAbsent(slow, 0);
        return counts;
    }
}
