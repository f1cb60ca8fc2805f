package archway.platform.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * Signs access tokens: short-lived JWTs naming the user and their roles, with the current
 * signing key of a {@link KeyRing} (so a rotation takes effect without a restart).
 */
public final class TokenIssuer {

    static final String ISSUER = "archway";
    static final String AUDIENCE = "archway-api";

    private final KeyRing keys;
    private final Clock clock;
    private final Duration lifetime;

    /** An issuer that signs with the first of {@code keys}, always. */
    public TokenIssuer(JwtKeys keys, Clock clock, Duration lifetime) {
        this(KeyRing.fixed(keys), clock, lifetime);
    }

    /** An issuer that signs with whatever key {@code keys} puts first at the time of issue. */
    public TokenIssuer(KeyRing keys, Clock clock, Duration lifetime) {
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("token lifetime must be positive, was " + lifetime);
        }
        this.keys = keys;
        this.clock = clock;
        this.lifetime = lifetime;
    }

    public Duration lifetime() {
        return lifetime;
    }

    public String issue(Principal principal) {
        KeyRing.Live live = keys.live();
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .subject(principal.subject())
                .claim("email", principal.email())
                .claim("roles", List.copyOf(principal.roles()))
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .jwtID(UUID.randomUUID().toString())
                .build();
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.HS256)
                .keyID(live.signingKid())
                .type(JOSEObjectType.JWT)
                .build();
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(live.signer());
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign an access token", e);
        }
        return jwt.serialize();
    }
}
