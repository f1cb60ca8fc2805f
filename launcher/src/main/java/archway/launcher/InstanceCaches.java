package archway.launcher;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The application caches of every running app instance, reached over each instance's
 * {@code /caches} endpoints: their statistics, and dropping entries (manual invalidation
 * from the operations side, and the first step of a catalog change's propagation). The
 * instances answer administrators only: the calls carry the operations side's own token. Each
 * call goes to every instance at once and waits for all of them, at most
 * {@value #TIMEOUT_MS} ms each; an instance that does not answer shows with status {@code 0}.
 */
public final class InstanceCaches implements AutoCloseable {

    private static final long TIMEOUT_MS = 1000;
    private static final Duration TIMEOUT = Duration.ofMillis(TIMEOUT_MS);

    private final Supplier<List<ArchwaySystem.Instance>> instances;
    private final Supplier<String> token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    /**
     * What one instance answered.
     *
     * @param status its HTTP status, {@code 0} when it did not answer
     * @param body   its answer (JSON), or why there is none
     */
    public record Answer(String instance, int status, String body) {
    }

    /** @param token a fresh administrator's access token for each call */
    InstanceCaches(Supplier<List<ArchwaySystem.Instance>> instances, Supplier<String> token) {
        this.instances = instances;
        this.token = token;
    }

    /** Every instance's {@code GET /caches}: its caches with their counts. */
    public List<Answer> stats() {
        return callEach(uri -> HttpRequest.newBuilder(uri.resolve("/caches")).GET());
    }

    /**
     * Drops {@code key} (a JSON value, such as {@code 42} or {@code "x"}), or every entry when
     * it is {@code null}, from the cache {@code cache} of every instance.
     */
    public List<Answer> invalidate(String cache, String key) {
        String body = key == null ? "{}" : "{\"key\":" + key + "}";
        return callEach(uri -> HttpRequest.newBuilder(uri.resolve("/caches/" + cache + "/invalidate"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private List<Answer> callEach(Function<URI, HttpRequest.Builder> request) {
        String authorization = "Bearer " + token.get();
        List<CompletableFuture<Answer>> calls = instances.get().stream()
                .map(instance -> http.sendAsync(request.apply(instance.url()).timeout(TIMEOUT)
                                .header("Authorization", authorization).build(), HttpResponse.BodyHandlers.ofString())
                        .handle((response, failure) -> failure != null
                                ? new Answer(instance.name(), 0, failure.toString())
                                : new Answer(instance.name(), response.statusCode(), response.body())))
                .toList();
        return calls.stream().map(CompletableFuture::join).toList();
    }

    @Override
    public void close() {
        http.close();
    }
}
