package archway.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The key and bucket rules every adapter enforces. */
class ObjectStoreTest {

    @Test
    void acceptsKeysOfLettersDigitsAndDashUnderscoreDotSlash() {
        for (String key : List.of("index.html", "assets/app-1.2.3.min.js", "img/p/10001_large.PNG", ".well-known/x", "a..b",
                "...", "x".repeat(1024), ("seg/").repeat(255) + "end")) {
            assertThat(ObjectStore.checkKey(key)).isEqualTo(key);
        }
    }

    @Test
    void rejectsKeysThatCouldEscapeTheBucketOrAreNotPlainPaths() {
        for (String key : ObjectNames.badKeys()) {
            assertThatIllegalArgumentException().as(String.valueOf(key)).isThrownBy(() -> ObjectStore.checkKey(key));
        }
    }

    @Test
    void acceptsBucketNamesOfThreeToSixtyThreeLowerCaseLettersDigitsAndHyphens() {
        for (String bucket : List.of("web", "product-images", "a1b", "x".repeat(63), "0-0")) {
            assertThat(ObjectStore.checkBucket(bucket)).isEqualTo(bucket);
        }
    }

    @Test
    void rejectsOtherBucketNamesNamingThem() {
        for (String bucket : ObjectNames.badBuckets()) {
            assertThatIllegalArgumentException().as(String.valueOf(bucket)).isThrownBy(() -> ObjectStore.checkBucket(bucket))
                    .withMessageContaining("bucket");
        }
    }
}
