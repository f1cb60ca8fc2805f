package archway.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The run folder ({@code ./var} by default): everything a run keeps between starts. The
 * next {@code up} reuses it, so the catalog, users and PostgreSQL data survive a restart.
 *
 * <pre>
 * var/
 *   postgres/         the embedded PostgreSQL data directory
 *   postgres-binaries/ the PostgreSQL binaries, unpacked on first start
 *   kafka/            the embedded Kafka broker: configuration, cluster id, log segments
 *   objects/          object storage: buckets "web" (storefront) and "images"
 *   logs/             one log per component process
 *   class-data/       class-data-sharing archives that make JVM starts faster
 *   keys/jwks.json    access-token signing keys (owner-only)
 *   admin-password    the administrator's generated password (owner-only)
 * </pre>
 */
public record RunFolder(Path root) {

    public static final String ADMIN_EMAIL = "admin@archway.local";

    public RunFolder {
        root = root.toAbsolutePath().normalize();
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the run folder " + root, e);
        }
    }

    public Path postgres() {
        return root.resolve("postgres");
    }

    /** Where the PostgreSQL binaries are unpacked, once per version. */
    public Path postgresBinaries() {
        return root.resolve("postgres-binaries");
    }

    public Path kafka() {
        return root.resolve("kafka");
    }

    public Path objects() {
        return root.resolve("objects");
    }

    public Path logs() {
        return dir("logs");
    }

    /** Class-data-sharing archives of the app-instance JVMs (faster starts after the first). */
    public Path classData() {
        return dir("class-data");
    }

    public Path keys() {
        return root.resolve("keys").resolve("jwks.json");
    }

    /**
     * The administrator's password: {@code ARCHWAY_ADMIN_PASSWORD} when set, otherwise the
     * one generated on first start and kept in {@code admin-password} (mode 0600).
     */
    public String adminPassword(String fromEnvironment) {
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment;
        }
        Path file = root.resolve("admin-password");
        try {
            if (Files.exists(file)) {
                return Files.readString(file).strip();
            }
            byte[] random = new byte[18];
            new SecureRandom().nextBytes(random);
            String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, password + "\n");
            return password;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the administrator password file " + file, e);
        }
    }

    private Path dir(String name) {
        Path dir = root.resolve(name);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        return dir;
    }
}
