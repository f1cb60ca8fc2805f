package archway.platform.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * The signing keys of access tokens: a JWK set of 256-bit HMAC keys, each with a
 * {@code kid}. The first key signs; every key in the set verifies, so a new key can be
 * put first while tokens signed with the old one stay valid until they expire.
 *
 * <p>Rotation ({@link #rotate()}) keeps two keys: the fresh one and the one that signed
 * until now. A token signed two rotations ago names a {@code kid} no longer in the set and
 * is rejected. Access tokens live as long as the issuer's lifetime says (one hour for the
 * app instances, {@code AppInstance.TOKEN_LIFETIME}), so rotating no more often than that
 * never rejects a token that has not expired yet; rotating faster logs users out early.
 * Running components pick up a rotated file through a {@link KeyRing}.
 *
 * <p>HMAC (HS256) rather than a public-key algorithm because only Archway's own components
 * issue and check these tokens, and verifying one costs about a microsecond instead of the
 * tens of microseconds of RS256/ES256 on the gateway's hot path
 * (see docs/decisions/0003-hs256-access-tokens.md). The file is readable by its owner only.
 */
public final class JwtKeys {

    private static final SecureRandom KID_RANDOM = new SecureRandom();

    private final JWKSet set;

    private JwtKeys(JWKSet set) {
        if (set.getKeys().isEmpty()) {
            throw new IllegalArgumentException("a JWK set for access tokens needs at least one key");
        }
        this.set = set;
    }

    /** A set with one fresh key. */
    public static JwtKeys generate() {
        return new JwtKeys(new JWKSet(newKey()));
    }

    /** Reads the set at {@code file}, creating it with one fresh key when it does not exist. */
    public static JwtKeys loadOrCreate(Path file) {
        if (Files.exists(file)) {
            return load(file);
        }
        JwtKeys keys = generate();
        keys.save(file);
        return keys;
    }

    /** Reads the set at {@code file}; a missing or unreadable file or one that is not a non-empty JWK set is refused, naming the file. */
    public static JwtKeys load(Path file) {
        try {
            JWKSet set = JWKSet.parse(Files.readString(file));
            if (set.getKeys().isEmpty()) {
                throw new IllegalArgumentException("the access-token keys at " + file + " are an empty JWK set");
            }
            return new JwtKeys(set);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the access-token keys at " + file, e);
        } catch (ParseException e) {
            throw new IllegalArgumentException("the access-token keys at " + file + " are not a JWK set: " + e.getMessage(), e);
        }
    }

    /**
     * A new set whose first (signing) key is fresh, followed by this set's signing key, which
     * keeps verifying the tokens it signed until they expire. Older keys are dropped.
     */
    public JwtKeys rotate() {
        return announceNext().promoteNext();
    }

    /**
     * The first half of a rotation: the signing key stays first and a fresh key joins as the
     * second, for verification only; every older key leaves. Processes that load this set
     * accept tokens of the fresh key before any process signs with it.
     */
    public JwtKeys announceNext() {
        return new JwtKeys(new JWKSet(List.of(set.getKeys().getFirst(), newKey())));
    }

    /** The second half: the second key signs, the former signing key still verifies. */
    public JwtKeys promoteNext() {
        List<JWK> keys = set.getKeys();
        if (keys.size() < 2) {
            throw new IllegalStateException("a key set with one key has no next key to promote");
        }
        return new JwtKeys(new JWKSet(List.of(keys.get(1), keys.getFirst())));
    }

    /** The {@code kid} of the key that signs new tokens. */
    public String signingKid() {
        return set.getKeys().getFirst().getKeyID();
    }

    /** The {@code kid} of every key that verifies, the signing key's first; never key material. */
    public List<String> kids() {
        return set.getKeys().stream().map(JWK::getKeyID).toList();
    }

    public void save(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, set.toString(false));
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the access-token keys to " + file, e);
        }
    }

    OctetSequenceKey signingKey() {
        return (OctetSequenceKey) set.getKeys().getFirst();
    }

    JWKSet set() {
        return set;
    }

    /**
     * A fresh signing key. Its {@code kid} carries the creation second for the operator's eye
     * plus random digits, because the second alone repeats when a set is generated and rotated
     * in the same second, and verifiers look keys up by {@code kid}.
     */
    private static OctetSequenceKey newKey() {
        try {
            return new OctetSequenceKeyGenerator(256)
                    .keyID("k-" + Instant.now().getEpochSecond() + "-" + HexFormat.of().toHexDigits(KID_RANDOM.nextLong()))
                    .algorithm(JWSAlgorithm.HS256)
                    .keyUse(KeyUse.SIGNATURE)
                    .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate an HMAC key", e);
        }
    }
}
