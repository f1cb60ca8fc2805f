package archway.provider;

import archway.platform.server.ServiceServer;
import archway.platform.telemetry.Telemetry;
import archway.platform.tier.ConfigCheck;
import archway.store.Store;
import java.time.Clock;
import java.time.Duration;

/**
 * The simulated external payment provider: a Stripe-like card processor outside the store,
 * on its own HTTP server (role {@value #ROLE}). The store's payment service calls it over
 * HTTP as it would call the real one.
 *
 * <ul>
 *   <li>{@code POST /v1/charges} with an {@code Idempotency-Key} header and
 *       {@code {"amount", "currency", "token", "reference"}}: {@code 201} with a new charge,
 *       {@code approved} or, for {@code tok_decline}, {@code declined}; {@code tok_slow}
 *       answers after the configured delay. The same key with the same body answers the same
 *       charge again ({@code 200}, {@code Idempotent-Replayed: true}), with another body
 *       {@code 422}: a key makes one charge at most, however often it is retried.</li>
 *   <li>{@code GET /v1/charges/{id}}, and {@code GET /v1/ledger[?reference=]} with every
 *       charge oldest first, to look for double charges.</li>
 *   <li>{@code GET} and {@code PUT /v1/settings}: the {@link Settings} that slow charge calls
 *       down or fail some of them with {@code 503}.</li>
 * </ul>
 *
 * <p>The ledger lives in schema {@value #SCHEMA} of the given store.
 */
public final class PaymentProvider implements AutoCloseable {

    /** The provider's role in the topology, also its component name in logs, spans and metrics. */
    public static final String ROLE = "payment-provider";
    /** The store schema of the ledger. */
    public static final String SCHEMA = "payment_provider";
    private static final long MAX_REQUEST_BYTES = 16 * 1024;

    private final ServiceServer server;
    private final Processor processor;

    /**
     * Settings of the provider, checked at start.
     *
     * @param host           the address to bind
     * @param port           the port to bind, {@code 0} for any free one
     * @param slowTokenDelay how long a charge with {@code tok_slow} takes before it is approved
     * @param clock          the time charges are stamped with
     */
    public record Config(String host, int port, Duration slowTokenDelay, Clock clock) {

        public static final Duration DEFAULT_SLOW_TOKEN_DELAY = Duration.ofSeconds(2);

        public Config {
            ConfigCheck.host(ROLE + ".host", host);
            ConfigCheck.port(ROLE + ".port", port);
            ConfigCheck.positive(ROLE + ".slowTokenDelay", slowTokenDelay);
            if (clock == null) {
                throw new IllegalArgumentException(ROLE + ".clock must be set, was null");
            }
        }

        /** A provider on {@code host:port} with the default slow-token delay, on the system clock. */
        public static Config of(String host, int port) {
            return new Config(host, port, DEFAULT_SLOW_TOKEN_DELAY, Clock.systemUTC());
        }
    }

    private PaymentProvider(ServiceServer server, Processor processor) {
        this.server = server;
        this.processor = processor;
    }

    /**
     * Migrates the ledger's schema in {@code store} if needed, then starts the server, healthy
     * ({@link Settings#HEALTHY}). The store and the telemetry stay the caller's to close.
     */
    public static PaymentProvider start(Config config, Store store, Telemetry telemetry) {
        Ledger ledger = new Ledger(store.schema(SCHEMA));
        Processor processor = new Processor(ledger, config.clock(), config.slowTokenDelay(), telemetry.registry());
        ServiceServer server = ServiceServer.start(new ServiceServer.Config(ROLE, config.host(), config.port(), MAX_REQUEST_BYTES),
                telemetry, () -> true, new ProviderRoutes(processor, ledger)::mount);
        return new PaymentProvider(server, processor);
    }

    /** The provider's base URL, such as {@code http://127.0.0.1:9090}. */
    public String url() {
        return server.url();
    }

    /** The fault-injection settings in force. */
    public Settings settings() {
        return processor.settings();
    }

    /** Replaces the fault-injection settings; charge calls that start afterwards feel them. */
    public void update(Settings settings) {
        processor.update(settings);
    }

    /** Stops the server; the ledger stays in the store. */
    @Override
    public void close() {
        server.close();
    }

    @Override
    public String toString() {
        return "payment provider at " + url();
    }
}
