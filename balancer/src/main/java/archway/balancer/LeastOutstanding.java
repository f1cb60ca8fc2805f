package archway.balancer;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The member with the fewest requests in flight. The scan starts one member further each
 * time, so members with equally few share the traffic in turn rather than the first one
 * taking it all.
 */
final class LeastOutstanding implements Picker {

    private final AtomicInteger turn = new AtomicInteger();

    @Override
    public Member pick(Member[] up, Member failed) {
        int n = up.length;
        if (n == 0) {
            return null;
        }
        int start = Math.floorMod(turn.getAndIncrement(), n);
        Member best = null;
        int fewest = Integer.MAX_VALUE;
        for (int k = 0; k < n; k++) {
            Member member = up[(start + k) % n];
            int outstanding = member.outstanding();
            if (member != failed && outstanding < fewest) {
                best = member;
                fewest = outstanding;
            }
        }
        return best;
    }
}
