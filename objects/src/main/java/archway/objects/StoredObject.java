package archway.objects;

import java.time.Instant;

/**
 * One stored object with its metadata.
 *
 * @param etag         a strong validator of the content (quoted, as HTTP sends it)
 * @param lastModified when the object was last written
 */
public record StoredObject(String key, byte[] bytes, String contentType, String etag, Instant lastModified) {
}
