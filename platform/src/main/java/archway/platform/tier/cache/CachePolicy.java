package archway.platform.tier.cache;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * Which {@code GET} requests an {@link HttpCache} may answer from its entries and fill them
 * with; the others pass through as {@code X-Cache: BYPASS}. Whether an answer is storable
 * is still up to its own {@code Cache-Control}, and RFC 9111's rules apply whatever a policy
 * admits: a policy can only restrict further.
 */
@FunctionalInterface
public interface CachePolicy {

    /** Whether {@code request} may read and fill the shared cache. */
    boolean mayUse(Request request);

    /**
     * Requests without {@code Authorization}: what may carry one user's data never reads or
     * fills a shared entry, not even one marked {@code public} (stricter than RFC 9111).
     */
    static CachePolicy withoutCredentials() {
        return request -> !request.getHeaders().contains(HttpHeader.AUTHORIZATION);
    }

    /**
     * Every request: what may be stored and served is then RFC 9111's to say (a request with
     * {@code Authorization} only meets answers marked {@code public}, {@code s-maxage} or
     * {@code must-revalidate}), the edge's policy.
     */
    static CachePolicy everyRequest() {
        return request -> true;
    }
}
