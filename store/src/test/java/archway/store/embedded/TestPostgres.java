package archway.store.embedded;

import java.nio.file.Path;

/**
 * Embedded PostgreSQL for tests (shipped in this module's test jar for the services' tests):
 * data in a test's temporary folder, binaries unpacked once per module under {@code target/}.
 */
public final class TestPostgres {

    private TestPostgres() {
    }

    public static Path binaries() {
        return Path.of("target", "embedded-pg").toAbsolutePath();
    }

    /** A server on a free port with its data in {@code folder/pgdata}. */
    public static EmbeddedPostgres start(Path folder) {
        return EmbeddedPostgres.start(settings(folder));
    }

    public static EmbeddedPostgres.Settings settings(Path folder) {
        return new EmbeddedPostgres.Settings(folder.resolve("pgdata"), binaries(), 0);
    }
}
