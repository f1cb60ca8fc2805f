package archway.balancer;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;

/** A health probe over HTTP: {@code GET <instance><path>} answered {@code 200} within the timeout. */
final class HttpProbe implements HealthChecks.Probe {

    private static final String USER_AGENT = "archway-balancer-health";

    private final HttpClient client;
    private final String path;
    private final Duration timeout;

    HttpProbe(HttpClient client, String path, Duration timeout) {
        this.client = client;
        this.path = path;
        this.timeout = timeout;
    }

    @Override
    public CompletableFuture<Boolean> check(URI instance) {
        CompletableFuture<Boolean> passed = new CompletableFuture<>();
        client.newRequest(instance.resolve(path))
                .method(HttpMethod.GET)
                .headers(headers -> headers.put(HttpHeader.USER_AGENT, USER_AGENT))
                .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .send(result -> passed.complete(result.isSucceeded() && result.getResponse().getStatus() == 200));
        return passed;
    }
}
