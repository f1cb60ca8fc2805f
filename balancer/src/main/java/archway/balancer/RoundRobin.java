package archway.balancer;

import java.util.concurrent.atomic.AtomicInteger;

/** Each member in turn: every member up gets the same share, whatever it is doing. */
final class RoundRobin implements Picker {

    private final AtomicInteger turn = new AtomicInteger();

    @Override
    public Member pick(Member[] up, Member failed) {
        int n = up.length;
        if (n == 0) {
            return null;
        }
        int i = Math.floorMod(turn.getAndIncrement(), n);
        if (up[i] != failed) {
            return up[i];
        }
        return n == 1 ? null : up[(i + 1) % n];
    }
}
