package archway.catalog;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A product's picture, drawn rather than photographed: a small SVG in its category's colour
 * with the initials of its name, the name, and its category and SKU. Deterministic, about
 * 700 bytes.
 */
final class ProductImages {

    static final String CONTENT_TYPE = "image/svg+xml";

    private ProductImages() {
    }

    /** The object key of a product's image in the {@value CatalogApi#IMAGES} bucket. */
    static String key(long productId) {
        return "products/" + productId + ".svg";
    }

    static byte[] draw(Product product, String colour) {
        String svg = """
                <svg xmlns="http://www.w3.org/2000/svg" width="400" height="400" viewBox="0 0 400 400" role="img" aria-label="%1$s">
                  <rect width="400" height="400" fill="%2$s"/>
                  <circle cx="200" cy="165" r="95" fill="#ffffff" fill-opacity="0.18"/>
                  <text x="200" y="198" font-family="Helvetica, Arial, sans-serif" font-size="92" font-weight="700" fill="#ffffff" text-anchor="middle">%3$s</text>
                  <text x="200" y="318" font-family="Helvetica, Arial, sans-serif" font-size="21" fill="#ffffff" text-anchor="middle">%1$s</text>
                  <text x="200" y="352" font-family="Helvetica, Arial, sans-serif" font-size="15" fill="#ffffff" fill-opacity="0.8" text-anchor="middle">%4$s · %5$s</text>
                </svg>
                """.formatted(escape(product.name()), colour, escape(initials(product.name())), escape(product.category()),
                escape(product.sku()));
        return svg.getBytes(StandardCharsets.UTF_8);
    }

    /** The first letters of the first two words: "Portable Walnut Speaker 412" gives "PW". */
    static String initials(String name) {
        return Arrays.stream(name.split("\\s+"))
                .filter(word -> !word.isEmpty() && Character.isLetter(word.charAt(0)))
                .limit(2)
                .map(word -> word.substring(0, 1).toUpperCase(Locale.ROOT))
                .collect(Collectors.joining());
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
