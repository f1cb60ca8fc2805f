package archway.gateway.keys;

import java.time.Instant;
import java.util.Optional;

/**
 * A machine client's API key as the gateway knows it: never the secret itself, which is
 * shown once at creation and stored only as a hash.
 *
 * @param id        the key's public identifier, also the secret's prefix ({@code ak_<id>_...})
 * @param client    who holds it, such as {@code price-feed}
 * @param plan      its usage plan
 * @param createdAt when it was issued
 * @param revokedAt when it was revoked, if it was
 */
public record ApiKey(String id, String client, UsagePlan plan, Instant createdAt, Optional<Instant> revokedAt) {

    public boolean isRevoked() {
        return revokedAt.isPresent();
    }
}
