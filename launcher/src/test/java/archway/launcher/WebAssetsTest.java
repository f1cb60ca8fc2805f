package archway.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import archway.objects.ObjectStore;
import archway.objects.StoredObject;
import archway.objects.local.LocalFolderObjectStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Publishing the storefront: assets under content-hashed names, and the index naming those. */
class WebAssetsTest {

    private static final Pattern HASHED_SCRIPT = Pattern.compile("src=\"(app\\.[0-9a-f]{12}\\.js)\"");
    private static final Pattern HASHED_STYLES = Pattern.compile("href=\"(app\\.[0-9a-f]{12}\\.css)\"");

    @TempDir
    Path folder;

    @Test
    void publishesAssetsUnderContentHashedNamesThatTheIndexReferences() {
        ObjectStore objects = new LocalFolderObjectStore(folder);

        WebAssets.publish(objects);

        String index = text(objects, "index.html");
        for (Pattern reference : new Pattern[] {HASHED_SCRIPT, HASHED_STYLES}) {
            Matcher matcher = reference.matcher(index);
            assertThat(matcher.find()).as(reference.pattern()).isTrue();
            String hashed = matcher.group(1);
            String plain = hashed.replaceAll("\\.[0-9a-f]{12}\\.", ".");
            assertThat(objects.get(WebAssets.BUCKET, hashed).orElseThrow().bytes())
                    .isEqualTo(objects.get(WebAssets.BUCKET, plain).orElseThrow().bytes());
            assertThat(objects.get(WebAssets.BUCKET, hashed).orElseThrow().contentType())
                    .isEqualTo(objects.get(WebAssets.BUCKET, plain).orElseThrow().contentType());
        }
        assertThat(index).doesNotContain("src=\"app.js\"", "href=\"app.css\"").contains("href=\"favicon.svg\"");
        assertThat(objects.get(WebAssets.BUCKET, "favicon.svg")).isPresent();
    }

    @Test
    void aNameChangesWithItsContentOnly() {
        byte[] v1 = "console.log(1)".getBytes(StandardCharsets.UTF_8);
        byte[] v2 = "console.log(2)".getBytes(StandardCharsets.UTF_8);

        assertThat(WebAssets.hashedName("js/app.js", v1)).matches("js/app\\.[0-9a-f]{12}\\.js")
                .isEqualTo(WebAssets.hashedName("js/app.js", v1.clone()))
                .isNotEqualTo(WebAssets.hashedName("js/app.js", v2));
        assertThat(WebAssets.hashedName("favicon.svg", v1)).isNull();
        assertThat(WebAssets.hashedName("LICENSE", v1)).isNull();
    }

    @Test
    void rewritesEveryFormOfReferenceToAnAssetAndNothingElse() {
        String html = "<script src=\"app.js\"></script><script src='./app.js'></script><link href=\"/app.js\">"
                + "<p>app.js</p><script src=\"app.jsx\"></script>";

        String rewritten = WebAssets.referencingHashedNames(html, java.util.Map.of("app.js", "app.0123456789ab.js"));

        assertThat(rewritten).isEqualTo("<script src=\"app.0123456789ab.js\"></script><script src='./app.0123456789ab.js'></script>"
                + "<link href=\"/app.0123456789ab.js\"><p>app.js</p><script src=\"app.jsx\"></script>");
    }

    private static String text(ObjectStore objects, String key) {
        StoredObject object = objects.get(WebAssets.BUCKET, key).orElseThrow();
        return new String(object.bytes(), StandardCharsets.UTF_8);
    }
}
