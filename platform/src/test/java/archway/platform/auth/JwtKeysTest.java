package archway.platform.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import archway.platform.problem.ProblemException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key rotation and the key file, as an operator rotating or restarting would see them. */
class JwtKeysTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2030-01-15T10:00:00Z"), ZoneOffset.UTC);
    private static final Principal BOB = new Principal("user-2", "bob@example.com", Set.of("customer"));

    @TempDir
    Path folder;

    private static String tokenOf(JwtKeys keys) {
        return new TokenIssuer(keys, CLOCK, Duration.ofMinutes(15)).issue(BOB);
    }

    private static Principal verify(JwtKeys keys, String token) {
        return new TokenVerifier(keys, CLOCK).verify(token);
    }

    @Test
    void aRotatedSetSignsWithTheNewKeyAndStillVerifiesTokensOfTheOldOne() {
        JwtKeys old = JwtKeys.generate();
        String oldToken = tokenOf(old);
        JwtKeys rotated = old.rotate();
        String newToken = tokenOf(rotated);

        assertThat(verify(rotated, newToken)).isEqualTo(BOB);
        assertThat(verify(rotated, oldToken)).isEqualTo(BOB);
        assertThat(newToken.split("\\.")[0]).as("signed under another kid").isNotEqualTo(oldToken.split("\\.")[0]);
    }

    @Test
    void anAnnouncedKeyVerifiesBeforeItSigns() {
        JwtKeys current = JwtKeys.generate();
        JwtKeys announced = current.announceNext();
        JwtKeys promoted = announced.promoteNext();

        assertThat(announced.signingKid()).isEqualTo(current.signingKid());
        assertThat(announced.kids()).hasSize(2).startsWith(current.signingKid());
        assertThat(verify(announced, tokenOf(promoted))).as("a process still on the announced set accepts the new key's tokens")
                .isEqualTo(BOB);
        assertThat(promoted.kids()).containsExactly(announced.kids().get(1), current.signingKid());
    }

    @Test
    void aRotatedSetHoldsTheFreshKeyAndThePreviousSigningKeyOnly() {
        JwtKeys first = JwtKeys.generate();
        JwtKeys second = first.rotate();
        JwtKeys third = second.rotate();

        assertThat(second.kids()).containsExactly(second.signingKid(), first.signingKid());
        assertThat(third.kids()).containsExactly(third.signingKid(), second.signingKid()).doesNotHaveDuplicates();
        assertThat(third.kids()).doesNotContain(first.signingKid());
    }

    @Test
    void aTokenSignedTwoRotationsAgoIsRejectedAsSignedWithAnUnknownKey() {
        JwtKeys first = JwtKeys.generate();
        String firstToken = tokenOf(first);
        JwtKeys third = first.rotate().rotate();

        assertThatExceptionOfType(ProblemException.class).isThrownBy(() -> verify(third, firstToken))
                .satisfies(e -> assertThat(e.problem().detail()).contains("unknown key"));
    }

    @Test
    void aSetWithoutTheOldKeyRejectsTokensOfTheOldKey() {
        JwtKeys old = JwtKeys.generate();
        String oldToken = tokenOf(old);
        JwtKeys withoutOld = JwtKeys.generate();

        assertThatExceptionOfType(ProblemException.class).isThrownBy(() -> verify(withoutOld, oldToken))
                .satisfies(e -> assertThat(e.problem().status()).isEqualTo(401));
        assertThatExceptionOfType(ProblemException.class).isThrownBy(() -> verify(old, tokenOf(withoutOld.rotate())))
                .satisfies(e -> assertThat(e.problem().status()).isEqualTo(401));
    }

    @Test
    void aSavedSetLoadsBackAndVerifiesWhatTheOriginalSigned() {
        JwtKeys keys = JwtKeys.generate().rotate();
        Path file = folder.resolve("keys").resolve("jwks.json");
        keys.save(file);

        JwtKeys loaded = JwtKeys.load(file);

        assertThat(loaded.set().toJSONObject(false)).isEqualTo(keys.set().toJSONObject(false));
        assertThat(verify(loaded, tokenOf(keys))).isEqualTo(BOB);
        assertThat(verify(keys, tokenOf(loaded))).isEqualTo(BOB);
    }

    @Test
    void theKeyFileIsReadableByItsOwnerOnly() throws IOException {
        Path file = folder.resolve("jwks.json");
        JwtKeys.generate().save(file);
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));

        JwtKeys.load(file).rotate().save(file);
        assertThat(Files.getPosixFilePermissions(file)).as("after replacing it")
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(folder).isDirectoryNotContaining(path -> path.getFileName().toString().endsWith(".tmp"));
    }

    @Test
    void loadOrCreateCreatesTheFileOnceAndThenKeepsIt() {
        Path file = folder.resolve("jwks.json");

        JwtKeys first = JwtKeys.loadOrCreate(file);
        JwtKeys second = JwtKeys.loadOrCreate(file);

        assertThat(file).exists();
        assertThat(verify(second, tokenOf(first))).isEqualTo(BOB);
    }

    @Test
    void aFileThatIsNotAJwkSetIsRejectedNamingTheFile() throws IOException {
        Path file = folder.resolve("jwks.json");
        Files.writeString(file, "{\"not\":\"keys\"");

        assertThatIllegalArgumentException().isThrownBy(() -> JwtKeys.load(file)).withMessageContaining(file.toString());
    }

    @Test
    void anIssuerRefusesANonPositiveLifetime() {
        JwtKeys keys = JwtKeys.generate();

        assertThatIllegalArgumentException().isThrownBy(() -> new TokenIssuer(keys, CLOCK, Duration.ZERO))
                .withMessageContaining("lifetime");
        assertThatIllegalArgumentException().isThrownBy(() -> new TokenIssuer(keys, CLOCK, Duration.ofSeconds(-1)))
                .withMessageContaining("lifetime");
    }
}
