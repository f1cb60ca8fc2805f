package archway.user;

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
import archway.store.Store;
import archway.store.embedded.EmbeddedPostgres;
import archway.store.embedded.TestPostgres;
import archway.store.postgres.PostgresStore;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The user service over real HTTP, on embedded PostgreSQL. */
class UserRoutesTest {

    private static final String PASSWORD = "correct horse battery";

    @TempDir
    static Path folder;
    static EmbeddedPostgres postgres;
    static Store store;
    static Telemetry telemetry;
    static LocalUserService users;
    static TokenVerifier verifier;
    static ServiceServer server;
    static Http http;

    @BeforeAll
    static void start() {
        postgres = TestPostgres.start(folder);
        store = PostgresStore.open(postgres.storeConfig(4));
        JwtKeys keys = JwtKeys.generate();
        users = new LocalUserService(store, new TokenIssuer(keys, Clock.systemUTC(), Duration.ofMinutes(15)));
        verifier = new TokenVerifier(keys, Clock.systemUTC());
        UserRoutes routes = new UserRoutes(users, verifier);
        telemetry = Telemetry.create("user-test");
        server = ServiceServer.start(new ServiceServer.Config("user-test", "127.0.0.1", 0, 16 * 1024), telemetry,
                () -> true, routes::mount);
        http = new Http(server.url());
    }

    @AfterAll
    static void stop() {
        server.close();
        telemetry.close();
        store.close();
        postgres.close();
    }

    private static String newEmail() {
        return "user-" + UUID.randomUUID() + "@example.com";
    }

    private static HttpResponse<String> register(String email, String password) {
        return http.postJson("/api/v1/users",
                "{\"email\":\"" + email + "\",\"password\":\"" + password + "\",\"name\":\"Ann Smith\"}");
    }

    private static String tokenFor(String email, String password) {
        HttpResponse<String> response = http.postJson("/api/v1/auth/token",
                "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response).path("access_token").asText();
    }

    @Test
    void registersACustomerAndAnswersWithoutAnyPasswordField() {
        String email = newEmail();

        HttpResponse<String> response = register(email, PASSWORD);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode user = json(response);
        assertThat(user.path("email").asText()).isEqualTo(email);
        assertThat(user.path("name").asText()).isEqualTo("Ann Smith");
        assertThat(user.path("roles").toString()).isEqualTo("[\"customer\"]");
        assertThat(user.path("created_at").asText()).isNotBlank();
        assertThat(response.body()).doesNotContainIgnoringCase("password").doesNotContain("argon");
        assertThat(response.headers().firstValue("Location")).contains("/api/v1/users/" + user.path("id").asText());
    }

    @Test
    void keepsOnlyAnArgon2idHashOfThePassword() throws Exception {
        String email = newEmail();
        register(email, PASSWORD);

        try (Connection c = store.schema(UserApi.SCHEMA).getConnection();
             PreparedStatement select = c.prepareStatement("SELECT password_hash FROM users WHERE email = ?")) {
            select.setString(1, email);
            try (ResultSet rs = select.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).startsWith("$argon2id$").doesNotContain(PASSWORD);
            }
        }
    }

    @Test
    void refusesASecondAccountForTheSameEmailInAnyLetterCase() {
        String email = newEmail();
        register(email, PASSWORD);

        assertProblem(register(email, PASSWORD), 409);
        assertProblem(register(email.toUpperCase(), PASSWORD), 409);
    }

    @Test
    void rejectsInvalidRegistrationsWithAProblemNamingTheField() {
        assertThat(assertProblem(register("not-an-email", PASSWORD), 400).path("detail").asText()).contains("email");
        assertThat(assertProblem(register(newEmail(), "short"), 400).path("detail").asText()).contains("password");
        assertThat(assertProblem(register(newEmail(), "x".repeat(129)), 400).path("detail").asText()).contains("password");
        assertThat(assertProblem(http.postJson("/api/v1/users", "{\"email\":\"" + newEmail() + "\",\"password\":\"" + PASSWORD
                + "\",\"name\":\"\"}"), 400).path("detail").asText()).contains("name");
        assertThat(assertProblem(http.postJson("/api/v1/users", "{\"email\":\"" + newEmail() + "\",\"password\":\"" + PASSWORD
                + "\"}"), 400).path("detail").asText()).contains("name");
    }

