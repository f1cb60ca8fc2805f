package archway.provider;

import archway.platform.problem.Problem;
import archway.platform.problem.ProblemException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Makes charges: the provider's behaviour behind {@code POST /v1/charges}.
 *
 * <p>Design notes. A charge call first waits the configured latency, then may be failed by
 * the error rate; both happen before anything is looked up or written, so an injected
 * failure never leaves a charge behind. Then the idempotency key decides: a key seen before
 * answers its charge again (when the request is the same) or is refused (when it is not).
 * A new key gets a charge that is recorded in PostgreSQL before it is answered, so a client
 * that timed out and retries finds the charge it already made. Two requests with one key at
 * the same time both miss the first lookup; the unique index on the key lets one insert win
 * and the other then reads and answers the winner, so a key never makes two charges.
 */
final class Processor {

    /** The answer to a charge call: a charge, new or recorded under the key before. */
    record Outcome(Charge charge, boolean replayed) {
    }

    static final String DECLINE_TOKEN = "tok_decline";
    static final String SLOW_TOKEN = "tok_slow";
    static final String CHARGES_METER = "provider.charges";
    static final String INJECTED_ERRORS_METER = "provider.injected.errors";
    private static final SecureRandom IDS = new SecureRandom();

    private final Ledger ledger;
    private final Clock clock;
    private final Duration slowTokenDelay;
    private final Counter approved;
    private final Counter declined;
    private final Counter injectedErrors;
    private volatile Settings settings = Settings.HEALTHY;

    Processor(Ledger ledger, Clock clock, Duration slowTokenDelay, MeterRegistry registry) {
        this.ledger = ledger;
        this.clock = clock;
        this.slowTokenDelay = slowTokenDelay;
        this.approved = chargesCounter(registry, Charge.APPROVED);
        this.declined = chargesCounter(registry, Charge.DECLINED);
        this.injectedErrors = Counter.builder(INJECTED_ERRORS_METER)
                .description("charge calls answered 503 by the error-rate setting, nothing recorded")
                .register(registry);
    }

    private static Counter chargesCounter(MeterRegistry registry, String status) {
        return Counter.builder(CHARGES_METER).description("charges recorded in the ledger (replays not counted)")
                .tag("status", status).register(registry);
    }

    Settings settings() {
        return settings;
    }

    void update(Settings settings) {
        if (settings == null) {
            throw new IllegalArgumentException("payment provider settings must be given, were null");
        }
        this.settings = settings;
    }

    /** Charges the card of {@code request} once per {@code idempotencyKey}; see the notes above. */
    Outcome charge(String idempotencyKey, ChargeRequest request) {
        Settings now = settings;
        pause(Duration.ofMillis(now.latencyMs()));
        if (now.errorRate() > 0 && ThreadLocalRandom.current().nextDouble() < now.errorRate()) {
            injectedErrors.increment();
            throw unavailable("the payment provider is failing on purpose (error_rate " + now.errorRate()
                    + "); nothing was charged, so a retry with the same Idempotency-Key is safe");
        }
        Optional<Ledger.Entry> earlier = ledger.byIdempotencyKey(idempotencyKey);
        if (earlier.isPresent()) {
            return replay(earlier.get(), request);
        }
        Ledger.Entry made = make(idempotencyKey, request);
        Optional<Ledger.Entry> recorded = ledger.insert(made);
        if (recorded.isEmpty()) { // another request with this key won the race: its charge is the one
            return replay(ledger.byIdempotencyKey(idempotencyKey).orElseThrow(() -> new IllegalStateException(
                    "idempotency key conflicted on insert but its charge cannot be read")), request);
        }
        (made.charge().status().equals(Charge.APPROVED) ? approved : declined).increment();
        return new Outcome(recorded.get().charge(), false);
    }

    /** The card network's verdict on the token: {@value #DECLINE_TOKEN} is declined, {@value #SLOW_TOKEN} takes its time. */
    private Ledger.Entry make(String idempotencyKey, ChargeRequest request) {
        boolean decline = request.token().equals(DECLINE_TOKEN);
        if (request.token().equals(SLOW_TOKEN)) {
            pause(slowTokenDelay);
        }
        Charge charge = new Charge(newId(), decline ? Charge.DECLINED : Charge.APPROVED, request.amount(), request.currency(),
                request.reference(), idempotencyKey, decline ? Charge.CARD_DECLINED : null,
                // PostgreSQL keeps microseconds: the answer and later reads show the same instant
                clock.instant().truncatedTo(ChronoUnit.MICROS));
        return new Ledger.Entry(charge, request.token());
    }

    private static Outcome replay(Ledger.Entry earlier, ChargeRequest request) {
        if (!earlier.isSameRequestAs(request)) {
            throw ProblemException.unprocessable("this Idempotency-Key was used for a charge with another amount, currency,"
                    + " token or reference; a retry must repeat the first request exactly, a new charge needs a new key");
        }
        return new Outcome(earlier.charge(), true);
    }

    private static String newId() {
        byte[] random = new byte[12];
        IDS.nextBytes(random);
        return "ch_" + HexFormat.of().formatHex(random);
    }

    private static void pause(Duration duration) {
        if (duration.isZero()) {
            return;
        }
        try {
            Thread.sleep(duration); // a virtual thread: waiting costs no platform thread
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("the payment provider is stopping; nothing was charged");
        }
    }

    private static ProblemException unavailable(String detail) {
        return new ProblemException(Problem.of(503, detail), Map.of("Retry-After", "1"));
    }
}
