package archway.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./archway dlq list|replay}: the dead letters of the bus, through the operations
 * entry of a running system. A replay needs an administrator's token; the command signs a
 * short-lived one with the run folder's keys (see {@link OpsClient}).
 */
@Command(name = "dlq", mixinStandardHelpOptions = true,
        description = "Show the events the workers gave up on, and replay them once the cause is fixed.",
        subcommands = {DlqCommand.ListCommand.class, DlqCommand.ReplayCommand.class})
final class DlqCommand implements Runnable {

    @Option(names = "--ops", defaultValue = "http://127.0.0.1:8089", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "The operations entry (default: ${DEFAULT-VALUE}).")
    URI ops;

    @Option(names = "--run-dir", defaultValue = "var", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "The run folder of that system, whose keys sign the replay (default: ${DEFAULT-VALUE}).")
    Path runDir;

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the dead letters, oldest first.")
    static final class ListCommand implements Callable<Integer> {

        @picocli.CommandLine.ParentCommand
        DlqCommand dlq;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--all", description = "Also show the ones replayed already.")
        boolean all;

        @Override
        public Integer call() {
            JsonNode letters = dlq.deadLetters();
            PrintWriter out = spec.commandLine().getOut();
            int shown = 0;
            for (JsonNode letter : letters.get("items")) {
                if (!all && letter.get("replayed").asBoolean()) {
                    continue;
                }
                JsonNode event = letter.get("event");
                out.printf("%s  %s  group=%s  %s %s key=%s attempts=%d%s%n    %s%n", letter.get("id").asText(),
                        letter.get("failed_at").asText(), letter.get("group").asText(), event.get("topic").asText(),
                        event.get("type").asText(), event.get("key").asText(), letter.get("attempts").asInt(),
                        letter.get("replayed").asBoolean() ? "  (replayed)" : "", letter.get("error").asText());
                shown++;
            }
            out.println(shown == 0 ? "no dead letters" : shown + " dead letter" + (shown == 1 ? "" : "s"));
            out.flush();
            return 0;
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = "Publish dead letters again to their topics (each one once).")
    static final class ReplayCommand implements Callable<Integer> {

        @picocli.CommandLine.ParentCommand
        DlqCommand dlq;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Parameters(arity = "0..*", paramLabel = "ID", description = "The dead letters to replay.")
        List<String> ids = new ArrayList<>();

        @Option(names = "--all", description = "Replay every dead letter not replayed yet.")
        boolean all;

        @Override
        public Integer call() {
            List<String> chosen = new ArrayList<>(ids);
            if (all) {
                for (JsonNode letter : dlq.deadLetters().get("items")) {
                    if (!letter.get("replayed").asBoolean()) {
                        chosen.add(letter.get("id").asText());
                    }
                }
            }
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (chosen.isEmpty()) {
                err.println(all ? "no dead letters to replay" : "archway dlq replay: name the dead letters to replay, or --all");
                err.flush();
                return all ? 0 : 2;
            }
            String token = OpsClient.adminToken(dlq.runDir);
            int failed = 0;
            for (String id : chosen) {
                HttpResponse<String> response = OpsClient.send(HttpRequest.newBuilder(dlq.ops.resolve("/dead-letters/" + id + "/replay"))
                        .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build());
                if (response.statusCode() == 200) {
                    out.println("replayed " + id);
                } else {
                    failed++;
                    err.println("not replayed " + id + ": " + OpsClient.detail(response));
                }
            }
            out.flush();
            err.flush();
            return failed == 0 ? 0 : 1;
        }
    }

    JsonNode deadLetters() {
        HttpResponse<String> response = OpsClient.send(HttpRequest.newBuilder(ops.resolve("/dead-letters")).build());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("the operations entry at " + ops + " answered " + OpsClient.detail(response));
        }
        return OpsClient.json(response);
    }
}
