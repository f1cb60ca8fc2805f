package archway.gateway.keys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's API keys: issues and revokes them in an {@link ApiKeyStore}, and recognises
 * presented secrets from a copy of the store in memory.
 *
 * <h2>Design notes</h2>
 *
 * <p><b>Secrets.</b> A secret is {@code ak_<id>_<random>}: a 12-character id and 43
 * characters drawn from 62 with {@link SecureRandom}, 256 bits, all of it letters and digits
 * so that a double click selects it whole. Only its SHA-256 hash is stored: guessing 256
 * random bits is hopeless, so a slow password hash would buy nothing but latency on every
 * request. The secret is returned once, by {@link #create}.
 *
 * <p><b>Lookup.</b> {@link #authenticate} hashes the presented secret and looks the hash up
 * in an immutable map: no I/O and no lock on the hot path. A constant-time comparison is
 * moot: nothing compares the secret with a stored one, and the time of a hash-map lookup
 * depends on the hash, which an attacker cannot steer toward a stored hash.
 *
 * <p><b>Freshness.</b> The map is loaded from the store at construction and reloaded every
 * {@code refreshEvery} on a daemon thread, so a key issued or revoked by another gateway
 * process works or stops working here within that time. What this object issues or revokes
 * takes effect here at once. When the store cannot be read the last copy stays in use (keys
 * keep working through a store outage) and a warning says so.
 */
public final class ApiKeys implements ApiKeyAuthenticator, AutoCloseable {

    /** How often the keys are reloaded from the store by default. */
    public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(ApiKeys.class);
    private static final String PREFIX = "ak_";
    private static final int ID_LENGTH = 12;
    private static final int RANDOM_LENGTH = 43;
    private static final int SECRET_LENGTH = PREFIX.length() + ID_LENGTH + 1 + RANDOM_LENGTH;
    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final Pattern CLIENT = Pattern.compile("[a-z0-9._-]{1,64}");
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);

    /** The keys as last read: all of them, and the live ones by the hash of their secret. */
    private record Snapshot(List<ApiKey> all, Map<String, ApiKey> liveBySecretHash) {
    }

    private final ApiKeyStore store;
    private final InstantSource clock;
    private final SecureRandom random = new SecureRandom();
    private final ScheduledExecutorService refresher;
    private volatile Snapshot snapshot;

    /** Keys on the system clock, reloaded every {@link #DEFAULT_REFRESH}. */
    public ApiKeys(ApiKeyStore store) {
        this(store, Clock.systemUTC(), DEFAULT_REFRESH);
    }

    /**
     * Reads every key from {@code store} now and then every {@code refreshEvery}.
     *
     * @throws archway.store.StoreException when the store cannot be read at start
     */
    public ApiKeys(ApiKeyStore store, InstantSource clock, Duration refreshEvery) {
        if (refreshEvery == null || refreshEvery.isNegative() || refreshEvery.isZero()) {
            throw new IllegalArgumentException("API keys refresh interval must be positive, was " + refreshEvery);
        }
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        refresh();
        this.refresher = Executors.newSingleThreadScheduledExecutor(
                task -> Thread.ofPlatform().name("api-keys-refresh").daemon().unstarted(task));
        long every = refreshEvery.toMillis();
        refresher.scheduleWithFixedDelay(this::refreshOrKeep, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Issues a key to {@code client} on {@code plan}.
     *
     * @return the key and its secret, which is not kept and cannot be shown again
     * @throws IllegalArgumentException when the client name or the plan is not valid
     */
    public IssuedApiKey create(String client, UsagePlan plan) {
        if (client == null || !CLIENT.matcher(client).matches()) {
            throw new IllegalArgumentException("an API key's client is 1-64 lower-case letters, digits, '.', '_' or '-', was "
                    + (client == null ? "(none given)" : "'" + client + "'"));
        }
        if (plan == null) {
            throw new IllegalArgumentException("an API key needs a usage plan");
        }
        String id = randomChars(ID_LENGTH);
        String secret = PREFIX + id + "_" + randomChars(RANDOM_LENGTH);
        // PostgreSQL keeps microseconds: the key as returned equals the key as read back
        ApiKey key = new ApiKey(id, client, plan, now(), Optional.empty());
        store.insert(key, sha256(secret));
        refresh();
        return new IssuedApiKey(key, secret);
    }

    /** Revokes the key {@code id} at once; {@code false} when there is no live key of that id. */
    public boolean revoke(String id) {
        if (id == null || id.isEmpty()) {
            return false;
        }
        boolean revoked = store.revoke(id, now());
        refresh();
        return revoked;
    }

    /** Every key, revoked ones too, oldest first. */
    public List<ApiKey> list() {
        return snapshot.all();
    }

    @Override
    public Optional<ApiKey> authenticate(String secret) {
        if (secret == null || secret.length() != SECRET_LENGTH || !secret.startsWith(PREFIX)) {
            return Optional.empty();
        }
        return Optional.ofNullable(snapshot.liveBySecretHash().get(sha256(secret)));
    }

    /** Stops reloading the keys; authentication goes on with the last copy. */
    @Override
    public void close() {
        refresher.shutdownNow();
        try {
            if (!refresher.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("API key refresh did not stop within {}", STOP_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Reloads every key from the store. Synchronized so that a slower, older read never
     * replaces a newer one.
     */
    synchronized void refresh() {
        List<ApiKeyStore.StoredKey> stored = store.all();
        List<ApiKey> all = stored.stream().map(ApiKeyStore.StoredKey::key).toList();
        Map<String, ApiKey> live = stored.stream()
                .filter(s -> !s.key().isRevoked())
                .collect(Collectors.toUnmodifiableMap(ApiKeyStore.StoredKey::secretSha256, ApiKeyStore.StoredKey::key));
        snapshot = new Snapshot(all, live);
    }

    private void refreshOrKeep() {
        try {
            refresh();
        } catch (RuntimeException e) {
            LOG.warn("API keys not reloaded, the {} read before stay in use: {}", snapshot.all().size(), e.toString());
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private String randomChars(int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return out.toString();
    }

    private static String sha256(String secret) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
