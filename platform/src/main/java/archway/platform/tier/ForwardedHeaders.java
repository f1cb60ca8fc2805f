package archway.platform.tier;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * How a tier tells its upstream about the original client ({@code X-Forwarded-For},
 * {@code -Proto}, {@code -Host}). One convention only: the RFC 7239 {@code Forwarded} header
 * Jetty would add is left out, so services read one place.
 */
public enum ForwardedHeaders {

    /** Pass on whatever came in, add nothing (an internal hop such as the balancer). */
    PASS,

    /**
     * The public entry: whatever a client claims in these headers is discarded and replaced
     * by what this tier saw, so nobody behind it can be fooled by a forged address.
     */
    SET,

    /**
     * A hop behind a trusted proxy: append the peer's address to {@code X-Forwarded-For} and
     * keep the proxy's {@code -Proto} and {@code -Host}, setting them only when missing.
     */
    APPEND;

    static final String FOR = "X-Forwarded-For";
    static final String PROTO = "X-Forwarded-Proto";
    static final String HOST = "X-Forwarded-Host";

    void apply(Request in, org.eclipse.jetty.client.Request out) {
        if (this == PASS) {
            return;
        }
        String peer = Request.getRemoteAddr(in);
        String proto = in.isSecure() ? "https" : "http";
        String host = in.getHeaders().get(HttpHeader.HOST);
        out.headers(headers -> {
            if (this == SET) {
                // forged claims from the client go, whatever convention they use
                headers.remove(HttpHeader.FORWARDED);
                headers.remove(FOR);
                headers.remove(PROTO);
                headers.remove(HOST);
            }
            String priorFor = headers.get(FOR);
            headers.put(FOR, priorFor == null || priorFor.isBlank() ? peer : priorFor + ", " + peer);
            if (headers.get(PROTO) == null) {
                headers.put(PROTO, proto);
            }
            if (host != null && headers.get(HOST) == null) {
                headers.put(HOST, host);
            }
        });
    }
}
