package archway.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConfigTest {

    @Test
    void defaultsToATwoSecondSlowTokenOnTheSystemClock() {
        PaymentProvider.Config config = PaymentProvider.Config.of("127.0.0.1", 9090);

        assertThat(config.slowTokenDelay()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.clock()).isEqualTo(Clock.systemUTC());
    }

    @Test
    void rejectsBadSettingsNamingTheSettingAndTheValue() {
        Clock clock = Clock.systemUTC();
        Duration delay = Duration.ofSeconds(2);
        assertThatIllegalArgumentException().isThrownBy(() -> new PaymentProvider.Config(" ", 0, delay, clock))
                .withMessageContaining("payment-provider.host").withMessageContaining("' '");
        assertThatIllegalArgumentException().isThrownBy(() -> new PaymentProvider.Config("127.0.0.1", 70_000, delay, clock))
                .withMessageContaining("payment-provider.port").withMessageContaining("70000");
        assertThatIllegalArgumentException().isThrownBy(() -> new PaymentProvider.Config("127.0.0.1", 0, Duration.ZERO, clock))
                .withMessageContaining("payment-provider.slowTokenDelay").withMessageContaining("PT0S");
        assertThatIllegalArgumentException().isThrownBy(() -> new PaymentProvider.Config("127.0.0.1", 0, null, clock))
                .withMessageContaining("slowTokenDelay");
        assertThatIllegalArgumentException().isThrownBy(() -> new PaymentProvider.Config("127.0.0.1", 0, delay, null))
                .withMessageContaining("payment-provider.clock");
    }
}