    @Test
    void neverLetsAClientChooseItsRoles() {
        String body = "{\"email\":\"" + newEmail() + "\",\"password\":\"" + PASSWORD + "\",\"name\":\"Mallory\",";
        assertThat(assertProblem(http.postJson("/api/v1/users", body + "\"role\":\"admin\"}"), 400).path("detail").asText())
                .contains("role");
        assertProblem(http.postJson("/api/v1/users", body + "\"roles\":[\"admin\"]}"), 400);
    }

    @Test
    void answersMalformedBodiesWithA4xxProblem() {
        assertProblem(http.postJson("/api/v1/users", "{\"email\": "), 400);
        assertProblem(http.postJson("/api/v1/users", "[1,2]"), 400);
        assertProblem(http.postJson("/api/v1/users", "null"), 400);
        assertProblem(http.postJson("/api/v1/users", ""), 400);
        assertProblem(http.post("/api/v1/users", "text/plain", "email=a@b.c"), 415);
        assertProblem(http.post("/api/v1/users", null, "{}"), 415);
        assertProblem(http.postJson("/api/v1/users", "{\"name\":\"" + "x".repeat(20 * 1024) + "\"}"), 413);
        assertProblem(http.postJson("/api/v1/auth/token", "{\"email\":42,\"password\":[]}"), 400);
    }

    @Test
    void issuesATokenForTheRightPasswordOnly() {
        String email = newEmail();
        register(email, PASSWORD);

        HttpResponse<String> ok = http.postJson("/api/v1/auth/token", "{\"email\":\"" + email.toUpperCase() + "\",\"password\":\"" + PASSWORD + "\"}");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(json(ok).path("token_type").asText()).isEqualTo("Bearer");
        assertThat(json(ok).path("expires_in").asLong()).isEqualTo(900);
        assertThat(json(ok).path("access_token").asText()).isNotBlank();
        assertThat(ok.headers().firstValue("Cache-Control")).contains("no-store");

        JsonNode wrongPassword = assertProblem(http.postJson("/api/v1/auth/token",
                "{\"email\":\"" + email + "\",\"password\":\"wrong password\"}"), 401);
        JsonNode unknownEmail = assertProblem(http.postJson("/api/v1/auth/token",
                "{\"email\":\"" + newEmail() + "\",\"password\":\"" + PASSWORD + "\"}"), 401);
        assertThat(unknownEmail).isEqualTo(wrongPassword);
    }

    @Test
    void showsTheCallerTheirOwnProfileOnlyWithAValidToken() {
        String email = newEmail();
        String id = json(register(email, PASSWORD)).path("id").asText();
        String token = tokenFor(email, PASSWORD);

        assertProblem(http.get("/api/v1/users/me"), 401);
        assertProblem(http.get("/api/v1/users/me", "Authorization", "Bearer not.a.token"), 401);
        assertProblem(http.get("/api/v1/users/me", "Authorization", "Basic dXNlcjpwYXNz"), 401);

        HttpResponse<String> me = http.get("/api/v1/users/me", "Authorization", "Bearer " + token);
        assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
        assertThat(json(me).path("id").asText()).isEqualTo(id);
        assertThat(json(me).path("email").asText()).isEqualTo(email);
        assertThat(me.body()).doesNotContainIgnoringCase("password");
    }

    @Test
    void showsAnAccountByIdToItselfButNotToOtherCustomers() {
        String ann = newEmail();
        String annId = json(register(ann, PASSWORD)).path("id").asText();
        String bob = newEmail();
        String bobId = json(register(bob, PASSWORD)).path("id").asText();
        String annToken = tokenFor(ann, PASSWORD);

        assertThat(http.get("/api/v1/users/" + annId, "Authorization", "Bearer " + annToken).statusCode()).isEqualTo(200);
        assertProblem(http.get("/api/v1/users/" + bobId, "Authorization", "Bearer " + annToken), 404);
        assertProblem(http.get("/api/v1/users/" + bobId), 401);
    }

