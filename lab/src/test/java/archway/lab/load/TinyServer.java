package archway.lab.load;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on a free loopback port, for the load generator's tests: JDK's own
 * server with <em>one</em> handler thread, so a handler that stalls holds up every request
 * behind it, as an overloaded server would.
 */
final class TinyServer implements AutoCloseable {

    /** What the server answers one request with. */
    record Answer(int status, String body) {
        static Answer ok(String body) {
            return new Answer(200, body);
        }
    }

    /** Decides the answer; {@code n} counts the requests received, from 1. */
    @FunctionalInterface
    interface Handler {
        Answer answer(HttpExchange exchange, int n, TinyServer server) throws InterruptedException;
    }

    private final HttpServer server;
    private final ExecutorService thread = Executors.newSingleThreadExecutor();
    private final AtomicInteger received = new AtomicInteger();
    private final CountDownLatch closing = new CountDownLatch(1);

    private TinyServer(Handler handler) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(thread);
        server.createContext("/", exchange -> respond(exchange, handler));
        server.start();
    }

    static TinyServer start(Handler handler) {
        try {
            return new TinyServer(handler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code 200 {}} to everything at once. */
    static TinyServer answeringOk() {
        return start((exchange, n, server) -> Answer.ok("{}"));
    }

    /** Holds the first request for {@code stall}, then answers {@code 200} to everything at once. */
    static TinyServer stallingFirst(Duration stall) {
        return start((exchange, n, server) -> {
            if (n == 1) {
                server.stall(stall);
            }
            return Answer.ok("{}");
        });
    }

    /** Blocks the handler thread for {@code stall}, or until the server closes. */
    void stall(Duration stall) throws InterruptedException {
        closing.await(stall.toMillis(), TimeUnit.MILLISECONDS);
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Requests received so far. */
    int received() {
        return received.get();
    }

    private void respond(HttpExchange exchange, Handler handler) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            Answer answer = handler.answer(exchange, received.incrementAndGet(), this);
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        thread.shutdownNow();
    }
}
