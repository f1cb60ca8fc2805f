package archway.gateway.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import archway.store.Store;
import archway.store.embedded.EmbeddedPostgres;
import archway.store.embedded.TestPostgres;
import archway.store.postgres.PostgresStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issuing, recognising and revoking API keys on embedded PostgreSQL. */
class ApiKeysTest {

    /** Longer than any test: a refresh happens only when a test asks for one. */
    private static final Duration NEVER = Duration.ofHours(1);

    @TempDir
    static Path folder;
    static EmbeddedPostgres postgres;
    static Store store;
    static DataSource db;

    private final List<ApiKeys> opened = new ArrayList<>();

    @BeforeAll
    static void start() {
        postgres = TestPostgres.start(folder);
        store = PostgresStore.open(postgres.storeConfig(4));
        db = store.schema(PostgresApiKeyStore.SCHEMA);
    }

    @AfterAll
    static void stop() {
        store.close();
        postgres.close();
    }

    @AfterEach
    void closeKeys() {
        opened.forEach(ApiKeys::close);
    }

    @Test
    void issuesAKeyThatAuthenticatesAsItsClient() {
        ApiKeys keys = keys();

        IssuedApiKey issued = keys.create("price-feed", UsagePlans.BASIC);

        assertThat(issued.secret()).matches("ak_[A-Za-z0-9]{12}_[A-Za-z0-9]{43}").startsWith("ak_" + issued.key().id() + "_");
        assertThat(issued.key().client()).isEqualTo("price-feed");
        assertThat(issued.key().plan()).isEqualTo(UsagePlans.BASIC);
        assertThat(issued.key().isRevoked()).isFalse();
        assertThat(keys.authenticate(issued.secret())).contains(issued.key());
        assertThat(issued.toString()).doesNotContain(issued.secret());
    }

    @Test
    void storesOnlyTheHashOfTheSecret() throws Exception {
        IssuedApiKey issued = keys().create("price-feed", UsagePlans.BASIC);
        String random = issued.secret().substring(issued.secret().lastIndexOf('_') + 1);

        List<String> row = row(issued.key().id());

        assertThat(row).noneMatch(value -> value != null && value.contains(random));
        assertThat(row).contains(sha256(issued.secret()));
    }

    @Test
    void keepsThePlanAKeyWasIssuedOn() {
        IssuedApiKey issued = keys().create("partner-backend", UsagePlans.PARTNER);

        ApiKeys elsewhere = keys();

        assertThat(elsewhere.authenticate(issued.secret())).contains(issued.key());
        assertThat(elsewhere.list()).contains(issued.key());
    }

    @Test
    void stopsAcceptingARevokedKeyAtOnce() {
        ApiKeys keys = keys();
        IssuedApiKey issued = keys.create("price-feed", UsagePlans.BASIC);

        assertThat(keys.revoke(issued.key().id())).isTrue();

        assertThat(keys.authenticate(issued.secret())).isEmpty();
        assertThat(keys.list()).filteredOn(key -> key.id().equals(issued.key().id()))
                .singleElement().satisfies(key -> assertThat(key.revokedAt()).isPresent());
        assertThat(keys.revoke(issued.key().id())).isFalse();
    }

    @Test
    void revokesNothingForAnUnknownId() {
        ApiKeys keys = keys();

        assertThat(keys.revoke("nosuchkey000")).isFalse();
        assertThat(keys.revoke("")).isFalse();
        assertThat(keys.revoke(null)).isFalse();
    }

    @Test
    void anotherGatewaySeesARevocationAfterItsRefresh() {
        ApiKeys here = keys();
        ApiKeys there = keys();
        IssuedApiKey issued = here.create("price-feed", UsagePlans.BASIC);
        there.refresh();
        assertThat(there.authenticate(issued.secret())).isPresent();

        here.revoke(issued.key().id());
        assertThat(there.authenticate(issued.secret())).as("before its refresh").isPresent();

        there.refresh();
        assertThat(there.authenticate(issued.secret())).isEmpty();
    }

    @Test
    void recognisesNoUnknownOrMalformedSecret() {
        ApiKeys keys = keys();
        String secret = keys.create("price-feed", UsagePlans.BASIC).secret();
        String lastCharChanged = secret.substring(0, secret.length() - 1) + (secret.endsWith("a") ? "b" : "a");

        assertThat(keys.authenticate(null)).isEmpty();
        assertThat(keys.authenticate("")).isEmpty();
        assertThat(keys.authenticate("ak_")).isEmpty();
        assertThat(keys.authenticate(lastCharChanged)).isEmpty();
        assertThat(keys.authenticate(secret + "x")).isEmpty();
        assertThat(keys.authenticate("Bearer " + secret)).isEmpty();
        assertThat(keys.authenticate("x".repeat(secret.length()))).isEmpty();
    }

    @Test
    void refusesClientNamesOutsideTheAllowedCharacters() {
        ApiKeys keys = keys();

        for (String bad : new String[] {"", "Price Feed", "price/feed", "x".repeat(65)}) {
            assertThatThrownBy(() -> keys.create(bad, UsagePlans.BASIC)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("an API key's client is 1-64 lower-case letters, digits");
        }
        assertThatThrownBy(() -> keys.create(null, UsagePlans.BASIC)).hasMessageEndingWith("was (none given)");
        assertThatThrownBy(() -> keys.create("price-feed", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an API key needs a usage plan");
        assertThat(keys.create("a.b_c-9", UsagePlans.BASIC).key().client()).isEqualTo("a.b_c-9");
    }

    private ApiKeys keys() {
        ApiKeys keys = new ApiKeys(new PostgresApiKeyStore(db), Clock.systemUTC(), NEVER);
        opened.add(keys);
        return keys;
    }

    /** Every column of the key's row, as text. */
    private static List<String> row(String id) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement select = c.prepareStatement("SELECT * FROM api_keys WHERE id = ?")) {
            select.setString(1, id);
            try (ResultSet rs = select.executeQuery()) {
                assertThat(rs.next()).isTrue();
                ResultSetMetaData columns = rs.getMetaData();
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= columns.getColumnCount(); i++) {
                    values.add(rs.getString(i));
                }
                return values;
            }
        }
    }

    private static String sha256(String secret) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
    }
}