    @Test
    void createsTheAdministratorOnceWithTheAdminRole() {
        String email = "admin-" + UUID.randomUUID() + "@archway.local";

        assertThat(users.ensureAdmin(email, "admin password 1")).isTrue();
        assertThat(users.ensureAdmin(email, "another password")).isFalse();

        String token = tokenFor(email, "admin password 1");
        HttpResponse<String> me = http.get("/api/v1/users/me", "Authorization", "Bearer " + token);
        assertThat(json(me).path("roles").toString()).isEqualTo("[\"admin\"]");
        String someoneElse = json(register(newEmail(), PASSWORD)).path("id").asText();
        assertThat(http.get("/api/v1/users/" + someoneElse, "Authorization", "Bearer " + token).statusCode()).isEqualTo(200);
    }

    @Test
    void aRegistrationThatAsksForRolesCreatesNoAccountAndNoAdministrator() {
        String email = newEmail();
        String body = "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\",\"name\":\"Mallory\",";
        for (String extra : List.of("\"role\":\"admin\"}", "\"roles\":[\"admin\"]}", "\"Roles\":[\"admin\"]}",
                "\"is_admin\":true}", "\"id\":\"" + UUID.randomUUID() + "\"}")) {
            assertProblem(http.postJson("/api/v1/users", body + extra), 400);
        }
        assertProblem(http.postJson("/api/v1/auth/token", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}"), 401);

        assertThat(register(email, PASSWORD).statusCode()).isEqualTo(201);
        assertProblem(http.postJson("/api/v1/auth/token",
                "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\",\"roles\":[\"admin\"]}"), 400);
        String token = tokenFor(email, PASSWORD);
        Principal mallory = verifier.verify(token);
        assertThat(mallory.roles()).containsExactly("customer");
        assertThat(mallory.isAdmin()).isFalse();
        String someoneElse = json(register(newEmail(), PASSWORD)).path("id").asText();
        assertProblem(http.get("/api/v1/users/" + someoneElse, "Authorization", "Bearer " + token), 404);
    }

    @Test
    void noUsersPathGivesOneCustomerAnothersAccount() {
        String ann = newEmail();
        String annId = json(register(ann, PASSWORD)).path("id").asText();
        String bob = newEmail();
        String bobId = json(register(bob, PASSWORD)).path("id").asText();
        String annToken = "Bearer " + tokenFor(ann, PASSWORD);

        HttpResponse<String> me = http.get("/api/v1/users/me", "Authorization", annToken);
        assertThat(json(me).path("id").asText()).isEqualTo(annId);
        assertThat(me.body()).doesNotContain(bob, bobId);
        for (String path : List.of("/api/v1/users/" + bobId, "/api/v1/users/" + bobId.toUpperCase(Locale.ROOT),
                "/api/v1/users/" + bobId + "/", "/api/v1/users/me?id=" + bobId, "/api/v1/users/" + annId + "?id=" + bobId)) {
            HttpResponse<String> response = http.get(path, "Authorization", annToken);
            assertThat(response.statusCode()).as(path).isIn(200, 403, 404);
            assertThat(response.body()).as(path).doesNotContain(bob);
        }
        for (String method : List.of("PUT", "PATCH", "DELETE")) {
            HttpResponse<String> response = http.send(method, "/api/v1/users/" + bobId, "Authorization", annToken);
            assertThat(response.statusCode()).as(method).isIn(403, 404, 405);
        }
        HttpResponse<String> bobs = http.get("/api/v1/users/me", "Authorization", "Bearer " + tokenFor(bob, PASSWORD));
        assertThat(json(bobs).path("email").asText()).as("bob's account as it was").isEqualTo(bob);
    }
}
