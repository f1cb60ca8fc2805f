package archway.bus.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import archway.bus.Subscription;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What needs no broker: the configuration's checks and defaults, the back-off, the lock key. */
class KafkaBusConfigTest {

    @Test
    void theDefaultsArePollingEvery20MsInBatchesOf500WithoutMetrics() {
        KafkaBus.Config config = KafkaBus.Config.of("127.0.0.1:9092", "orders-1");

        assertThat(config.relayPollInterval()).isEqualTo(Duration.ofMillis(20));
        assertThat(config.relayBatchSize()).isEqualTo(500);
        assertThat(config.registry()).isNull();
        assertThat(config.withRelayBatchSize(50).relayBatchSize()).isEqualTo(50);
    }

    @Test
    void anInvalidConfigurationFailsAtConstructionNamingTheField() {
        KafkaBus.Config config = KafkaBus.Config.of("127.0.0.1:9092", "orders-1");

        assertThatThrownBy(() -> KafkaBus.Config.of(" ", "orders-1")).hasMessageContaining("bootstrapServers");
        assertThatThrownBy(() -> KafkaBus.Config.of("127.0.0.1:9092", "orders 1")).hasMessageContaining("clientIdPrefix");
        assertThatThrownBy(() -> config.withRelayPollInterval(Duration.ZERO)).hasMessageContaining("relayPollInterval");
        assertThatThrownBy(() -> config.withRelayBatchSize(0)).hasMessageContaining("relayBatchSize");
        assertThatThrownBy(() -> config.withClock(null)).hasMessageContaining("clock");
    }

    @Test
    void theBackOffIsAFullJitterUnderTheDoublingCap() {
        Subscription.Retry retry = new Subscription.Retry(10, Duration.ofMillis(100), Duration.ofSeconds(1));

        for (int i = 0; i < 200; i++) {
            assertThat(ConsumerWorker.backoff(retry, 1)).isBetween(Duration.ZERO, Duration.ofMillis(100));
            assertThat(ConsumerWorker.backoff(retry, 3)).isBetween(Duration.ZERO, Duration.ofMillis(400));
            assertThat(ConsumerWorker.backoff(retry, 9)).isBetween(Duration.ZERO, Duration.ofSeconds(1));
        }
        assertThat(ConsumerWorker.backoff(new Subscription.Retry(3, Duration.ZERO, Duration.ZERO), 2)).isZero();
    }

    @Test
    void theRelayLockKeyIsTheSameEverywhereAndDiffersByOutbox() {
        // FNV-1a 64 of "outbox:orders": the key every instance, of any release, must agree on
        assertThat(OutboxRelay.lockKey("orders")).isEqualTo(0x87ab62a80f58242fL);
        assertThat(OutboxRelay.lockKey("orders")).isNotEqualTo(OutboxRelay.lockKey("payments"));
    }
}
