package archway.objects.local;

import archway.objects.ContentTypes;
import archway.objects.ObjectStore;
import archway.objects.StoredObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Object storage in a local folder: {@code <root>/<bucket>/<key>}. Writes go to a temporary
 * file first and are renamed into place, so a reader never sees half an object. The media
 * type follows the key's extension; the ETag is a digest of the content.
 */
public final class LocalFolderObjectStore implements ObjectStore {

    private final Path root;

    public LocalFolderObjectStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        try {
            Files.createDirectories(this.root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the object-storage folder " + this.root, e);
        }
    }

    public Path root() {
        return root;
    }

    @Override
    public void put(String bucket, String key, byte[] bytes, String contentType) {
        Path target = pathOf(bucket, key);
        try {
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), ".put-", ".tmp");
            try {
                Files.write(tmp, bytes);
                moveIntoPlace(tmp, target);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store object " + bucket + "/" + key, e);
        }
    }

    @Override
    public Optional<StoredObject> get(String bucket, String key) {
        Path path = pathOf(bucket, key);
        try {
            if (!Files.isRegularFile(path)) {
                return Optional.empty();
            }
            byte[] bytes = Files.readAllBytes(path);
            return Optional.of(new StoredObject(key, bytes, ContentTypes.forKey(key), etagOf(bytes),
                    Files.getLastModifiedTime(path).toInstant()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read object " + bucket + "/" + key, e);
        }
    }

    @Override
    public boolean exists(String bucket, String key) {
        return Files.isRegularFile(pathOf(bucket, key));
    }

    private Path pathOf(String bucket, String key) {
        Path path = root.resolve(ObjectStore.checkBucket(bucket)).resolve(ObjectStore.checkKey(key)).normalize();
        if (!path.startsWith(root)) {
            throw new IllegalArgumentException("invalid object key");
        }
        return path;
    }

    private static void moveIntoPlace(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static String etagOf(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
