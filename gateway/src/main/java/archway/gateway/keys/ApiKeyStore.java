package archway.gateway.keys;

import java.time.Instant;
import java.util.List;

/**
 * Where the gateway keeps API keys: each key with the hash of its secret, never the secret.
 * Several gateway processes share one store; each reads it whole into memory (few keys, all
 * needed on every request), so the port has no lookup by secret.
 */
public interface ApiKeyStore {

    /**
     * A key as stored.
     *
     * @param key          the key, with its plan's name and limits as issued
     * @param secretSha256 the SHA-256 hash of its secret, in lower-case hex
     */
    record StoredKey(ApiKey key, String secretSha256) {
    }

    /** Stores a new, live key. */
    void insert(ApiKey key, String secretSha256);

    /** Marks the key {@code id} revoked at {@code at}; {@code false} when no live key has that id. */
    boolean revoke(String id, Instant at);

    /** Every stored key, revoked ones too, oldest first. */
    List<StoredKey> all();
}
