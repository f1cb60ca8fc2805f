package archway.gateway;

import java.util.List;
import java.util.Set;
import org.eclipse.jetty.server.Request;

/**
 * The address of the client a request comes from, for rate limiting by address.
 *
 * <p>The direct peer, unless it is a trusted proxy (the edge): then the
 * {@code X-Forwarded-For} it sent is read from the right, each trusted hop skipped, and the
 * first address that is not a trusted proxy is the client. Entries to the left of that are
 * whatever the client claimed and are never believed, so a client cannot pick its own
 * bucket; a peer that is not trusted is the client, whatever its header says.
 */
final class ClientAddress {

    private static final String FORWARDED_FOR = "X-Forwarded-For";

    private final Set<String> trustedProxies;

    ClientAddress(List<String> trustedProxies) {
        this.trustedProxies = Set.copyOf(trustedProxies);
    }

    String of(Request request) {
        String peer = canonical(Request.getRemoteAddr(request));
        if (!trustedProxies.contains(peer)) {
            return peer;
        }
        List<String> hops = request.getHeaders().getCSV(FORWARDED_FOR, false);
        String client = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            client = canonical(hops.get(i));
            if (!trustedProxies.contains(client)) {
                return client;
            }
        }
        return client;
    }

    /** An address as the trusted list holds it; what is not an IP literal is kept as sent (it then matches no proxy). */
    private static String canonical(String address) {
        try {
            return GatewayConfig.ipLiteral(address);
        } catch (IllegalArgumentException e) {
            return address.strip();
        }
    }
}
