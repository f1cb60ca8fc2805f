package archway.user;

import java.security.SecureRandom;
import java.util.HexFormat;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

/**
 * Password hashing with Argon2id (Bouncy Castle, through spring-security-crypto).
 *
 * <p>The cost is OWASP's first recommended setting: 19 MiB of memory, 2 passes, 1 lane -
 * about 37 ms per hash on the 2-core reference machine, so a login takes tens of
 * milliseconds while an offline guess stays expensive. The salt and parameters travel
 * inside each hash ({@code $argon2id$v=19$m=19456,t=2,p=1$...}), so a later change of cost
 * still verifies old hashes.
 */
final class Passwords {

    private final Argon2PasswordEncoder encoder = new Argon2PasswordEncoder(16, 32, 1, 19_456, 2);
    /** A hash of a random password, verified against when the e-mail is unknown (see {@link #matchesNothing}). */
    private final String decoy = encoder.encode(HexFormat.of().formatHex(new SecureRandom().generateSeed(16)));

    String hash(String password) {
        return encoder.encode(password);
    }

    boolean matches(String password, String hash) {
        return encoder.matches(password, hash);
    }

    /**
     * Does the work of a verification and answers no: used for unknown e-mails, so the answer
     * takes as long as for a wrong password and timing does not tell which accounts exist.
     */
    boolean matchesNothing(String password) {
        encoder.matches(password, decoy);
        return false;
    }
}
