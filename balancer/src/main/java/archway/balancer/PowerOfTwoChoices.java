package archway.balancer;

import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Power of two choices on peak-EWMA latency (Finagle's {@code p2cPeakEwma}): two distinct
 * members drawn at random, the one with the lower cost taken, where cost is the member's
 * {@link PeakEwma latency average} times (requests in flight + 1).
 *
 * <p>Design notes: comparing two random members rather than all of them keeps the pick
 * O(1) and stops every balancer thread from herding onto the same "best" member at once.
 * The average decays while a member gets no answers, so a member that was slow is tried
 * again after a few seconds and wins its traffic back once it is fast. A member without an
 * answer yet (just added) is priced at the other candidate's latency: it is then chosen by
 * its requests in flight alone, so it neither waits forever nor takes a flood at once.
 */
final class PowerOfTwoChoices implements Picker {

    private final Clock clock;

    PowerOfTwoChoices(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Member pick(Member[] up, Member failed) {
        int skip = indexOf(up, failed);
        int n = skip < 0 ? up.length : up.length - 1;
        if (n <= 1) {
            return n == 0 ? null : at(up, skip, 0);
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int a = random.nextInt(n);
        int b = random.nextInt(n - 1);
        if (b >= a) {
            b++;
        }
        Member first = at(up, skip, a);
        Member second = at(up, skip, b);
        long now = PeakEwma.nanos(clock);
        return cost(first, second, now) <= cost(second, first, now) ? first : second;
    }

    private static double cost(Member member, Member other, long now) {
        PeakEwma latency = member.latency();
        double nanos = latency.hasSample() ? latency.nanos(now)
                : other.latency().hasSample() ? other.latency().nanos(now) : 1;
        return nanos * (member.outstanding() + 1);
    }

    private static int indexOf(Member[] up, Member member) {
        if (member != null) {
            for (int i = 0; i < up.length; i++) {
                if (up[i] == member) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** The k-th member of {@code up} without the one at {@code skip}. */
    private static Member at(Member[] up, int skip, int k) {
        return skip >= 0 && k >= skip ? up[k + 1] : up[k];
    }
}
