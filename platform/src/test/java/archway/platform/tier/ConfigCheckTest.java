package archway.platform.tier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.URI;
import org.junit.jupiter.api.Test;

class ConfigCheckTest {

    @Test
    void acceptsAnOriginWithOrWithoutATrailingSlash() {
        assertThat(ConfigCheck.origin("x.origin", URI.create("http://127.0.0.1:8081"))).hasPort(8081);
        assertThat(ConfigCheck.origin("x.origin", URI.create("https://gateway.example.com/"))).hasHost("gateway.example.com");
    }

    @Test
    void namesTheSettingAndTheValueItRejects() {
        assertThatIllegalArgumentException().isThrownBy(() -> ConfigCheck.origin("edge.origin", URI.create("http://gw:8081/api")))
                .withMessageContaining("edge.origin").withMessageContaining("http://gw:8081/api");
        assertThatIllegalArgumentException().isThrownBy(() -> ConfigCheck.origin("edge.origin", URI.create("gateway:8081")))
                .withMessageContaining("gateway:8081");
        assertThatIllegalArgumentException().isThrownBy(() -> ConfigCheck.port("gateway.port", -1))
                .withMessageContaining("gateway.port").withMessageContaining("-1");
        assertThatIllegalArgumentException().isThrownBy(() -> ConfigCheck.host("balancer.host", " "))
                .withMessageContaining("balancer.host");
    }
}
