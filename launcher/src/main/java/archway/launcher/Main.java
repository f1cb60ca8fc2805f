package archway.launcher;

import archway.launcher.instance.InstanceCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./archway}: the command line of the launcher, Archway's composition root. */
@Command(name = "archway",
        mixinStandardHelpOptions = true,
        version = "Archway 0.1.0",
        description = "The classic cloud web architecture, every box real and running.",
        subcommands = {UpCommand.class, EdgeCommand.class, ScaleCommand.class, DlqCommand.class, archway.lab.load.LoadCommand.class, InstanceCommand.class})
public final class Main implements Runnable {

    /**
     * Seconds the JDK's HTTP client keeps an idle connection. Its default, 30 s, is exactly how
     * long Jetty servers keep theirs, so a request can go out on a connection as the server
     * closes it; it then fails, and a POST (a charge, a purge) is not retried. Ours let go first.
     */
    private static final String JDK_CLIENT_KEEP_ALIVE_SECONDS = "10";

    public static void main(String[] args) {
        if (System.getProperty("jdk.httpclient.keepalive.timeout") == null) {
            System.setProperty("jdk.httpclient.keepalive.timeout", JDK_CLIENT_KEEP_ALIVE_SECONDS);
        }
        int code = commandLine().execute(args);
        // Jetty and Javalin keep non-daemon threads for a while after stopping; the command's
        // outcome is final here, so end the JVM with it.
        System.exit(code);
    }

    /** Every command, configured as {@code ./archway} runs them. */
    static CommandLine commandLine() {
        return new CommandLine(new Main())
                .setCaseInsensitiveEnumValuesAllowed(true)
                // a command that cannot do its job says why in one line; the stack trace is for the logs
                .setExecutionExceptionHandler((e, command, parsed) -> {
                    command.getErr().println("archway: " + e.getMessage());
                    return 1;
                });
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
