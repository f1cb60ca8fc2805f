package archway.gateway;

import archway.gateway.GatewayConfig.Deprecation;
import archway.gateway.GatewayConfig.Route;
import archway.platform.tier.HeadersAtCommit;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * API versioning headers: every answer on a deprecated route says so, with
 * {@code Deprecation: @<epoch seconds>} (RFC 9745), {@code Sunset: <IMF-fixdate>}
 * (RFC 8594) when the route will stop, and {@code Link: <successor>; rel="successor-version"}
 * added to the upstream's own links. A client library can warn its developers long before
 * the sunset; nothing else about the answer changes.
 */
final class Versioning extends Handler.Wrapper {

    /** IMF-fixdate (RFC 9110, section 5.6.7): two-digit day, English names, GMT. */
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private final Map<String, Notice> notices = new HashMap<>();

    Versioning(List<Route> routes, Handler next) {
        super(next);
        for (Route route : routes) {
            route.deprecation().ifPresent(deprecation -> notices.put(route.name(), Notice.of(deprecation)));
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Notice notice = notices.get(Routing.route(request).name());
        return super.handle(request, notice == null ? response : new Deprecated(request, response, notice), callback);
    }

    /** The prepared headers of one deprecated route. */
    private record Notice(List<HttpField> fields, String link) {
        static Notice of(Deprecation deprecation) {
            List<HttpField> fields = new ArrayList<>();
            fields.add(new PreEncodedHttpField("Deprecation", "@" + deprecation.deprecatedAt().getEpochSecond()));
            deprecation.sunset().ifPresent(sunset -> fields.add(new PreEncodedHttpField("Sunset", IMF_FIXDATE.format(sunset))));
            String link = deprecation.successor().map(path -> "<" + path + ">; rel=\"successor-version\"").orElse(null);
            return new Notice(List.copyOf(fields), link);
        }
    }

    private static final class Deprecated extends HeadersAtCommit {
        private final Notice notice;

        Deprecated(Request request, Response wrapped, Notice notice) {
            super(request, wrapped);
            this.notice = notice;
        }

        @Override
        protected void atCommit(HttpFields.Mutable headers) {
            notice.fields().forEach(headers::put);
            if (notice.link() != null) {
                List<String> links = headers.getValuesList(HttpHeader.LINK);
                headers.put(HttpHeader.LINK, links.isEmpty() ? notice.link() : String.join(", ", links) + ", " + notice.link());
            }
        }
    }
}
