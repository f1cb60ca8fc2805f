package archway.edge;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A cache clock the test moves by hand. */
final class FakeTicker implements Ticker {

    /** Where every fake ticker starts. */
    static final long START = 1_000_000_000L;

    private final AtomicLong nanos = new AtomicLong(START);

    void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    @Override
    public long read() {
        return nanos.get();
    }
}
