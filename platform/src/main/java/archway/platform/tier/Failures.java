package archway.platform.tier;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.TimeoutException;

/** What kind of upstream failure an exception from Jetty's HTTP client is. */
public final class Failures {

    /** Causes looked at; guards against cyclic cause chains. */
    private static final int MAX_DEPTH = 8;

    private Failures() {
    }

    /**
     * The upstream could not be reached at all: refused, unroutable, unresolvable, or no
     * connection within the connect timeout. Nothing was sent, so the upstream is surely
     * unfit for traffic now.
     */
    public static boolean isConnectFailure(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < MAX_DEPTH; depth++, t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof NoRouteToHostException
                    || t instanceof UnknownHostException || t instanceof UnresolvedAddressException
                    || t instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** The upstream took longer than the request timeout to answer. */
    public static boolean isTimeout(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < MAX_DEPTH; depth++, t = t.getCause()) {
            if (t instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }
}
