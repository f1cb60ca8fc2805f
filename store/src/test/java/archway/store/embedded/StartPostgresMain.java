package archway.store.embedded;

import java.nio.file.Path;

/** A JVM that starts embedded PostgreSQL, says its pid, and waits to be killed (see EmbeddedPostgresTest). */
public final class StartPostgresMain {

    private StartPostgresMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        EmbeddedPostgres postgres = EmbeddedPostgres.start(new EmbeddedPostgres.Settings(Path.of(args[0]), Path.of(args[1]), 0));
        System.out.println("postmaster=" + postgres.pid());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
