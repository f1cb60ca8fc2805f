package archway.store.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small shell process, child of this JVM, that stops the PostgreSQL server when this JVM
 * goes away without stopping it (killed, crashed). It reads its standard input, a pipe
 * from this JVM, until end-of-file; the kernel closes the pipe when the JVM exits, however
 * it exits. It then sends the postmaster a fast-shutdown signal - but only if the data
 * folder's {@code postmaster.pid} still names that process, so after a normal stop (no pid
 * file) or a recycled process number it does nothing.
 */
final class ServerGuard implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServerGuard.class);
    private static final String SCRIPT = """
            while read -r _; do :; done
            pidfile="$1/postmaster.pid"
            if [ -f "$pidfile" ] && [ "$(head -n 1 "$pidfile")" = "$2" ]; then kill -INT "$2"; fi
            """;

    private final Process process;

    private ServerGuard(Process process) {
        this.process = process;
    }

    static ServerGuard watch(Path dataDirectory, long postmasterPid) {
        try {
            Process process = new ProcessBuilder("sh", "-c", SCRIPT, "archway-postgres-guard",
                    dataDirectory.toString(), Long.toString(postmasterPid))
                    .redirectInput(ProcessBuilder.Redirect.PIPE)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return new ServerGuard(process);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the guard process of embedded PostgreSQL", e);
        }
    }

    /** Ends the guard (after the server was stopped, so it has nothing to do). */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        LOG.debug("embedded PostgreSQL guard (pid {}) ended", process.pid());
    }

    long pid() {
        return process.pid();
    }
}
