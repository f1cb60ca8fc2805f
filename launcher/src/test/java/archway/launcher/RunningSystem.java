package archway.launcher;

import archway.bus.Subscription;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Archway for every test class of the JVM that asks for it. Starting the whole
 * system (embedded PostgreSQL, two app-instance processes, balancer, gateway, edge) takes
 * seconds, so the classes share one rather than each starting its own:
 *
 * <pre>
 * &#64;ExtendWith(RunningSystem.class)
 * class SomethingTest {
 *     &#64;BeforeAll
 *     static void connect(ArchwaySystem running) { ... }
 * }
 * </pre>
 *
 * <p>The first parameter asked for starts it; it lives in the root extension store, which
 * closes it, and deletes its run folder, once after the last test class of the JVM. A start
 * that fails is remembered, so every class that asks fails at once with the same cause
 * instead of trying again.
 *
 * <p>Sharing has two rules. A class creates its own users and does not count on a cold edge
 * cache for a product another class reads. A class that harms the system (kills an
 * instance) is ordered after all the others: see {@code junit-platform.properties}.
 */
final class RunningSystem implements ParameterResolver {

    private static final Namespace NAMESPACE = Namespace.create(RunningSystem.class);
    /** Quick retries, so a test sees an event reach the dead-letter topic within a second. */
    static final Subscription.Retry TEST_RETRY = new Subscription.Retry(4, Duration.ofMillis(50), Duration.ofMillis(400));

    /** A test's system: two instances on free ports, with quick retries. */
    static SystemConfig testSystem(Path runFolder) {
        return SystemConfig.ephemeral(runFolder, 2).withBusRetry(TEST_RETRY);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ArchwaySystem.class;
    }

    @Override
    public ArchwaySystem resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .computeIfAbsent(Shared.class, key -> Shared.start(), Shared.class)
                .system();
    }

    /** The system and its run folder, or why it did not start; closed by the root store. */
    private static final class Shared implements AutoCloseable {

        private static final Logger LOG = LoggerFactory.getLogger(RunningSystem.class);

        private final Path runFolder;
        private final ArchwaySystem system;
        private final RuntimeException failure;

        private Shared(Path runFolder, ArchwaySystem system, RuntimeException failure) {
            this.runFolder = runFolder;
            this.system = system;
            this.failure = failure;
        }

        static Shared start() {
            Path runFolder;
            try {
                runFolder = Files.createTempDirectory("archway-test-");
            } catch (IOException e) {
                return new Shared(null, null, new UncheckedIOException("cannot create a run folder for the shared system", e));
            }
            try {
                return new Shared(runFolder, ArchwaySystem.start(testSystem(runFolder)), null);
            } catch (RuntimeException | LinkageError e) { // a linkage error: a module out of date on the class path
                // the logs of the failed start are the clue: keep the run folder
                return new Shared(runFolder, null, new IllegalStateException(
                        "the shared system did not start; its logs are in " + runFolder.resolve("logs"), e));
            }
        }

        ArchwaySystem system() {
            if (failure != null) {
                throw failure;
            }
            return system;
        }

        @Override
        public void close() {
            if (system == null) {
                return;
            }
            system.close();
            deleteQuietly(runFolder);
        }

        private static void deleteQuietly(Path folder) {
            try (Stream<Path> paths = Files.walk(folder)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            } catch (IOException | UncheckedIOException e) {
                LOG.warn("could not delete the shared system's run folder {}: {}", folder, e.toString());
            }
        }
    }
}
