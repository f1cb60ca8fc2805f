package archway.lab.load;

import java.time.Duration;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Jetty's asynchronous HTTP client set up to offer load: one selector and a few threads do
 * thousands of requests a second, because no thread waits for an answer.
 */
final class LoadClient implements AutoCloseable {

    static final String USER_AGENT = "archway-load";
    private static final long IDLE_TIMEOUT_MS = 60_000;

    private final HttpClient http;

    private LoadClient(HttpClient http) {
        this.http = http;
    }

    /**
     * A started client.
     *
     * @param connections the most connections to one target
     * @param maxQueued   the most requests waiting for a connection; the open loop's own
     *                    in-flight bound keeps below it. Jetty allocates its queue at this
     *                    size, so "unbounded" is not an option.
     * @param timeout     the connect timeout
     */
    static LoadClient start(int connections, int maxQueued, Duration timeout) {
        QueuedThreadPool threads = new QueuedThreadPool(Math.max(8, 4 * Runtime.getRuntime().availableProcessors()), 2);
        threads.setName("load-client");
        threads.setDaemon(true);
        HttpClient http = new HttpClient();
        http.setExecutor(threads);
        http.setName("load-client");
        http.setMaxConnectionsPerDestination(connections);
        http.setMaxRequestsQueuedPerDestination(maxQueued);
        http.setConnectTimeout(timeout.toMillis());
        http.setIdleTimeout(IDLE_TIMEOUT_MS);
        http.setFollowRedirects(false);
        // every request stands alone: no cookie may tie one to another
        http.setHttpCookieStore(new HttpCookieStore.Empty());
        http.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, USER_AGENT));
        try {
            http.start();
        } catch (Exception e) {
            throw new LoadException("the HTTP client did not start: " + e.getMessage(), e);
        }
        return new LoadClient(http);
    }

    HttpClient http() {
        return http;
    }

    @Override
    public void close() {
        try {
            http.stop();
        } catch (Exception e) {
            System.err.println("archway load: warning: the HTTP client did not stop cleanly: " + e.getMessage());
        }
    }
}
