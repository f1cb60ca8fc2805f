package archway.platform.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access-token keys a running component uses now: the {@link JwtKeys} of a key file,
 * reloaded when the file changes, so a rotation reaches every process without a restart.
 * {@link TokenIssuer} signs with the current first key, {@link TokenVerifier} verifies with
 * the current set.
 *
 * <p>Design notes. The hot path (one token per request at the gateway and again in the
 * service) reads one volatile field: a {@link Live} snapshot with the signer and one
 * verifier per {@code kid}, built once per reload. One daemon thread compares the file's
 * identity, modification time and size every second and reads it only when they change;
 * the file is replaced by an atomic rename ({@link JwtKeys#save}), so a reader sees the old
 * or the new set, never half of one. A file that cannot be read or is not a usable key set
 * (a hand edit gone wrong) leaves the current keys in place and is logged once, until it
 * changes again. A rotation announces the new key before it signs with it (see
 * {@link #rotate()}), so every process verifies a key before any process signs with it.
 */
public final class KeyRing implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KeyRing.class);
    private static final long POLL_SECONDS = 1;
    /** How long a new key verifies before it signs: two polls of every watching process, and a margin. */
    static final long ANNOUNCE_MILLIS = 2 * POLL_SECONDS * 1000 + 500;

    private final Path file;
    /** Polls the file; null for a fixed ring or one reloaded by hand. */
    private final ScheduledExecutorService poller;
    private final long announceMillis;
    private volatile Live live;
    /** The file as last read (or last found unusable); guarded by {@code this}. */
    private Stamp seen;

    private KeyRing(Path file, Live live, Stamp seen, ScheduledExecutorService poller, long announceMillis) {
        this.file = file;
        this.announceMillis = announceMillis;
        this.live = live;
        this.seen = seen;
        this.poller = poller;
    }

    /** A ring that always holds {@code keys}: for tests and tools that sign once. */
    public static KeyRing fixed(JwtKeys keys) {
        return new KeyRing(null, Live.of(keys), null, null, 0);
    }

    /**
     * A ring on the key file at {@code file}, read now and again whenever it changes.
     * Close it to stop watching.
     *
     * @throws IllegalArgumentException when the file is not a usable key set
     * @throws UncheckedIOException     when it cannot be read
     */
    public static KeyRing watch(Path file) {
        Stamp stamp = Stamp.of(file);
        Live keys = read(file);
        ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "key-ring " + file.getFileName());
            thread.setDaemon(true);
            return thread;
        });
        KeyRing ring = new KeyRing(file, keys, stamp, poller, ANNOUNCE_MILLIS);
        poller.scheduleWithFixedDelay(ring::reload, POLL_SECONDS, POLL_SECONDS, TimeUnit.SECONDS);
        return ring;
    }

    /** A ring on {@code file} that reloads only when {@link #reload()} is called, and rotates without waiting. */
    static KeyRing open(Path file) {
        Stamp stamp = Stamp.of(file);
        return new KeyRing(file, read(file), stamp, null, 0);
    }

    private static Live read(Path file) {
        JwtKeys keys = JwtKeys.load(file);
        try {
            return Live.of(keys);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the access-token keys at " + file + " are unusable: " + e.getMessage(), e);
        }
    }

    /** The keys in use now. */
    public JwtKeys keys() {
        return live.keys();
    }

    /**
     * Rotates in two steps, so no process ever refuses a token another one signed: first the
     * file gets a fresh key for verification only ({@link JwtKeys#announceNext()}); once every
     * process watching it has reloaded (two poll periods), the fresh key signs and the
     * previous one only verifies ({@link JwtKeys#promoteNext()}). The file is written
     * atomically both times, and this ring uses each set at once. Takes about
     * {@link #ANNOUNCE_MILLIS} milliseconds.
     *
     * @return the new set
     * @throws IllegalStateException on a {@linkplain #fixed fixed} ring, which has no file
     */
    public synchronized JwtKeys rotate() {
        if (file == null) {
            throw new IllegalStateException("a fixed key ring has no key file to rotate");
        }
        reload();
        JwtKeys announced = use(live.keys().announceNext());
        LOG.info("announced access-token key {} in {}; it signs in {} ms", announced.kids().getLast(), file, announceMillis);
        pause(announceMillis);
        JwtKeys rotated = use(announced.promoteNext());
        LOG.info("rotated the access-token keys in {}: signing with {}, verifying {}", file, rotated.signingKid(), rotated.kids());
        return rotated;
    }

    private JwtKeys use(JwtKeys keys) {
        Live next = Live.of(keys);
        keys.save(file);
        seen = Stamp.of(file);
        live = next;
        return keys;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while announcing a new access-token key", e);
        }
    }

    /** What the hot path reads: one volatile load. */
    Live live() {
        return live;
    }

    /** Reads the file again if it changed since it was last read; keeps the current keys when it is unusable. */
    synchronized void reload() {
        if (file == null) {
            return;
        }
        Stamp stamp;
        try {
            stamp = Stamp.of(file);
        } catch (UncheckedIOException e) {
            complainOnce(null, "cannot be read (" + e.getCause() + ")");
            return;
        }
        if (stamp.equals(seen)) {
            return;
        }
        try {
            live = read(file);
            seen = stamp;
            LOG.info("reloaded the access-token keys from {}: signing with {}, verifying {}", file,
                    live.signingKid(), live.keys().kids());
        } catch (UncheckedIOException | IllegalArgumentException e) {
            complainOnce(stamp, "is not a usable key set (" + e.getMessage() + ")");
        }
    }

    private void complainOnce(Stamp stamp, String problem) {
        if (!Objects.equals(stamp, seen)) {
            LOG.warn("the access-token key file {} {}; keeping the keys {}", file, problem, live.keys().kids());
        }
        seen = stamp;
    }

    /** Stops watching the file (waits a moment for a reload in progress); the current keys stay usable. */
    @Override
    public void close() {
        if (poller == null) {
            return;
        }
        poller.shutdownNow();
        try {
            if (!poller.awaitTermination(2, TimeUnit.SECONDS)) {
                LOG.warn("the key-ring thread for {} did not stop within 2 s", file);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * One key set ready for use: the signing key with its signer, and a verifier per {@code kid}.
     * Building it checks that every key is an HMAC key with a {@code kid} of its own.
     */
    record Live(JwtKeys keys, String signingKid, MACSigner signer, Map<String, MACVerifier> verifiers) {

        static Live of(JwtKeys keys) {
            Map<String, MACVerifier> byKid = new HashMap<>();
            for (JWK jwk : keys.set().getKeys()) {
                String kid = jwk.getKeyID();
                if (kid == null || byKid.containsKey(kid)) {
                    throw new IllegalArgumentException("every access-token key needs its own kid; found "
                            + (kid == null ? "a key without one" : "kid " + kid + " twice"));
                }
                if (!(jwk instanceof OctetSequenceKey secret)) {
                    throw new IllegalArgumentException("access-token key " + kid + " is a " + jwk.getKeyType() + " key, not an HMAC secret");
                }
                try {
                    byKid.put(kid, new MACVerifier(secret));
                } catch (JOSEException e) {
                    throw new IllegalArgumentException("access-token key " + kid + " is unusable: " + e.getMessage(), e);
                }
            }
            try {
                return new Live(keys, keys.signingKid(), new MACSigner(keys.signingKey()), Map.copyOf(byKid));
            } catch (JOSEException e) {
                throw new IllegalArgumentException("access-token key " + keys.signingKid() + " cannot sign: " + e.getMessage(), e);
            }
        }
    }

    /** Which file version was read: a rename gives a new file key, an edit in place a new time or size. */
    private record Stamp(Object fileKey, long modifiedNanos, long size) {

        static Stamp of(Path file) {
            try {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                return new Stamp(attributes.fileKey(), attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS), attributes.size());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the access-token keys at " + file, e);
            }
        }
    }
}
