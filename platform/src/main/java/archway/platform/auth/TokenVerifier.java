package archway.platform.auth;

import archway.platform.problem.ProblemException;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks access tokens: signature by a known {@code kid} with HS256 only (so
 * {@code alg: none} and algorithm confusion fail), issuer, audience, expiry and
 * not-before with a small clock skew. The keys are those a {@link KeyRing} holds at the time
 * of the check, so tokens of a rotated-in key pass and those of a retired one fail without a
 * restart. Every failure is a {@code 401} problem with a
 * {@code WWW-Authenticate} header; the detail says what was wrong without echoing the token.
 */
public final class TokenVerifier {

    private static final Duration SKEW = Duration.ofSeconds(30);

    private final KeyRing keys;
    private final Clock clock;

    /** A verifier that knows {@code keys}, always. */
    public TokenVerifier(JwtKeys keys, Clock clock) {
        this(KeyRing.fixed(keys), clock);
    }

    /** A verifier that knows whichever keys {@code keys} holds at the time of each check. */
    public TokenVerifier(KeyRing keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    /** The principal of an {@code Authorization} header value, or a 401 problem. */
    public Principal verifyAuthorization(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw ProblemException.unauthorized("this resource needs a Bearer access token");
        }
        if (authorization.length() < 7 || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw ProblemException.unauthorized("the Authorization header must be 'Bearer <token>'");
        }
        return verify(authorization.substring(7).trim());
    }

    /** The principal of a compact JWT, or a 401 problem. */
    public Principal verify(String token) {
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (ParseException | IllegalArgumentException e) {
            throw ProblemException.unauthorized("the access token is malformed");
        }
        JWSHeader header = jwt.getHeader();
        if (!JWSAlgorithm.HS256.equals(header.getAlgorithm())) {
            throw ProblemException.unauthorized("the access token's algorithm is not accepted");
        }
        MACVerifier verifier = header.getKeyID() == null ? null : keys.live().verifiers().get(header.getKeyID());
        if (verifier == null) {
            throw ProblemException.unauthorized("the access token was signed with an unknown key");
        }
        try {
            if (!jwt.verify(verifier)) {
                throw ProblemException.unauthorized("the access token's signature is invalid");
            }
            return principalOf(jwt.getJWTClaimsSet());
        } catch (JOSEException | ParseException e) {
            throw ProblemException.unauthorized("the access token cannot be verified");
        }
    }

    private Principal principalOf(JWTClaimsSet claims) throws ParseException {
        Instant now = clock.instant();
        Date expires = claims.getExpirationTime();
        if (expires == null || now.minus(SKEW).isAfter(expires.toInstant())) {
            throw ProblemException.unauthorized("the access token has expired");
        }
        Date notBefore = claims.getNotBeforeTime();
        if (notBefore != null && now.plus(SKEW).isBefore(notBefore.toInstant())) {
            throw ProblemException.unauthorized("the access token is not valid yet");
        }
        if (!TokenIssuer.ISSUER.equals(claims.getIssuer())
                || claims.getAudience() == null || !claims.getAudience().contains(TokenIssuer.AUDIENCE)) {
            throw ProblemException.unauthorized("the access token was not issued for this API");
        }
        if (claims.getSubject() == null) {
            throw ProblemException.unauthorized("the access token names no subject");
        }
        List<String> roles = claims.getStringListClaim("roles");
        Set<String> roleSet = roles == null ? Set.of() : new LinkedHashSet<>(roles);
        return new Principal(claims.getSubject(), claims.getStringClaim("email"), roleSet);
    }
}
