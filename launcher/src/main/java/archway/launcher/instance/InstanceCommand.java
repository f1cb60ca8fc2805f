package archway.launcher.instance;

import archway.bus.Subscription;
import archway.cache.CachePlan;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import archway.launcher.process.ParentWatch;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code archway instance ...}: one app instance process, started by {@code up} (hidden
 * from the help: users start instances through {@code up} and {@code scale}).
 */
@Command(name = InstanceCommand.NAME, hidden = true, mixinStandardHelpOptions = true,
        description = "Run one app instance (started by 'up').")
public final class InstanceCommand implements Callable<Integer> {

    public static final String NAME = "instance";

    @Option(names = "--name", required = true)
    String name;

    @Option(names = "--host", defaultValue = "127.0.0.1")
    String host;

    @Option(names = "--port", required = true)
    int port;

    @Option(names = "--run-dir", required = true)
    Path runDir;

    @Option(names = "--postgres-url", required = true)
    String postgresUrl;

    @Option(names = "--postgres-user", defaultValue = "postgres")
    String postgresUser;

    @Option(names = "--kafka-bootstrap", required = true)
    String kafkaBootstrap;

    @Option(names = "--payment-provider", required = true)
    java.net.URI paymentProvider;

    @Option(names = "--retry-attempts", defaultValue = "8")
    int retryAttempts;

    @Option(names = "--retry-initial-ms", defaultValue = "100")
    long retryInitialMillis;

    @Option(names = "--retry-max-ms", defaultValue = "5000")
    long retryMaxMillis;

    @Option(names = "--pool-size", defaultValue = "8")
    int poolSize;

    /** One setting of the cache plan each, as {@code up --cache} takes them (see {@link CachePlan}). */
    @Option(names = "--cache")
    List<String> cache = new ArrayList<>();

    @Override
    public Integer call() {
        ParentWatch.exitWhenParentDies();
        AppInstance.Config config = new AppInstance.Config(name, host, port, runDir, postgresUrl, postgresUser,
                System.getenv().getOrDefault("ARCHWAY_POSTGRES_PASSWORD", ""),
                System.getenv("ARCHWAY_ADMIN_PASSWORD"), kafkaBootstrap, paymentProvider,
                new Subscription.Retry(retryAttempts, Duration.ofMillis(retryInitialMillis), Duration.ofMillis(retryMaxMillis)), poolSize,
                CachePlan.parse(cache));
        AppInstance instance = AppInstance.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            instance.close();
            stopped.countDown();
        }, name + "-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
