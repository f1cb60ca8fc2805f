package archway.launcher;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TakenPortTest {

    @TempDir
    Path runFolder;

    @Test
    void aTakenPortStopsTheStartNamingThePortAndTheComponent() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            SystemConfig config = new SystemConfig("127.0.0.1", new RunFolder(runFolder), 2, 0, port, 0, 0, 0, 0, 0, 0,
                    Optional.empty(), Optional.empty(), SystemConfig.DEFAULT_INSTANCE_JVM_OPTIONS, archway.bus.Subscription.Retry.DEFAULT, SystemConfig.DEFAULT_BALANCER_ALGORITHM);

            assertThatThrownBy(() -> ArchwaySystem.start(config))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("port " + port + " (gateway) is already in use");
        }
    }

    @Test
    void anImpossiblePortIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> new SystemConfig("127.0.0.1", new RunFolder(runFolder), 2, 70000, 0, 0, 0, 0, 0, 0, 0,
                Optional.empty(), Optional.empty(), SystemConfig.DEFAULT_INSTANCE_JVM_OPTIONS, archway.bus.Subscription.Retry.DEFAULT, SystemConfig.DEFAULT_BALANCER_ALGORITHM))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--edge-port must be 0-65535, was 70000");
    }
}
