package archway.bus.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaParentDeathTest {

    @Test
    void theBrokerStopsWhenTheJvmThatStartedItIsKilled(@TempDir Path data) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx128m"));
        if (Runtime.version().feature() >= 23) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), KafkaHost.class.getName(), data.toString()));
        Process host = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            long brokerPid = brokerPid(host);
            ProcessHandle broker = ProcessHandle.of(brokerPid).orElseThrow();

            host.destroyForcibly(); // SIGKILL: no shutdown hook, no close()

            assertThat(broker.onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();
        } finally {
            host.destroyForcibly();
        }
    }

    /** Reads the host's output until it names the broker's pid. */
    private static long brokerPid(Process host) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(host.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith("broker-pid=")) {
                return Long.parseLong(line.substring("broker-pid=".length()).trim());
            }
            seen.append(line).append('\n');
        }
        throw new AssertionError("the host JVM ended without starting a broker:\n" + seen);
    }
}
