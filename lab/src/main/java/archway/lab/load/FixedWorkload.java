package archway.lab.load;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;

/** The {@code fixed} scenario: the same {@code GET} every slot. */
final class FixedWorkload implements Workload {

    private final String url;
    private final FixedRequest request;

    FixedWorkload(String target, FixedRequest request) {
        this.url = target + request.path();
        this.request = request;
    }

    @Override
    public Request next(HttpClient client) {
        return FixedRequest.withHeaders(client.newRequest(url), request.headers());
    }
}
