package archway.bus.kafka;

import java.io.IOException;
import java.io.InputStream;

/**
 * The main class of the broker child process: {@code kafka.Kafka}, plus a watch on standard
 * input. {@link EmbeddedKafka} starts this JVM with its standard input a pipe from the parent
 * JVM and never writes to it; when the parent goes away, however it goes (closed, killed with
 * {@code SIGKILL}, crashed), the kernel closes the pipe, the read below sees end-of-file, and
 * {@link System#exit} runs Kafka's shutdown hook, a clean shutdown. So the broker never
 * outlives the JVM that started it.
 */
public final class BrokerMain {

    private BrokerMain() {
    }

    /** @param args what {@code kafka.Kafka} takes: the path of {@code server.properties} */
    public static void main(String[] args) throws Exception {
        Thread watch = new Thread(BrokerMain::exitAtEndOfInput, "archway-parent-watch");
        watch.setDaemon(true);
        watch.start();
        kafka.Kafka.main(args);
    }

    private static void exitAtEndOfInput() {
        InputStream in = System.in;
        byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) >= 0) {
                // the parent writes nothing; anything read is ignored
            }
            System.err.println("archway: the parent process is gone (end of standard input); stopping the broker");
        } catch (IOException e) {
            System.err.println("archway: reading standard input failed (" + e + "); stopping the broker");
        }
        System.exit(0);
    }
}
