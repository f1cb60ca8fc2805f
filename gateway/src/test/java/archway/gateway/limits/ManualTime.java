package archway.gateway.limits;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** A time source that moves only when a test moves it. */
final class ManualTime implements InstantSource {

    private volatile Instant now;

    ManualTime(String start) {
        this.now = Instant.parse(start);
    }

    void advance(Duration by) {
        now = now.plus(by);
    }

    @Override
    public Instant instant() {
        return now;
    }
}
