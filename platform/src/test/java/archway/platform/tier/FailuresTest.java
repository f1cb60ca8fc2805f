package archway.platform.tier;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class FailuresTest {

    @Test
    void tellsAnUnreachableUpstreamFromOneThatFailedLater() {
        assertThat(Failures.isConnectFailure(new ConnectException("Connection refused"))).isTrue();
        assertThat(Failures.isConnectFailure(new SocketTimeoutException("Connect Timeout"))).isTrue();
        assertThat(Failures.isConnectFailure(new ExecutionException(new ConnectException("Connection refused")))).isTrue();
        assertThat(Failures.isConnectFailure(new EOFException("HttpConnectionOverHTTP closed"))).isFalse();
        assertThat(Failures.isConnectFailure(new TimeoutException("Total timeout 5000 ms elapsed"))).isFalse();
    }

    @Test
    void recognisesARequestTimeoutAnywhereInTheCauses() {
        assertThat(Failures.isTimeout(new TimeoutException("Total timeout 5000 ms elapsed"))).isTrue();
        assertThat(Failures.isTimeout(new ExecutionException(new TimeoutException("elapsed")))).isTrue();
        assertThat(Failures.isTimeout(new ConnectException("Connection refused"))).isFalse();
    }

    @Test
    void survivesACyclicCauseChain() {
        Exception a = new Exception("a");
        Exception b = new Exception("b", a);
        a.initCause(b);

        assertThat(Failures.isTimeout(a)).isFalse();
        assertThat(Failures.isConnectFailure(a)).isFalse();
    }
}
