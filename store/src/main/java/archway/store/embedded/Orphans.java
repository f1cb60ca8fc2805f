package archway.store.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Finding and stopping the postmaster that runs on a data folder, through its {@code postmaster.pid}. */
final class Orphans {

    private static final Logger LOG = LoggerFactory.getLogger(Orphans.class);

    private Orphans() {
    }

    /**
     * The running postmaster of {@code data}: the process named on the first line of its
     * {@code postmaster.pid}, if that process is alive and is a postgres (so a stale file
     * whose number now belongs to some other process is ignored).
     */
    static Optional<ProcessHandle> postmasterOf(Path data) {
        Path pidFile = data.resolve("postmaster.pid");
        List<String> lines;
        try {
            lines = Files.isRegularFile(pidFile) ? Files.readAllLines(pidFile) : List.of();
        } catch (IOException e) {
            return Optional.empty();
        }
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(lines.getFirst().trim());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(command -> command.endsWith("/postgres")).orElse(false));
    }

    /** Stops a postmaster left running on {@code data} by a process that died without stopping it. */
    static void stopLeftoverServer(Path data, Duration wait) {
        postmasterOf(data).ifPresent(postmaster -> {
            LOG.warn("a PostgreSQL server (pid {}) is still running on {}, left by an earlier run that died; stopping it",
                    postmaster.pid(), data);
            requestFastShutdown(postmaster.pid());
            awaitExit(postmaster, wait);
        });
    }

    /**
     * {@code SIGINT}, PostgreSQL's fast shutdown: sessions are ended, open transactions roll
     * back, the server checkpoints and exits. ({@code SIGTERM}, what {@link ProcessHandle#destroy}
     * sends, waits for every client to disconnect first.)
     */
    static void requestFastShutdown(long pid) {
        try {
            Process kill = new ProcessBuilder("sh", "-c", "kill -INT \"$1\"", "sh", Long.toString(pid))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!kill.waitFor(5, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
            }
        } catch (IOException e) {
            LOG.warn("cannot signal PostgreSQL (pid {}): {}", pid, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for {@code process} to end; kills it if it is still there after {@code wait}. */
    static void awaitExit(ProcessHandle process, Duration wait) {
        try {
            process.onExit().get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("PostgreSQL (pid {}) did not stop within {}; killing it", process.pid(), wait);
            process.destroyForcibly();
            try {
                process.onExit().get(5, TimeUnit.SECONDS);
            } catch (TimeoutException | ExecutionException e2) {
                LOG.warn("PostgreSQL (pid {}) is still running after a kill", process.pid());
            } catch (InterruptedException e2) {
                Thread.currentThread().interrupt();
            }
        } catch (ExecutionException e) {
            LOG.warn("waiting for PostgreSQL (pid {}) to stop failed: {}", process.pid(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
