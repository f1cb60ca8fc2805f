package archway.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

/**
 * {@code ./archway scale} against the running system, as an operator types it. The class
 * leaves the system with the instances it found.
 */
@ExtendWith(RunningSystem.class)
class ScaleCommandTest {

    static ArchwaySystem system;
    static int instancesBefore;

    @BeforeAll
    static void useTheRunningSystem(ArchwaySystem running) {
        system = running;
        instancesBefore = running.instances().size();
    }

    @AfterAll
    static void leaveTheInstancesAsTheyWere() {
        if (system != null && system.instances().size() != instancesBefore) {
            system.scaleInstances(instancesBefore);
        }
    }

    @Test
    void scalesTheAppInstancesOutAndInAndPrintsEachOne() {
        Run out = scale("app", Integer.toString(instancesBefore + 1));

        assertThat(out.code()).as(out.err()).isZero();
        List<String> lines = out.out().lines().toList();
        assertThat(lines).hasSize(instancesBefore + 1);
        assertThat(lines.getLast()).startsWith("app-" + (instancesBefore + 1)).contains("http://", "pid ").endsWith(" up");
        assertThat(system.instances()).hasSize(instancesBefore + 1);

        Run in = scale("app", Integer.toString(instancesBefore));

        assertThat(in.code()).as(in.err()).isZero();
        assertThat(in.out().lines()).hasSize(instancesBefore);
        assertThat(system.instances()).hasSize(instancesBefore);
    }

    @Test
    void aCountOutOfRangeIsRefusedInOneLine() {
        Run run = scale("app", "9");

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err().lines()).singleElement().asString().contains("400", "1-8");
        assertThat(run.out()).isEmpty();
        assertThat(system.instances()).hasSize(instancesBefore);
    }

    @Test
    void onlyTheAppPoolScales() {
        Run run = scale("gateway", "3");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("app");
    }

    @Test
    void helpSaysWhatScalesAndHow() {
        Run run = execute("scale", "--help");

        assertThat(run.code()).isZero();
        assertThat(run.out()).contains("POOL", "app", "--ops-url", "--run-dir", "1-8");
    }

    private static Run scale(String pool, String count) {
        return execute("scale", pool, count, "--ops-url", system.opsUrl(),
                "--run-dir", system.config().runFolder().root().toString());
    }

    private static Run execute(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int code = commandLine.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private record Run(int code, String out, String err) {
    }
}
