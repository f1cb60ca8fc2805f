package archway.launcher;

import archway.objects.ContentTypes;
import archway.objects.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Publishes the storefront (module {@code web}, packaged under {@code archway/web/}) into
 * the object-storage bucket the edge serves it from - as a deployment pipeline uploads a
 * single-page app to S3 behind CloudFront.
 *
 * <p>Assets are published under content-hashed names as well ({@code app.js} also as
 * {@code app.3f2a9c1d04e5.js}, the first 12 hex digits of its SHA-256), and
 * {@code index.html}'s references are rewritten to those names. A hashed name never
 * changes its content, so the edge and browsers keep it a year without asking; a release
 * changes {@code index.html} only, which is cached for a minute. The plain names stay
 * published for whatever still links to them. {@code index.html} itself and the favicon keep
 * their names: browsers and bookmarks ask for them by name.
 */
final class WebAssets {

    static final String BUCKET = "web";
    private static final String ROOT = "archway/web/";
    private static final String INDEX = "index.html";
    private static final String FAVICON = "favicon.svg";
    private static final int HASH_DIGITS = 12;

    private WebAssets() {
    }

    /** Uploads the storefront; returns how many objects were written. */
    static int publish(ObjectStore objects) {
        URL index = WebAssets.class.getClassLoader().getResource(ROOT + INDEX);
        if (index == null) {
            throw new IllegalStateException("the storefront (archway/web/index.html) is not on the class path; rebuild with ./mvnw package");
        }
        try {
            URI uri = index.toURI();
            if ("jar".equals(uri.getScheme())) {
                try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                    return upload(jar.getPath("/" + ROOT), objects);
                }
            }
            return upload(Path.of(uri).getParent(), objects);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the storefront files", e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("unexpected storefront location " + index, e);
        }
    }

    /** Uploads every file under {@code root}, the assets also under hashed names; returns how many objects were written. */
    static int upload(Path root, ObjectStore objects) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        Map<String, String> hashedNames = new LinkedHashMap<>();
        int written = 0;
        Path index = null;
        for (Path file : files) {
            String key = root.relativize(file).toString().replace('\\', '/');
            if (key.equals(INDEX)) {
                index = file;
                continue;
            }
            byte[] bytes = Files.readAllBytes(file);
            objects.put(BUCKET, key, bytes, ContentTypes.forKey(key));
            written++;
            String hashed = hashedName(key, bytes);
            if (hashed != null) {
                objects.put(BUCKET, hashed, bytes, ContentTypes.forKey(key));
                hashedNames.put(key, hashed);
                written++;
            }
        }
        if (index != null) {
            String html = referencingHashedNames(Files.readString(index, StandardCharsets.UTF_8), hashedNames);
            objects.put(BUCKET, INDEX, html.getBytes(StandardCharsets.UTF_8), ContentTypes.forKey(INDEX));
            written++;
        }
        return written;
    }

    /** {@code dir/name.<hash>.ext} for an asset that gets a hashed name, {@code null} for one that keeps its name. */
    static String hashedName(String key, byte[] content) {
        int slash = key.lastIndexOf('/');
        int dot = key.lastIndexOf('.');
        if (key.equals(FAVICON) || dot <= slash + 1) {
            return null;
        }
        try {
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)).substring(0, HASH_DIGITS);
            return key.substring(0, dot) + "." + hash + key.substring(dot);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** {@code html} with each {@code src}/{@code href} naming a key of {@code hashedNames} (also as {@code ./key} or {@code /key}) naming its hashed name. */
    static String referencingHashedNames(String html, Map<String, String> hashedNames) {
        String result = html;
        for (Map.Entry<String, String> asset : hashedNames.entrySet()) {
            Pattern reference = Pattern.compile("((?:src|href)\\s*=\\s*[\"'](?:\\./|/)?)" + Pattern.quote(asset.getKey()) + "([\"'])");
            result = reference.matcher(result).replaceAll("$1" + Matcher.quoteReplacement(asset.getValue()) + "$2");
        }
        return result;
    }
}
