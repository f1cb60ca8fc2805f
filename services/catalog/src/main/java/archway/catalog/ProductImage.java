package archway.catalog;

/**
 * A product's image as stored.
 *
 * @param etag a strong validator of the bytes, quoted as HTTP sends it
 */
public record ProductImage(byte[] bytes, String contentType, String etag) {
}
