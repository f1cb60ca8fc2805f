package archway.cache;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CacheSpecTest {

    @Test
    void namesTheSettingAndTheValueThatIsWrong() {
        assertThatThrownBy(() -> CacheSpec.of(0, Duration.ofSeconds(1))).hasMessageContaining("maxEntries").hasMessageContaining("0");
        assertThatThrownBy(() -> CacheSpec.of(10, Duration.ZERO)).hasMessageContaining("ttl").hasMessageContaining("PT0S");
        assertThatThrownBy(() -> CacheSpec.of(10, null)).hasMessageContaining("ttl");
    }
}
