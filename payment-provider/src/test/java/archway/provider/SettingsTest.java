package archway.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void acceptsTheWholeRangeOfEachKnob() {
        assertThat(new Settings(0, 0.0)).isEqualTo(Settings.HEALTHY);
        assertThat(new Settings(60_000, 1.0).latencyMs()).isEqualTo(60_000);
    }

    @Test
    void rejectsValuesOutOfRangeNamingTheKnobAndTheValue() {
        assertThatIllegalArgumentException().isThrownBy(() -> new Settings(-1, 0.0)).withMessageContaining("latency_ms")
                .withMessageContaining("-1");
        assertThatIllegalArgumentException().isThrownBy(() -> new Settings(60_001, 0.0)).withMessageContaining("60001");
        assertThatIllegalArgumentException().isThrownBy(() -> new Settings(0, 1.01)).withMessageContaining("error_rate")
                .withMessageContaining("1.01");
        assertThatIllegalArgumentException().isThrownBy(() -> new Settings(0, -0.5)).withMessageContaining("-0.5");
        assertThatIllegalArgumentException().isThrownBy(() -> new Settings(0, Double.NaN)).withMessageContaining("NaN");
    }
}
