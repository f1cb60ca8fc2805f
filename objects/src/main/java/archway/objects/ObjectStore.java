package archway.objects;

import java.util.Optional;

/**
 * The object-storage port (the diagram's OBJECTS box: S3 in the source document). Holds the
 * storefront bundle and product images as immutable blobs addressed by bucket and key.
 *
 * <p>Keys are relative paths of letters, digits and {@code - _ . /}; no empty segment, no
 * {@code .} or {@code ..} segment. Adapters reject anything else with
 * {@link IllegalArgumentException}, so a key taken from a URL can never leave its bucket.
 */
public interface ObjectStore {

    /** Stores {@code bytes} under {@code bucket/key}, replacing what was there. */
    void put(String bucket, String key, byte[] bytes, String contentType);

    /** The object at {@code bucket/key}, if there is one. */
    Optional<StoredObject> get(String bucket, String key);

    /** Whether an object exists at {@code bucket/key}. */
    boolean exists(String bucket, String key);

    /** Checks a key against the rules above, throwing {@link IllegalArgumentException} if it breaks one. */
    static String checkKey(String key) {
        if (key == null || key.isEmpty() || key.length() > 1024 || key.startsWith("/") || key.endsWith("/")) {
            throw new IllegalArgumentException("invalid object key");
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("invalid object key");
            }
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '/';
            if (!ok) {
                throw new IllegalArgumentException("invalid object key");
            }
        }
        return key;
    }

    /** Checks a bucket name: lower-case letters, digits and hyphens, 3-63 characters. */
    static String checkBucket(String bucket) {
        if (bucket == null || !bucket.matches("[a-z0-9][a-z0-9-]{1,61}[a-z0-9]")) {
            throw new IllegalArgumentException("invalid bucket name: " + bucket);
        }
        return bucket;
    }
}
