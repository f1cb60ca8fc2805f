package archway.notification;

import static archway.notification.NotificationFixture.confirmed;
import static archway.notification.NotificationFixture.customer;
import static archway.platform.testing.Http.assertProblem;
import static archway.platform.testing.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import archway.platform.auth.JwtKeys;
import archway.platform.auth.Principal;
import archway.platform.auth.TokenIssuer;
import archway.platform.auth.TokenVerifier;
import archway.platform.server.ServiceServer;
import archway.platform.telemetry.Telemetry;
import archway.platform.testing.Http;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A customer's mail over real HTTP, on embedded PostgreSQL. */
class NotificationRoutesTest {

    @TempDir
    static Path folder;
    static NotificationFixture fixture;
    static TokenIssuer issuer;
    static Telemetry telemetry;
    static ServiceServer server;
    static Http http;

    @BeforeAll
    static void start() {
        fixture = NotificationFixture.start(folder);
        JwtKeys keys = JwtKeys.generate();
        issuer = new TokenIssuer(keys, Clock.systemUTC(), Duration.ofMinutes(15));
        telemetry = Telemetry.create("notification-test");
        server = ServiceServer.start(ServiceServer.Config.of("notification-test", "127.0.0.1", 0), telemetry, () -> true,
                new NotificationRoutes(fixture.notifications(), new TokenVerifier(keys, Clock.systemUTC()))::mount);
        http = new Http(server.url());
    }

    @AfterAll
    static void stop() {
        http.close();
        server.close();
        telemetry.close();
        fixture.close();
    }

    private static HttpResponse<String> mail(Principal customer, String query) {
        return http.get("/api/v1/notifications" + query, "Authorization", "Bearer " + issuer.issue(customer));
    }

    @Test
    void showsTheCallerTheirOwnMailWithoutCaching() {
        Principal ann = customer();
        UUID order = UUID.randomUUID();
        fixture.notifications().handle(confirmed(ann, order));
        fixture.notifications().handle(confirmed(customer(), UUID.randomUUID()));

        HttpResponse<String> response = mail(ann, "");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
        JsonNode page = json(response);
        assertThat(page.path("total").asLong()).isOne();
        assertThat(page.path("size").asInt()).isEqualTo(20);
        JsonNode mail = page.path("items").get(0);
        assertThat(mail.path("order_id").asText()).isEqualTo(order.toString());
        assertThat(mail.path("kind").asText()).isEqualTo("order_confirmed");
        assertThat(mail.path("created_at").asText()).isNotBlank();
    }

    @Test
    void pagesTheMailAsAsked() {
        Principal bob = customer();
        for (int i = 0; i < 3; i++) {
            fixture.notifications().handle(confirmed(bob, UUID.randomUUID()));
        }

        JsonNode second = json(mail(bob, "?page=2&size=2"));

        assertThat(second.path("page").asInt()).isEqualTo(2);
        assertThat(second.path("items").size()).isOne();
        assertThat(second.path("total").asLong()).isEqualTo(3);
        assertProblem(mail(bob, "?size=101"), 400);
        assertProblem(mail(bob, "?page=zero"), 400);
    }

    @Test
    void refusesACallerWithoutAValidToken() {
        assertProblem(http.get("/api/v1/notifications"), 401);
        assertProblem(http.get("/api/v1/notifications", "Authorization", "Bearer x.y.z"), 401);
    }

    @Test
    void aCustomerSeesOnlyTheirOwnMailWhateverTheQueryAsks() {
        Principal ann = customer();
        Principal bob = customer();
        UUID annsOrder = UUID.randomUUID();
        UUID bobsOrder = UUID.randomUUID();
        fixture.notifications().handle(confirmed(ann, annsOrder));
        fixture.notifications().handle(confirmed(bob, bobsOrder));

        for (String query : List.of("", "?customer_id=" + ann.subject(), "?user=" + ann.subject(), "?subject=" + ann.subject())) {
            JsonNode bobs = json(mail(bob, query));
            assertThat(bobs.path("total").asLong()).as(query).isOne();
            assertThat(bobs.path("items").get(0).path("order_id").asText()).isEqualTo(bobsOrder.toString());
            assertThat(bobs.toString()).doesNotContain(annsOrder.toString(), ann.email());
        }
    }

    @Test
    void noPathReachesAnotherCustomersMailById() {
        Principal ann = customer();
        fixture.notifications().handle(confirmed(ann, UUID.randomUUID()));
        JsonNode annsMail = json(mail(ann, "")).path("items").get(0);
        String id = annsMail.path("id").asText();
        String bob = "Bearer " + issuer.issue(customer());

        for (String path : List.of("/api/v1/notifications/" + id, "/api/v1/notifications/" + annsMail.path("order_id").asText(),
                "/api/v1/users/" + ann.subject() + "/notifications")) {
            HttpResponse<String> response = http.get(path, "Authorization", bob);
            assertProblem(response, 404);
            assertThat(response.body()).doesNotContain(annsMail.path("subject").asText(), ann.email());
            assertThat(http.send("DELETE", path, "Authorization", bob).statusCode()).isIn(404, 405);
        }
        assertThat(json(mail(ann, "")).path("total").asLong()).as("ann's mail is still there").isOne();
    }
}
