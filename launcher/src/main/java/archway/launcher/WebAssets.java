package archway.launcher;

import archway.objects.ContentTypes;
import archway.objects.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Publishes the storefront (module {@code web}, packaged under {@code archway/web/}) into
 * the object-storage bucket the edge serves it from - as a deployment pipeline uploads a
 * single-page app to S3 behind CloudFront.
 */
final class WebAssets {

    static final String BUCKET = "web";
    private static final String ROOT = "archway/web/";

    private WebAssets() {
    }

    /** Uploads every storefront file; returns how many. */
    static int publish(ObjectStore objects) {
        URL index = WebAssets.class.getClassLoader().getResource(ROOT + "index.html");
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

    private static int upload(Path root, ObjectStore objects) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        for (Path file : files) {
            String key = root.relativize(file).toString().replace('\\', '/');
            objects.put(BUCKET, key, Files.readAllBytes(file), ContentTypes.forKey(key));
        }
        return files.size();
    }
}
