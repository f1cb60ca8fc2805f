package archway.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HttpCachingTest {

    private static final String TAG = "\"0123456789abcdef0123456789abcdef\"";

    @Test
    void matchesIfNoneMatchTheWayRfc9110Says() {
        assertThat(HttpCaching.matches(TAG, TAG)).isTrue();
        assertThat(HttpCaching.matches("W/" + TAG, TAG)).as("weak comparison").isTrue();
        assertThat(HttpCaching.matches("\"a\", " + TAG, TAG)).as("a list").isTrue();
        assertThat(HttpCaching.matches("*", TAG)).isTrue();
        assertThat(HttpCaching.matches(null, TAG)).isFalse();
        assertThat(HttpCaching.matches("\"a\"", TAG)).isFalse();
        assertThat(HttpCaching.matches(TAG.replace("\"", ""), TAG)).as("unquoted is not the same tag").isFalse();
    }

    @Test
    void givesEqualBytesEqualTagsAndOtherBytesOtherTags() {
        byte[] body = "{\"id\":1}".getBytes(StandardCharsets.UTF_8);

        assertThat(HttpCaching.etagOf(body)).isEqualTo(HttpCaching.etagOf(body.clone())).matches("\"[0-9a-f]{32}\"");
        assertThat(HttpCaching.etagOf("{\"id\":2}".getBytes(StandardCharsets.UTF_8))).isNotEqualTo(HttpCaching.etagOf(body));
    }
}
