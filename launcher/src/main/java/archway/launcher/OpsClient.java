package archway.launcher;

import archway.platform.auth.JwtKeys;
import archway.platform.auth.Principal;
import archway.platform.auth.TokenIssuer;
import archway.platform.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;

/**
 * How the command line talks to the operations entry of a running system: requests, the
 * problem detail of an answer that is not a success, and the administrator's token for a
 * change, signed with the run folder's keys as the operator of this machine may.
 */
final class OpsClient {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private OpsClient() {
    }

    /** A short-lived administrator's token signed with the keys of the run folder {@code runDir}. */
    static String adminToken(Path runDir) {
        Path keys = new RunFolder(runDir).keys();
        if (!Files.isRegularFile(keys)) {
            throw new IllegalStateException("no signing keys at " + keys + "; point --run-dir at the running system's run folder");
        }
        return new TokenIssuer(JwtKeys.load(keys), Clock.systemUTC(), Duration.ofMinutes(5))
                .issue(new Principal("operations-cli", RunFolder.ADMIN_EMAIL, Set.of(Principal.ADMIN)));
    }

    /** The status and the problem's detail (or the body, when it is no problem document). */
    static String detail(HttpResponse<String> response) {
        try {
            JsonNode problem = Json.mapper().readTree(response.body());
            return response.statusCode() + " " + problem.path("detail").asText(response.body());
        } catch (IOException e) {
            return response.statusCode() + " " + response.body();
        }
    }

    static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach the operations entry at " + request.uri() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return Json.mapper().readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("the operations entry at " + response.uri() + " answered something that is not JSON", e);
        }
    }
}
