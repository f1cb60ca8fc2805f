package archway.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An operator rotates the access-token keys of the running system through the operations
 * entry: tokens signed before keep working, the instances move to the new key without a
 * restart, and only the administrator may rotate.
 */
@ExtendWith(RunningSystem.class)
@Order(Integer.MAX_VALUE - 1) // after the classes that only read the keys, before the one that kills an instance
class KeyRotationTest {

    static ArchwaySystem system;
    static StoreClient store;

    @BeforeAll
    static void useTheRunningSystem(ArchwaySystem running) {
        system = running;
        store = new StoreClient(running);
    }

    @Test
    void aRotationKeepsEarlierTokensValidAndTheInstancesSignWithTheNewKey() throws Exception {
        String admin = store.admin(system);
        String shopper = store.newShopper();
        JsonNode before = StoreClient.json(ops("GET", "/keys", null));
        assertThat(before.path("kids").isArray()).isTrue();
        assertThat(before.toString()).as("no key material").doesNotContain("\"k\"");

        assertThat(ops("POST", "/keys/rotate", null).statusCode()).isEqualTo(401);
        assertThat(ops("POST", "/keys/rotate", shopper).statusCode()).isEqualTo(403);
        HttpResponse<String> rotation = ops("POST", "/keys/rotate", admin);

        assertThat(rotation.statusCode()).as(rotation.body()).isEqualTo(200);
        JsonNode rotated = StoreClient.json(rotation);
        String signingKid = rotated.path("signing_kid").asText();
        assertThat(kids(rotated)).containsExactly(signingKid, before.path("signing_kid").asText());
        assertThat(kids(StoreClient.json(ops("GET", "/keys", null)))).isEqualTo(kids(rotated));

        awaitEveryInstanceReloaded(signingKid);
        assertThat(me(shopper).statusCode()).as("a token signed before the rotation").isEqualTo(200);
        assertThat(me(admin).statusCode()).isEqualTo(200);
        for (int i = 0; i < 2 * system.instances().size(); i++) {
            String fresh = store.admin(system);
            assertThat(JWSObject.parse(fresh).getHeader().getKeyID()).isEqualTo(signingKid);
            assertThat(me(fresh).statusCode()).isEqualTo(200);
        }
    }

    private static List<String> kids(JsonNode keys) {
        List<String> kids = new ArrayList<>();
        keys.path("kids").forEach(kid -> kids.add(kid.asText()));
        return kids;
    }

    /** Each instance logs the kid it signs with when it reloads the key file (within about a second). */
    private static void awaitEveryInstanceReloaded(String signingKid) throws IOException, ParseException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        for (ArchwaySystem.Instance instance : system.instances()) {
            Path log = system.config().runFolder().logs().resolve(instance.name() + ".log");
            while (!Files.readString(log).contains("signing with " + signingKid)) {
                assertThat(System.nanoTime()).as("%s reloaded the keys", instance.name()).isLessThan(deadline);
                StoreClient.pause(100);
            }
        }
    }

    private static HttpResponse<String> me(String token) {
        return StoreClient.send(HttpRequest.newBuilder(URI.create(system.edgeUrl() + "/api/v1/users/me"))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + token).build());
    }

    private static HttpResponse<String> ops(String method, String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(system.opsUrl() + path))
                .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return StoreClient.send(request.build());
    }
}
