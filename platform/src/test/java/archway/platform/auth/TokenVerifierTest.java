package archway.platform.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import archway.platform.problem.ProblemException;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** What a holder of an access token sees: good tokens let them in, every kind of bad one gets a 401. */
class TokenVerifierTest {

    private static final Instant NOW = Instant.parse("2030-01-15T10:00:00Z");
    private static final Duration LIFETIME = Duration.ofMinutes(15);
    private static final Principal ANN = new Principal("user-1", "ann@example.com", Set.of("customer", Principal.ADMIN));

    private final JwtKeys keys = JwtKeys.generate();

    private static Clock at(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }

    private TokenVerifier verifierAt(Instant instant) {
        return new TokenVerifier(keys, at(instant));
    }

    private String issuedNow() {
        return new TokenIssuer(keys, at(NOW), LIFETIME).issue(ANN);
    }

    /** Claims as the issuer writes them, to be bent one at a time. */
    private static JWTClaimsSet.Builder validClaims() {
        return new JWTClaimsSet.Builder()
                .issuer(TokenIssuer.ISSUER)
                .audience(TokenIssuer.AUDIENCE)
                .subject(ANN.subject())
                .claim("email", ANN.email())
                .claim("roles", List.of("customer"))
                .issueTime(Date.from(NOW))
                .notBeforeTime(Date.from(NOW))
                .expirationTime(Date.from(NOW.plus(LIFETIME)));
    }

    private String signedWithTheRealKey(JWTClaimsSet claims) {
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(keys.signingKey().getKeyID()).build();
        return sign(header, claims, macSigner(keys.signingKey().toByteArray()));
    }

