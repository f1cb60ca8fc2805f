package archway.gateway;

import archway.platform.tier.HeadersAtCommit;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * What must never cross the gateway, in either direction.
 *
 * <ul>
 *   <li><b>Internal headers.</b> {@code X-Archway-*} are for Archway's own components to tell
 *       each other things: a service must never trust one a client made up, and a client
 *       must never see one a service set.</li>
 *   <li><b>Hop-by-hop headers</b> (RFC 9110, section 7.6.1): {@code Connection} and the
 *       headers it names, {@code Keep-Alive}, {@code TE}, {@code Trailer}, {@code Upgrade}
 *       and every {@code Proxy-*} belong to one connection, never to the next.</li>
 *   <li><b>Banners.</b> No {@code Server} or {@code X-Powered-By}: a version number only helps
 *       an attacker pick an exploit.</li>
 * </ul>
 *
 * <p>Every answer also carries {@code X-Content-Type-Options: nosniff}, so a browser never
 * runs an API answer as something its {@code Content-Type} does not say it is. The response
 * side is done at commit, after the upstream's headers are copied and after the cache has
 * replayed a stored answer.
 */
final class Hygiene extends Handler.Wrapper {

    private static final String INTERNAL = "x-archway-";
    private static final String PROXY = "proxy-";
    /** Transfer-Encoding is hop-by-hop too, but it is the framing this server reads and writes itself. */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "te", "trailer", "upgrade");
    private static final PreEncodedHttpField NOSNIFF = new PreEncodedHttpField("X-Content-Type-Options", "nosniff");

    Hygiene(Handler next) {
        super(next);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Set<String> named = connectionNamed(request.getHeaders());
        Request clean = FilteredRequest.without(request, field -> mustNotPass(field, named));
        return super.handle(clean, new CleanResponse(clean, response), callback);
    }

    private static boolean mustNotPass(HttpField field, Set<String> connectionNamed) {
        String name = field.getLowerCaseName();
        return name.startsWith(INTERNAL) || name.startsWith(PROXY) || HOP_BY_HOP.contains(name) || connectionNamed.contains(name);
    }

    private static Set<String> connectionNamed(HttpFields headers) {
        List<String> tokens = headers.getCSV(HttpHeader.CONNECTION, false);
        if (tokens.isEmpty()) {
            return Set.of();
        }
        return Set.copyOf(tokens.stream().map(token -> token.toLowerCase(Locale.ROOT)).toList());
    }

    /** Takes internal, hop-by-hop and banner headers off the answer and adds {@code nosniff}. */
    private static final class CleanResponse extends HeadersAtCommit {

        CleanResponse(Request request, Response wrapped) {
            super(request, wrapped);
        }

        @Override
        protected void atCommit(HttpFields.Mutable headers) {
            Set<String> named = connectionNamed(headers);
            boolean closing = headers.contains(HttpHeader.CONNECTION, "close");
            for (var fields = headers.listIterator(); fields.hasNext(); ) {
                HttpField field = fields.next();
                if (mustNotPass(field, named) || field.getHeader() == HttpHeader.SERVER || field.getHeader() == HttpHeader.X_POWERED_BY) {
                    fields.remove();
                }
            }
            if (closing) {
                // this server's own decision to close the connection (a graceful stop) is for this hop
                headers.put(HttpHeader.CONNECTION, "close");
            }
            headers.put(NOSNIFF);
        }
    }
}
