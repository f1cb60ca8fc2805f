package archway.platform.tier;

import static archway.platform.testing.RawHttp.connect;
import static archway.platform.testing.RawHttp.postHead;
import static archway.platform.testing.RawHttp.readStatus;
import static org.assertj.core.api.Assertions.assertThat;

import archway.platform.telemetry.Telemetry;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A tier that answers a request before reading its body (a {@code 401} before the upload
 * has arrived) still keeps its connection: the body is read and dropped after the answer.
 * Without that, the server cut the connection under the client's upload; when the cut came
 * as a reset, a proxy in front lost the answer and replied {@code 502} for the {@code 401}
 * (which side of that race a run lands on is timing, so the proxy case here checks the
 * outcome, and the first case the cut itself).
 */
class UnreadBodyTest {

    private static final String PATH = "/api/v1/orders";
    private static final String BODY = "{\"items\":[{\"product_id\":1,\"quantity\":1}]}";

    private Telemetry telemetry;
    private TierServer refusing;
    private TierServer front;

    @BeforeEach
    void start() {
        telemetry = Telemetry.create("tier");
        refusing = TierServer.start("127.0.0.1", 0, telemetry, () -> true, new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                Problems.write(response, callback, 401, "a valid token is required");
                return true;
            }
        });
        front = TierServer.start("127.0.0.1", 0, telemetry, () -> true, new Forwarder(telemetry,
                Upstreams.fixed(URI.create(refusing.url())), Forwarder.Settings.of(Duration.ofSeconds(5), ForwardedHeaders.SET)));
    }

    @AfterEach
    void stop() {
        front.close();
        refusing.close();
        telemetry.close();
    }

    @Test
    void anAnswerGivenBeforeTheBodyArrivedLeavesTheConnectionOpen() throws Exception {
        try (Socket socket = connect(refusing.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(postHead(PATH, BODY.length()));
            out.flush();
            assertThat(readStatus(socket.getInputStream())).as("answered before the body was sent").isEqualTo(401);

            out.write(BODY.getBytes(StandardCharsets.UTF_8));
            out.write(postHead(PATH, BODY.length()));
            out.write(BODY.getBytes(StandardCharsets.UTF_8));
            out.flush();

            assertThat(readStatus(socket.getInputStream())).as("the next request on the same connection").isEqualTo(401);
        }
    }

    @Test
    void aProxyPassesOnTheAnswerOfAnOriginThatDidNotReadTheBody() throws Exception {
        try (Socket socket = connect(front.port())) {
            OutputStream out = socket.getOutputStream();
            byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
            out.write(postHead(PATH, body.length));
            out.write(body, 0, 10);
            out.flush();
            Thread.sleep(300); // the origin refuses on the headers alone, while the body is still on its way
            out.write(body, 10, body.length - 10);
            out.flush();
            assertThat(readStatus(socket.getInputStream())).isEqualTo(401);

            out.write(postHead(PATH, body.length));
            out.write(body);
            out.flush();
            assertThat(readStatus(socket.getInputStream())).as("the next request on the same connection").isEqualTo(401);
        }
    }

    @Test
    void aBodyTooLargeToDropIsNotWaitedFor() throws Exception {
        try (Socket socket = connect(refusing.port())) {
            socket.getOutputStream().write(postHead(PATH, UnreadBody.MAX_DRAINED_BYTES + 1));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();

            assertThat(readStatus(in)).isEqualTo(401);
            assertThat(in.read()).as("the connection closes rather than wait for the upload").isEqualTo(-1);
        }
    }
}
