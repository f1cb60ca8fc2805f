package archway.platform.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import archway.platform.problem.ProblemException;
import com.nimbusds.jose.JWSObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running component's keys while an operator rotates them: what a token holder and the
 * issuer see after each reload. Reloads are called directly instead of waiting for the poll.
 */
class KeyRingTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2030-01-15T10:00:00Z"), ZoneOffset.UTC);
    private static final Duration LIFETIME = Duration.ofMinutes(15);
    private static final Principal CAROL = new Principal("user-3", "carol@example.com", Set.of("customer"));

    @TempDir
    Path folder;

    private Path keyFile(JwtKeys keys) {
        Path file = folder.resolve("keys").resolve("jwks.json");
        keys.save(file);
        return file;
    }

    private static String tokenOf(KeyRing ring) {
        return new TokenIssuer(ring, CLOCK, LIFETIME).issue(CAROL);
    }

    private static String kidOf(String token) throws ParseException {
        return JWSObject.parse(token).getHeader().getKeyID();
    }

    private static void assertUnknownKey(TokenVerifier verifier, String token) {
        assertThatExceptionOfType(ProblemException.class).isThrownBy(() -> verifier.verify(token)).satisfies(e -> {
            assertThat(e.problem().status()).isEqualTo(401);
            assertThat(e.headers()).containsKey("WWW-Authenticate");
            assertThat(e.problem().detail()).contains("unknown key");
        });
    }

    @Test
    void aTokenOfTheOldKeyVerifiesAfterOneRotationAndFailsAfterTwo() {
        KeyRing ring = KeyRing.open(keyFile(JwtKeys.generate()));
        TokenVerifier verifier = new TokenVerifier(ring, CLOCK);
        String beforeRotation = tokenOf(ring);

        ring.rotate();
        String afterOneRotation = tokenOf(ring);
        assertThat(verifier.verify(beforeRotation)).isEqualTo(CAROL);
        assertThat(verifier.verify(afterOneRotation)).isEqualTo(CAROL);

        ring.rotate();
        assertUnknownKey(verifier, beforeRotation);
        assertThat(verifier.verify(afterOneRotation)).isEqualTo(CAROL);
        assertThat(verifier.verify(tokenOf(ring))).isEqualTo(CAROL);
    }

    @Test
    void anotherProcessFollowsARotationOfTheFileOnItsNextReload() throws ParseException {
        Path file = keyFile(JwtKeys.generate());
        KeyRing operations = KeyRing.open(file);
        KeyRing instance = KeyRing.open(file);
        TokenIssuer issuer = new TokenIssuer(instance, CLOCK, LIFETIME);
        TokenVerifier verifier = new TokenVerifier(instance, CLOCK);
        String beforeRotation = issuer.issue(CAROL);

        JwtKeys rotated = operations.rotate();
        assertThat(kidOf(issuer.issue(CAROL))).as("before the reload").isEqualTo(kidOf(beforeRotation));

        instance.reload();
        String afterReload = issuer.issue(CAROL);
        assertThat(kidOf(afterReload)).isEqualTo(rotated.signingKid()).isNotEqualTo(kidOf(beforeRotation));
        assertThat(verifier.verify(afterReload)).isEqualTo(CAROL);
        assertThat(verifier.verify(beforeRotation)).isEqualTo(CAROL);
        assertThat(instance.keys().kids()).isEqualTo(rotated.kids());

        operations.rotate();
        instance.reload();
        assertUnknownKey(verifier, beforeRotation);
    }

    @Test
    void aGarbledFileKeepsTheKeysInUse() throws IOException {
        Path file = keyFile(JwtKeys.generate());
        KeyRing ring = KeyRing.open(file);
        TokenVerifier verifier = new TokenVerifier(ring, CLOCK);
        String token = tokenOf(ring);
        String kids = ring.keys().kids().toString();

        for (String garbled : new String[] {"{\"keys\": [{\"kty\": \"oct\", \"k\": ", "", "not json at all",
                "{\"keys\": []}", "{\"keys\": [{\"kty\": \"oct\", \"k\": \"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA\"}]}"}) {
            Files.writeString(file, garbled);
            ring.reload();
            ring.reload();

            assertThat(ring.keys().kids()).as(garbled).hasToString(kids);
            assertThat(verifier.verify(token)).isEqualTo(CAROL);
            assertThat(verifier.verify(tokenOf(ring))).isEqualTo(CAROL);
        }
    }

    @Test
    void aMissingFileKeepsTheKeysInUseAndAFixedFileIsPickedUpAgain() throws IOException, ParseException {
        Path file = keyFile(JwtKeys.generate());
        KeyRing ring = KeyRing.open(file);
        String token = tokenOf(ring);
        Files.delete(file);

        ring.reload();
        assertThat(new TokenVerifier(ring, CLOCK).verify(token)).isEqualTo(CAROL);

        JwtKeys replacement = JwtKeys.generate();
        replacement.save(file);
        ring.reload();
        assertThat(kidOf(tokenOf(ring))).isEqualTo(replacement.signingKid());
        assertUnknownKey(new TokenVerifier(ring, CLOCK), token);
    }

    @Test
    void aRotationIsWrittenToTheFile() {
        Path file = keyFile(JwtKeys.generate());
        KeyRing ring = KeyRing.open(file);

        JwtKeys rotated = ring.rotate();

        assertThat(JwtKeys.load(file).kids()).isEqualTo(rotated.kids()).hasSize(2);
        assertThat(ring.keys().signingKid()).isEqualTo(rotated.signingKid());
    }

    @Test
    void aWatchingRingStartsFromTheFileAndRefusesAnUnusableOne() throws IOException {
        JwtKeys keys = JwtKeys.generate();
        Path file = keyFile(keys);
        try (KeyRing ring = KeyRing.watch(file)) {
            assertThat(ring.keys().kids()).isEqualTo(keys.kids());
        }

        Files.writeString(file, "{\"keys\": []}");
        assertThatIllegalArgumentException().isThrownBy(() -> KeyRing.watch(file)).withMessageContaining(file.toString());
    }

    @Test
    void aFixedRingHasNoFileToRotate() {
        KeyRing ring = KeyRing.fixed(JwtKeys.generate());

        assertThatIllegalStateException().isThrownBy(ring::rotate).withMessageContaining("fixed");
    }
}
