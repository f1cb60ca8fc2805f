package archway.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProductImagesTest {

    @Test
    void drawsTheInitialsOfTheFirstTwoWords() {
        assertThat(ProductImages.initials("Portable Walnut Speaker 412")).isEqualTo("PW");
        assertThat(ProductImages.initials("eco  kettle")).isEqualTo("EK");
        assertThat(ProductImages.initials("42 Things")).isEqualTo("T");
    }

    @Test
    void escapesMarkupInTheTextItDraws() {
        Product product = Product.of(9, "TOY-000009", "Fish & <Chips> \"Deluxe\"", "d", "Toys", Money.usd(199), 1);

        String svg = new String(ProductImages.draw(product, "#fa5252"), StandardCharsets.UTF_8);

        assertThat(svg).contains("Fish &amp; &lt;Chips&gt; &quot;Deluxe&quot;").doesNotContain("<Chips>");
        assertThat(svg).startsWith("<svg").contains("fill=\"#fa5252\"").contains("TOY-000009");
    }

    @Test
    void storesEachImageUnderItsProductId() {
        assertThat(ProductImages.key(123)).isEqualTo("products/123.svg");
    }
}
