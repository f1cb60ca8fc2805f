package archway.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CacheSpecTest {

    @Test
    void namesTheSettingAndTheValueThatIsWrong() {
        assertThatThrownBy(() -> CacheSpec.of(0, Duration.ofSeconds(1))).hasMessageContaining("maxEntries").hasMessageContaining("0");
        assertThatThrownBy(() -> CacheSpec.of(10, Duration.ZERO)).hasMessageContaining("ttl").hasMessageContaining("PT0S");
        assertThatThrownBy(() -> CacheSpec.of(10, null)).hasMessageContaining("ttl");
        assertThatThrownBy(() -> CacheSpec.of(10, Duration.ofSeconds(1)).withRefreshAhead(1.0)).hasMessageContaining("refreshAhead");
        assertThatThrownBy(() -> CacheSpec.of(10, Duration.ofSeconds(1)).withNegativeTtl(Duration.ZERO)).hasMessageContaining("negativeTtl");
    }

    @Test
    void keepsANotFoundFiveSecondsUnlessTheTimeToLiveIsShorter() {
        assertThat(CacheSpec.of(10, Duration.ofSeconds(30)).negativeTtl()).isEqualTo(Duration.ofSeconds(5));
        assertThat(CacheSpec.of(10, Duration.ofSeconds(2)).negativeTtl()).isEqualTo(Duration.ofSeconds(2));
        assertThat(CacheSpec.of(10, Duration.ofSeconds(30)).withRefreshAhead(0.8).refreshAfter()).isEqualTo(Duration.ofSeconds(24));
    }
}
