package archway.platform.tier;

import java.net.URI;
import java.time.Duration;
import java.util.Collection;

/**
 * Validation of tier settings at start, with messages that name the setting and the bad
 * value ({@code "gateway.port must be 0-65535, was 70000"}), so a wrong flag is fixed from
 * the message alone.
 */
public final class ConfigCheck {

    private ConfigCheck() {
    }

    public static String host(String setting, String host) {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException(setting + " must name an address to bind, was " + quoted(host));
        }
        return host;
    }

    public static int port(String setting, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(setting + " must be 0-65535 (0 for any free port), was " + port);
        }
        return port;
    }

    public static Duration positive(String setting, Duration duration) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(setting + " must be a positive duration, was " + duration);
        }
        return duration;
    }

    public static long positive(String setting, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(setting + " must be positive, was " + value);
        }
        return value;
    }

    public static <C extends Collection<?>> C notEmpty(String setting, C values) {
        if (values == null || values.isEmpty()) {
            throw new IllegalArgumentException(setting + " must not be empty, was " + values);
        }
        return values;
    }

    /**
     * An upstream's address: {@code http} or {@code https}, a host, and no path, query or
     * fragment, because the forwarders keep the client's path and only swap the origin.
     */
    public static URI origin(String setting, URI uri) {
        if (uri == null || uri.getHost() == null || uri.getScheme() == null
                || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                || !(uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))
                || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(setting + " must be an origin such as http://127.0.0.1:8081"
                    + " (scheme, host and port, no path), was " + quoted(uri == null ? null : uri.toString()));
        }
        return uri;
    }

    private static String quoted(String value) {
        return value == null ? "null" : "'" + value + "'";
    }
}
