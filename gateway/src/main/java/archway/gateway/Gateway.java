package archway.gateway;

import archway.platform.auth.TokenVerifier;
import archway.platform.telemetry.Telemetry;
import archway.platform.tier.BodyLimit;
import archway.platform.tier.ForwardedHeaders;
import archway.platform.tier.Forwarder;
import archway.platform.tier.TierServer;
import io.micrometer.core.instrument.Counter;

/**
 * The diagram's GATEWAY: the API's front door behind the edge.
 *
 * <p>In order, each request meets: CORS (preflights answered here), routing by path prefix
 * ({@code 404} outside every route), authentication of protected calls ({@code 401} without
 * a valid Bearer token), the body size limit ({@code 413}), then the forwarder, which adds
 * {@code X-Forwarded-For/-Proto/-Host} and answers {@code 504} when the upstream is too slow.
 */
public final class Gateway implements AutoCloseable {

    private final TierServer server;

    private Gateway(TierServer server) {
        this.server = server;
    }

    /** Starts the gateway; {@code verifier} checks the Bearer tokens of protected calls. */
    public static Gateway start(GatewayConfig config, TokenVerifier verifier, Telemetry telemetry) {
        var registry = telemetry.registry();
        Forwarder forwarder = new Forwarder(telemetry, Routing::upstream,
                Forwarder.Settings.of(config.upstreamTimeout(), ForwardedHeaders.APPEND));
        var handlers = new Cors(config.allowedOrigins(), registry,
                new Routing(config, verifier, registry,
                        new BodyLimit(config.maxBodyBytes(),
                                Counter.builder("gateway.rejections").tag("reason", "too_large").register(registry),
                                forwarder)));
        return new Gateway(TierServer.start(config.host(), config.port(), telemetry, () -> true, handlers));
    }

    public int port() {
        return server.port();
    }

    public String url() {
        return server.url();
    }

    @Override
    public void close() {
        server.close();
    }

    @Override
    public String toString() {
        return "gateway at " + url();
    }
}
