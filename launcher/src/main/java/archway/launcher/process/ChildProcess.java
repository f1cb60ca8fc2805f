package archway.launcher.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A component running as its own operating-system process (an app instance), started with
 * this JVM's java and class path, its output appended to {@code logs/<name>.log}.
 *
 * <p>The child's standard input is a pipe from this process. When the launcher dies, even
 * by {@code kill -9}, the pipe closes and the child sees end-of-file and exits (see
 * {@link ParentWatch}), so no instance outlives its launcher.
 */
public final class ChildProcess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChildProcess.class);

    private final String name;
    private final Process process;

    private ChildProcess(String name, Process process) {
        this.name = name;
        this.process = process;
    }

    /** Starts {@code mainClass} in a new JVM with this JVM's class path. */
    public static ChildProcess startJava(String name, List<String> jvmOptions, String mainClass, List<String> args,
                                         Map<String, String> environment, Path logFile) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.add("-Darchway.component=" + name);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        builder.environment().putAll(environment);
        try {
            return new ChildProcess(name, builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + " (" + mainClass + ")", e);
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Kills the process at once ({@code SIGKILL}), as a crash would. */
    public void kill() {
        process.destroyForcibly();
    }

    /**
     * Asks the process to stop ({@code SIGTERM}: it drains and exits) and waits up to
     * {@code graceSeconds}; kills it if it is still there then.
     */
    @Override
    public void close() {
        close(10);
    }

    public void close(int graceSeconds) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
                LOG.warn("{} (pid {}) did not stop within {} s; killing it", name, pid(), graceSeconds);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
