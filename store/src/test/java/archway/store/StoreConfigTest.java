package archway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StoreConfigTest {

    private static final String URL = "jdbc:postgresql://127.0.0.1:5432/archway";

    @Test
    void namesTheSettingAndTheValueThatIsWrong() {
        assertThatThrownBy(() -> new StoreConfig("jdbc:mysql://x/y", "u", "", 4))
                .hasMessageContaining("jdbcUrl").hasMessageContaining("jdbc:mysql://x/y");
        assertThatThrownBy(() -> new StoreConfig(URL, " ", "", 4)).hasMessageContaining("user");
        assertThatThrownBy(() -> new StoreConfig(URL, "u", null, 4)).hasMessageContaining("password");
        assertThatThrownBy(() -> new StoreConfig(URL, "u", "", 0)).hasMessageContaining("poolSize").hasMessageContaining("0");
        assertThatThrownBy(() -> new StoreConfig(URL, "u", "", 4, "Bad-Prefix"))
                .hasMessageContaining("schemaPrefix").hasMessageContaining("Bad-Prefix");
    }

    @Test
    void keepsThePasswordOutOfItsText() {
        assertThat(new StoreConfig(URL, "u", "s3cret", 4).toString()).doesNotContain("s3cret");
    }
}
