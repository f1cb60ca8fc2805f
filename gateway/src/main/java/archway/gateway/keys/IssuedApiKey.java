package archway.gateway.keys;

/**
 * A key just issued, with its secret: the only time the secret exists outside the client,
 * since the gateway keeps its hash alone.
 *
 * @param key    the key
 * @param secret what the client presents, {@code ak_<id>_<random>}
 */
public record IssuedApiKey(ApiKey key, String secret) {

    /** Never the secret: an issued key may end up in a log line. */
    @Override
    public String toString() {
        return "IssuedApiKey[key=" + key + ", secret=ak_" + key.id() + "_***]";
    }
}
