package archway.gateway.keys;

import java.util.Optional;

/** What the gateway's hot path needs of API keys: the live key a presented secret belongs to. */
@FunctionalInterface
public interface ApiKeyAuthenticator {

    /** The key whose secret is {@code secret}, if it exists and is not revoked; no I/O, no locks. */
    Optional<ApiKey> authenticate(String secret);

    /** No API keys at all: every presented key is unknown. */
    static ApiKeyAuthenticator none() {
        return secret -> Optional.empty();
    }
}
