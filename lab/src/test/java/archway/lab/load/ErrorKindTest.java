package archway.lab.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class ErrorKindTest {

    @Test
    void aConnectionThatCouldNotBeOpenedIsAConnectError() {
        assertThat(ErrorKind.of(new ConnectException("Connection refused"))).isEqualTo(ErrorKind.CONNECT);
        assertThat(ErrorKind.of(new SocketTimeoutException("Connect Timeout"))).isEqualTo(ErrorKind.CONNECT);
        assertThat(ErrorKind.of(new ExecutionException(new ConnectException("Connection refused")))).isEqualTo(ErrorKind.CONNECT);
    }

    @Test
    void noAnswerInTimeIsATimeout() {
        assertThat(ErrorKind.of(new TimeoutException("Total timeout 10000 ms elapsed"))).isEqualTo(ErrorKind.TIMEOUT);
        assertThat(ErrorKind.of(new SocketTimeoutException("Read timed out"))).isEqualTo(ErrorKind.TIMEOUT);
    }

    @Test
    void anythingElseIsOther() {
        assertThat(ErrorKind.of(new EOFException("reset"))).isEqualTo(ErrorKind.OTHER);
    }
}
