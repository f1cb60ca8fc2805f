package archway.provider;

import archway.platform.problem.ProblemException;
import archway.platform.server.Bodies;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** The provider's HTTP API under {@code /v1}, in the shape of a card processor's. */
final class ProviderRoutes {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final String REPLAYED = "Idempotent-Replayed";
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7E]{1,128}");
    private static final Pattern CHARGE_ID = Pattern.compile("ch_[0-9a-f]{24}");

    private final Processor processor;
    private final Ledger ledger;

    ProviderRoutes(Processor processor, Ledger ledger) {
        this.processor = processor;
        this.ledger = ledger;
    }

    void mount(RoutesConfig routes) {
        routes.post("/v1/charges", this::charge);
        routes.get("/v1/charges/{id}", this::byId);
        routes.get("/v1/ledger", this::ledger);
        routes.get("/v1/settings", ctx -> ctx.json(processor.settings()));
        routes.put("/v1/settings", this::updateSettings);
    }

    /** The body of {@code GET /v1/ledger}. */
    record LedgerPage(List<Charge> charges, int count) {
    }

    /** The body of {@code PUT /v1/settings}: both knobs, always (it replaces the settings). */
    record SettingsChange(Long latencyMs, Double errorRate) {

        Settings settings() {
            if (latencyMs == null || errorRate == null) {
                throw ProblemException.badRequest("latency_ms and error_rate are both required");
            }
            try {
                return new Settings(latencyMs, errorRate);
            } catch (IllegalArgumentException e) {
                throw ProblemException.badRequest(e.getMessage());
            }
        }
    }

    private void charge(Context ctx) {
        String key = idempotencyKey(ctx);
        Processor.Outcome outcome = processor.charge(key, Bodies.json(ctx, ChargeRequest.class));
        if (outcome.replayed()) {
            ctx.header(REPLAYED, "true");
        }
        ctx.status(outcome.replayed() ? 200 : 201).json(outcome.charge());
    }

    private void byId(Context ctx) {
        String id = ctx.pathParam("id");
        // an id of another shape was never handed out: no need to ask the ledger
        Optional<Ledger.Entry> entry = CHARGE_ID.matcher(id).matches() ? ledger.byId(id) : Optional.empty();
        ctx.json(entry.orElseThrow(() -> ProblemException.notFound("no charge with this id")).charge());
    }

    private void ledger(Context ctx) {
        String reference = ctx.queryParam("reference");
        List<Charge> charges = ledger.list(reference == null ? null : ChargeRequest.reference(reference));
        ctx.json(new LedgerPage(charges, charges.size()));
    }

    private void updateSettings(Context ctx) {
        Settings settings = Bodies.json(ctx, SettingsChange.class).settings();
        processor.update(settings);
        ctx.json(settings);
    }

    private static String idempotencyKey(Context ctx) {
        String key = ctx.header(IDEMPOTENCY_KEY);
        if (key == null) {
            throw ProblemException.badRequest("the " + IDEMPOTENCY_KEY + " header is required: it names the charge,"
                    + " so that a retry cannot charge twice");
        }
        if (!KEY.matcher(key).matches()) {
            throw ProblemException.badRequest("the " + IDEMPOTENCY_KEY + " header must be 1 to 128 visible ASCII characters");
        }
        return key;
    }
}
