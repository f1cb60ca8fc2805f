package archway.platform.tier.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CacheControlTest {

    private static long lifetime(String... directives) {
        return CacheControl.parse(List.of(directives)).sharedLifetimeSeconds();
    }

    @Test
    void aSharedCacheTakesSMaxAgeOverMaxAge() {
        assertThat(lifetime("public", "max-age=60")).isEqualTo(60);
        assertThat(lifetime("max-age=0", "s-maxage=30")).isEqualTo(30);
        assertThat(lifetime("s-maxage=\"15\"")).isEqualTo(15);
    }

    @Test
    void anAnswerForOneUserOrNotToBeKeptHasNoSharedLifetime() {
        assertThat(lifetime("private", "max-age=60")).isZero();
        assertThat(lifetime("private=\"Set-Cookie\"", "max-age=60")).isZero();
        assertThat(lifetime("no-store", "max-age=60")).isZero();
        assertThat(lifetime("no-cache", "max-age=60")).isZero();
        assertThat(lifetime("NO-STORE")).isZero();
    }

    @Test
    void noExplicitOrAMalformedLifetimeMeansNone() {
        assertThat(lifetime("public")).isZero();
        assertThat(lifetime()).isZero();
        assertThat(lifetime("max-age=soon")).isZero();
        assertThat(lifetime("max-age=-5")).isZero();
    }

    @Test
    void entityTagsMatchByWeakComparisonOrWildcard() {
        assertThat(ETags.matches("\"a\"", "\"a\"")).isTrue();
        assertThat(ETags.matches("W/\"a\"", "\"a\"")).isTrue();
        assertThat(ETags.matches("\"b\", \"a\"", "W/\"a\"")).isTrue();
        assertThat(ETags.matches("*", "\"a\"")).isTrue();
        assertThat(ETags.matches("\"b\"", "\"a\"")).isFalse();
        assertThat(ETags.matches(null, "\"a\"")).isFalse();
    }
}
