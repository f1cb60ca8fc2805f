package archway.lab.load;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.TimeoutException;

/** Why a request got no HTTP answer. */
enum ErrorKind {
    /** The connection could not be opened: nothing listening, no route, unknown host. */
    CONNECT,
    /** No complete answer within the request timeout (or the connect timeout). */
    TIMEOUT,
    /** Anything else: the connection closed mid-answer, a malformed answer, a body too large. */
    OTHER;

    /** Jetty's message when a connection is not established within the connect timeout. */
    private static final String JETTY_CONNECT_TIMEOUT = "Connect Timeout";

    /** The kind of a client failure, looking through its causes. */
    static ErrorKind of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException || t instanceof NoRouteToHostException
                    || t instanceof UnknownHostException || t instanceof UnresolvedAddressException
                    // a connect timeout is a connection that could not be opened, not a slow answer
                    || (t instanceof SocketTimeoutException && JETTY_CONNECT_TIMEOUT.equals(t.getMessage()))) {
                return CONNECT;
            }
            if (t instanceof TimeoutException || t instanceof SocketTimeoutException) {
                return TIMEOUT;
            }
        }
        return OTHER;
    }

    /** The name in reports: {@code connect}, {@code timeout}, {@code other}. */
    String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
