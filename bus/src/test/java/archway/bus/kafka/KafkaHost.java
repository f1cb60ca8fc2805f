package archway.bus.kafka;

import java.nio.file.Path;

/** A JVM that starts a broker, prints its pid and waits to be killed: the parent of {@link EmbeddedKafkaParentDeathTest}. */
public final class KafkaHost {

    private KafkaHost() {
    }

    public static void main(String[] args) throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.start(new EmbeddedKafka.Settings(Path.of(args[0]), 0));
        System.out.println("broker-pid=" + kafka.pid());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