    private static String sign(JWSHeader header, JWTClaimsSet claims, JWSSigner signer) {
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    private static MACSigner macSigner(byte[] secret) {
        try {
            return new MACSigner(secret);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** A 401 problem, with the challenge header, whose detail mentions {@code reason}. */
    private static void assertUnauthorized(ThrowingCallable call, String reason) {
        assertThatExceptionOfType(ProblemException.class).isThrownBy(call).satisfies(e -> {
            assertThat(e.problem().status()).isEqualTo(401);
            assertThat(e.headers()).containsKey("WWW-Authenticate");
            assertThat(e.headers().get("WWW-Authenticate")).startsWith("Bearer");
            assertThat(e.problem().detail()).contains(reason);
        });
    }

    @Test
    void aFreshTokenYieldsItsSubjectEmailAndRoles() {
        Principal principal = verifierAt(NOW).verify(issuedNow());

        assertThat(principal).isEqualTo(ANN);
        assertThat(principal.isAdmin()).isTrue();
    }

    @Test
    void acceptsTheBearerSchemeInAnyCase() {
        String token = issuedNow();

        assertThat(verifierAt(NOW).verifyAuthorization("Bearer " + token).subject()).isEqualTo(ANN.subject());
        assertThat(verifierAt(NOW).verifyAuthorization("bearer " + token).subject()).isEqualTo(ANN.subject());
    }

    @Test
    void rejectsATokenWhosePayloadWasTamperedWith() {
        String[] parts = issuedNow().split("\\.");
        String forgedPayload = base64Url(validClaims().subject("user-2").build().toString());
        String tampered = parts[0] + "." + forgedPayload + "." + parts[2];

        assertUnauthorized(() -> verifierAt(NOW).verify(tampered), "signature");
    }

    @Test
    void rejectsATokenSignedWithAnotherSecretUnderAKnownKid() {
        byte[] otherSecret = new byte[32];
        new SecureRandom().nextBytes(otherSecret);
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(keys.signingKey().getKeyID()).build();
        String forged = sign(header, validClaims().build(), macSigner(otherSecret));

        assertUnauthorized(() -> verifierAt(NOW).verify(forged), "signature");
    }

    @Test
    void rejectsATokenWithAlgNone() {
        String kid = keys.signingKey().getKeyID();
        String payload = base64Url(validClaims().build().toString());
        String realSignature = issuedNow().split("\\.")[2];

        for (String header : List.of("{\"alg\":\"none\"}", "{\"alg\":\"none\",\"kid\":\"" + kid + "\"}",
                "{\"alg\":\"None\",\"kid\":\"" + kid + "\"}")) {
            String unsigned = base64Url(header) + "." + payload + ".";
            assertUnauthorized(() -> verifierAt(NOW).verify(unsigned), "");
            assertUnauthorized(() -> verifierAt(NOW).verifyAuthorization("Bearer " + unsigned), "");
            String withBorrowedSignature = base64Url(header) + "." + payload + "." + realSignature;
            assertUnauthorized(() -> verifierAt(NOW).verify(withBorrowedSignature), "");
        }
    }

    @Test
    void rejectsATokenWithAnHs512Header() {
        byte[] longSecret = new byte[64];
        new SecureRandom().nextBytes(longSecret);
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.HS512).keyID(keys.signingKey().getKeyID()).build();
        String hs512 = sign(header, validClaims().build(), macSigner(longSecret));

        assertUnauthorized(() -> verifierAt(NOW).verify(hs512), "algorithm");
    }

    @Test
    void rejectsATokenWithAnRs256Header() throws JOSEException {
        RSAKey rsa = new RSAKeyGenerator(2048).keyID(keys.signingKey().getKeyID()).generate();
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(rsa.getKeyID()).type(JOSEObjectType.JWT).build();
        String rs256 = sign(header, validClaims().build(), new RSASSASigner(rsa));

        assertUnauthorized(() -> verifierAt(NOW).verify(rs256), "algorithm");
    }

    @Test
    void rejectsATokenSignedWithAKeyItDoesNotKnow() {
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k-somebody-else").build();
        String token = sign(header, validClaims().build(), macSigner(keys.signingKey().toByteArray()));

        assertUnauthorized(() -> verifierAt(NOW).verify(token), "unknown key");
    }

    @Test
    void rejectsATokenFromAnotherKeySet() {
        String foreign = new TokenIssuer(JwtKeys.generate(), at(NOW), LIFETIME).issue(ANN);

        assertUnauthorized(() -> verifierAt(NOW).verify(foreign), "");
    }

    @Test
    void rejectsATokenWithoutAKid() {
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.HS256).build();
        String token = sign(header, validClaims().build(), macSigner(keys.signingKey().toByteArray()));

        assertUnauthorized(() -> verifierAt(NOW).verify(token), "unknown key");
    }

    @Test
    void rejectsATokenThatOnlyLooksLikeAJwt() {
        String[] parts = issuedNow().split("\\.");
        for (String token : List.of(parts[0] + "." + parts[1], parts[0] + "." + parts[1] + ".", parts[0] + ".." + parts[2],
                parts[0] + "." + parts[1] + "." + parts[2] + "." + parts[2])) {
            assertUnauthorized(() -> verifierAt(NOW).verify(token), "");
        }
    }

    @Test
    void rejectsATokenWithACriticalHeaderItDoesNotUnderstand() {
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(keys.signingKey().getKeyID())
                .criticalParams(Set.of("exp-policy")).customParam("exp-policy", "never").build();
        String token = sign(header, validClaims().build(), macSigner(keys.signingKey().toByteArray()));

        assertUnauthorized(() -> verifierAt(NOW).verify(token), "signature");
    }

    @Test
    void rejectsAKidThatTriesToNameAFileOrAnotherKey() {
        for (String kid : List.of("../../keys/jwks.json", "", keys.signingKey().getKeyID() + " ", "*")) {
            JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(kid).build();
            String token = sign(header, validClaims().build(), macSigner(keys.signingKey().toByteArray()));

            assertUnauthorized(() -> verifierAt(NOW).verify(token), "unknown key");
        }
    }

    @Test
    void acceptsATokenUpToTheClockSkewPastItsExpiry() {
        Instant expiry = NOW.plus(LIFETIME);

        assertThat(verifierAt(expiry.plusSeconds(30)).verify(issuedNow()).subject()).isEqualTo(ANN.subject());
    }

    @Test
    void rejectsATokenPastItsExpiryAndTheClockSkew() {
        Instant expiry = NOW.plus(LIFETIME);

        assertUnauthorized(() -> verifierAt(expiry.plusSeconds(31)).verify(issuedNow()), "expired");
        assertUnauthorized(() -> verifierAt(expiry.plus(Duration.ofDays(1))).verify(issuedNow()), "expired");
    }

    @Test
    void rejectsATokenWithoutAnExpiry() {
        String token = signedWithTheRealKey(validClaims().expirationTime(null).build());

        assertUnauthorized(() -> verifierAt(NOW).verify(token), "expired");
    }

    @Test
    void rejectsATokenThatIsNotValidYet() {
        assertUnauthorized(() -> verifierAt(NOW.minusSeconds(31)).verify(issuedNow()), "not valid yet");
        assertThat(verifierAt(NOW.minusSeconds(30)).verify(issuedNow()).subject()).as("within the skew").isEqualTo(ANN.subject());
    }

    @Test
    void rejectsATokenFromAnotherIssuer() {
        String token = signedWithTheRealKey(validClaims().issuer("someone-else").build());

        assertUnauthorized(() -> verifierAt(NOW).verify(token), "not issued for this API");
    }

    @Test
    void rejectsATokenForAnotherAudience() {
        String other = signedWithTheRealKey(validClaims().audience("another-api").build());
        String none = signedWithTheRealKey(validClaims().audience((String) null).build());

        assertUnauthorized(() -> verifierAt(NOW).verify(other), "not issued for this API");
        assertUnauthorized(() -> verifierAt(NOW).verify(none), "not issued for this API");
    }

    @Test
    void rejectsATokenThatNamesNoSubject() {
        String token = signedWithTheRealKey(validClaims().subject(null).build());

        assertUnauthorized(() -> verifierAt(NOW).verify(token), "no subject");
    }

    @Test
    void rejectsGarbageWithoutEchoingIt() {
        for (String garbage : List.of("not-a-token", "a.b.c", "...", "eyJhbGciOiJIUzI1NiJ9", "x".repeat(5000))) {
            assertUnauthorized(() -> verifierAt(NOW).verify(garbage), "malformed");
            assertThatExceptionOfType(ProblemException.class).isThrownBy(() -> verifierAt(NOW).verify(garbage))
                    .satisfies(e -> assertThat(e.problem().detail()).doesNotContain(garbage));
        }
    }

    @Test
    void rejectsAnAuthorizationHeaderOfAnotherScheme() {
        assertUnauthorized(() -> verifierAt(NOW).verifyAuthorization("Basic dXNlcjpwYXNz"), "Bearer <token>");
        assertUnauthorized(() -> verifierAt(NOW).verifyAuthorization(issuedNow()), "Bearer <token>");
        assertUnauthorized(() -> verifierAt(NOW).verifyAuthorization("Bearer"), "Bearer <token>");
    }

    @Test
    void rejectsAnEmptyOrMissingAuthorizationHeader() {
        assertUnauthorized(() -> verifierAt(NOW).verifyAuthorization(null), "needs a Bearer");
        assertUnauthorized(() -> verifierAt(NOW).verifyAuthorization(""), "needs a Bearer");
        assertUnauthorized(() -> verifierAt(NOW).verifyAuthorization("   "), "needs a Bearer");
        assertUnauthorized(() -> verifierAt(NOW).verifyAuthorization("Bearer "), "malformed");
    }
}
