package archway.platform.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestIdsTest {

    private static final String FRESH = "[0-9a-f]{32}";

    @Test
    void aFreshIdIs32HexDigitsAndDiffersEachTime() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            ids.add(RequestIds.create());
        }

        assertThat(ids).hasSize(1000).allMatch(id -> id.matches(FRESH));
    }

    @Test
    void keepsPrintableAsciiIdsUpTo128Characters() {
        for (String id : new String[] {"a", "req-42", "00f067aa-0ba9-02b7", "!~:/._@#", "x".repeat(128)}) {
            assertThat(RequestIds.acceptOrCreate(id)).isEqualTo(id);
        }
    }

    @Test
    void replacesAMissingEmptyOrTooLongId() {
        assertThat(RequestIds.acceptOrCreate(null)).matches(FRESH);
        assertThat(RequestIds.acceptOrCreate("")).matches(FRESH);
        assertThat(RequestIds.acceptOrCreate("x".repeat(129))).matches(FRESH);
    }

    @Test
    void replacesAnIdWithControlCharactersSpacesOrNonAscii() {
        for (String id : new String[] {"a\nb", "a\r\nX-Admin: true", "a\u0000", "a\u0001", "a\tb", "a b", " a", "a\u007f", "café", "a\u2028"}) {
            assertThat(RequestIds.acceptOrCreate(id)).as(id).matches(FRESH);
        }
    }
}
