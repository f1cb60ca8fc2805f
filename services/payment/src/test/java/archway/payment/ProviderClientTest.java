package archway.payment;

import static archway.platform.testing.Http.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import archway.bus.Event;
import archway.payment.CardProcessor.Charge;
import archway.payment.CardProcessor.ChargeRefusedException;
import archway.payment.CardProcessor.ChargeRequest;
import archway.payment.CardProcessor.ProcessorUnavailableException;
import archway.platform.telemetry.Telemetry;
import archway.platform.testing.Http;
import archway.provider.PaymentProvider;
import archway.provider.Settings;
import archway.store.Store;
import archway.store.embedded.EmbeddedPostgres;
import archway.store.embedded.TestPostgres;
import archway.store.postgres.PostgresStore;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP adapter of the card processor against the real simulated provider, its ledger on embedded PostgreSQL. */
class ProviderClientTest {

    private static final Duration TIMEOUT = Duration.ofMillis(500);

    @TempDir
    static Path folder;
    static EmbeddedPostgres postgres;
    static Store store;
    static Telemetry telemetry;
    static PaymentProvider provider;
    static ProviderClient client;
    static Http http;

    @BeforeAll
    static void start() {
        postgres = TestPostgres.start(folder);
        store = PostgresStore.open(postgres.storeConfig(4));
        telemetry = Telemetry.create(PaymentProvider.ROLE);
        provider = PaymentProvider.start(PaymentProvider.Config.of("127.0.0.1", 0), store, telemetry);
        client = new ProviderClient(URI.create(provider.url()), TIMEOUT);
        http = new Http(provider.url());
    }

    @AfterEach
    void heal() {
        provider.update(Settings.HEALTHY);
    }

    @AfterAll
    static void stop() {
        http.close();
        provider.close();
        telemetry.close();
        store.close();
        postgres.close();
    }

    /** A charge of 19.99 USD with {@code token}, for a new order (the reference, also the ledger's filter). */
    private static ChargeRequest request(String token) {
        return new ChargeRequest(1999, "USD", token, UUID.randomUUID().toString());
    }

    private static String keyOf(ChargeRequest request) {
        return "order-" + request.reference();
    }

    /** The provider's ledger of one order, oldest first. */
    private static List<JsonNode> ledger(ChargeRequest request) {
        JsonNode page = json(http.get("/v1/ledger?reference=" + URLEncoder.encode(request.reference(), StandardCharsets.UTF_8)));
        List<JsonNode> charges = new ArrayList<>();
        page.path("charges").forEach(charges::add);
        assertThat(page.path("count").asInt()).isEqualTo(charges.size());
        return charges;
    }

    @Test
    void chargesAnApprovedCardOnce() {
        ChargeRequest request = request("tok_visa");

        Charge charge = client.charge(request, keyOf(request), Map.of());

        assertThat(charge.approved()).isTrue();
        assertThat(charge.id()).startsWith("ch_");
        assertThat(charge.amount()).isEqualTo(1999);
        assertThat(charge.currency()).isEqualTo("USD");
        assertThat(charge.declineCode()).isNull();
        assertThat(ledger(request)).singleElement().satisfies(entry -> {
            assertThat(entry.path("id").asText()).isEqualTo(charge.id());
            assertThat(entry.path("status").asText()).isEqualTo("approved");
        });
    }

    @Test
    void reportsADeclinedCardWithItsReason() {
        ChargeRequest request = request("tok_decline");

        Charge charge = client.charge(request, keyOf(request), Map.of());

        assertThat(charge.approved()).isFalse();
        assertThat(charge.declineCode()).isEqualTo("card_declined");
        assertThat(ledger(request)).singleElement().satisfies(entry ->
                assertThat(entry.path("status").asText()).isEqualTo("declined"));
    }

    @Test
    void givesUpOnASlowProviderAndARetryUnderTheSameKeyFindsTheOneCharge() {
        ChargeRequest request = request("tok_visa");
        String traceId = UUID.randomUUID().toString().replace("-", "");
        provider.update(new Settings(TIMEOUT.toMillis() * 3, 0.0));

        assertThatThrownBy(() -> client.charge(request, keyOf(request), Map.of(Event.TRACEPARENT, "00-" + traceId + "-00f067aa0ba902b7-01")))
                .isInstanceOf(ProcessorUnavailableException.class).hasMessageContaining("500 ms");
        provider.update(Settings.HEALTHY);
        awaitProviderFinished(traceId);

        Charge retried = client.charge(request, keyOf(request), Map.of());
        Charge again = client.charge(request, keyOf(request), Map.of());

        assertThat(retried.approved()).isTrue();
        assertThat(again.id()).isEqualTo(retried.id());
        assertThat(ledger(request)).singleElement().satisfies(entry -> assertThat(entry.path("id").asText()).isEqualTo(retried.id()));
    }

    /** Waits until the provider has answered the call of this trace (to nobody: the client gave up), bounded. */
    private static void awaitProviderFinished(String traceId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (telemetry.recentSpans().ofTrace(traceId).isEmpty()) {
            assertThat(System.nanoTime()).as("the provider finished the timed-out call within 20 s").isLessThan(deadline);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for the provider", e);
            }
        }
    }

    @Test
    void reportsAFailingProviderAsUnavailableWithNothingCharged() {
        ChargeRequest request = request("tok_visa");
        provider.update(new Settings(0, 1.0));

        assertThatThrownBy(() -> client.charge(request, keyOf(request), Map.of()))
                .isInstanceOf(ProcessorUnavailableException.class).hasMessageContaining("503");

        assertThat(ledger(request)).isEmpty();
    }

    @Test
    void reportsAProviderThatIsNotThereAsUnavailable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        ProviderClient nowhere = new ProviderClient(URI.create("http://127.0.0.1:" + closedPort), TIMEOUT);
        ChargeRequest request = request("tok_visa");

        assertThatThrownBy(() -> nowhere.charge(request, keyOf(request), Map.of())).isInstanceOf(ProcessorUnavailableException.class);
    }

    @Test
    void reportsAKeyReusedForAnotherChargeAsRefused() {
        ChargeRequest request = request("tok_visa");
        Charge first = client.charge(request, keyOf(request), Map.of());
        ChargeRequest other = new ChargeRequest(5000, "USD", "tok_visa", request.reference());

        assertThatThrownBy(() -> client.charge(other, keyOf(request), Map.of())).isInstanceOf(ChargeRefusedException.class)
                .hasMessageContaining("422");
        assertThatThrownBy(() -> client.charge(new ChargeRequest(0, "USD", "tok_visa", "x"), "order-x", Map.of()))
                .isInstanceOf(ChargeRefusedException.class).hasMessageContaining("400");

        assertThat(ledger(request)).singleElement().satisfies(entry -> assertThat(entry.path("id").asText()).isEqualTo(first.id()));
    }

    @Test
    void refusesATimeoutThatIsNotPositive() {
        assertThatThrownBy(() -> new ProviderClient(URI.create(provider.url()), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
    }
}
