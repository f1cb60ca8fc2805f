package archway.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./archway scale app N}: runs N app instances in a running system, adding or
 * removing them while traffic flows, through the operations entry's {@code PUT /instances}.
 * The change needs an administrator's token, which the command signs with the run folder's
 * keys (see {@link OpsClient}); it returns once the change is complete.
 */
@Command(name = "scale", mixinStandardHelpOptions = true,
        description = {"Run N instances of a pool in a running system, without failing a request.",
                "Scaling out starts the next instances and adds each to the balancer once it is ready;"
                        + " scaling in drains the highest-numbered ones out of the balancer, then stops them.",
                "app: 1-8 instances (8 = the partitions of the saga's topics), as far as PostgreSQL's connections go."})
final class ScaleCommand implements Callable<Integer> {

    /** Starting instances and waiting for them can take a while on a busy machine. */
    private static final Duration PATIENCE = Duration.ofMinutes(5);

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "POOL", description = "What to scale: app (the app instances).")
    String pool;

    @Parameters(index = "1", paramLabel = "N", description = "How many instances to run.")
    int count;

    @Option(names = "--ops-url", paramLabel = "URL", defaultValue = "http://127.0.0.1:8089",
            description = "The operations entry of the running system (default: ${DEFAULT-VALUE}).")
    URI ops;

    @Option(names = "--run-dir", paramLabel = "DIR", defaultValue = "var",
            description = "The run folder of that system, whose keys sign the change (default: ${DEFAULT-VALUE}).")
    Path runDir;

    @Override
    public Integer call() {
        if (!pool.equals("app")) {
            spec.commandLine().getErr().println("archway scale: no pool named '" + pool + "'; the one that scales is app");
            return 2;
        }
        HttpResponse<String> response = OpsClient.send(HttpRequest.newBuilder(ops.resolve("/instances"))
                .timeout(PATIENCE)
                .header("Authorization", "Bearer " + OpsClient.adminToken(runDir))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"count\":" + count + "}"))
                .build());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("not scaled: " + OpsClient.detail(response));
        }
        PrintWriter out = spec.commandLine().getOut();
        for (JsonNode instance : OpsClient.json(response).get("items")) {
            out.printf("%-7s %-26s pid %-8s %s%n", instance.get("name").asText(), instance.get("url").asText(),
                    instance.path("pid").asText("-"), instance.get("state").asText());
        }
        out.flush();
        return 0;
    }
}
