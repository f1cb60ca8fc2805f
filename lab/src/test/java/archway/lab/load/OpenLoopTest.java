package archway.lab.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpenLoopTest {

    private static final long MS = 1_000; // the histogram holds microseconds

    private final LoadClient client = LoadClient.start(64, 2_000, Duration.ofSeconds(5));
    private final List<String> notes = new ArrayList<>();

    @AfterEach
    void stopClient() {
        client.close();
    }

    @Test
    void sendsRateTimesDurationRequestsAndMeasuresEachAnswer() throws InterruptedException {
        try (TinyServer server = TinyServer.answeringOk()) {
            RunResult run = run(server.url(), schedule(200, Duration.ZERO, Duration.ofSeconds(1), 2_000));

            assertThat(run.scheduled()).isEqualTo(200);
            assertThat(run.dropped()).isZero();
            assertThat(server.received()).isEqualTo(200);
            assertThat(run.counts().count(200)).isEqualTo(200);
            assertThat(run.counts().byClass()).containsEntry("2xx", 200L);
            assertThat(run.latency().getTotalCount()).isEqualTo(200);
        }
    }

    @Test
    void warmUpRequestsAreSentButNotRecorded() throws InterruptedException {
        try (TinyServer server = TinyServer.answeringOk()) {
            RunResult run = run(server.url(), schedule(100, Duration.ofMillis(200), Duration.ofMillis(300), 2_000));

            assertThat(server.received()).isEqualTo(50);
            assertThat(run.scheduled()).isEqualTo(30);
            assertThat(run.latency().getTotalCount()).isEqualTo(30);
            assertThat(notes).anyMatch(note -> note.startsWith("warming up")).anyMatch(note -> note.startsWith("measuring"));
        }
    }

    @Test
    void aServerStallShowsInTheRequestsQueuedBehindIt() throws InterruptedException {
        try (TinyServer server = TinyServer.stallingFirst(Duration.ofMillis(300))) {
            RunResult run = run(server.url(), schedule(50, Duration.ZERO, Duration.ofSeconds(1), 2_000));

            assertThat(run.counts().count(200)).isEqualTo(50);
            assertThat(run.latency().getMaxValue()).isGreaterThanOrEqualTo(300 * MS);
            // slots at 20, 40 ... 140 ms waited for the stalled one to end at 300 ms: 160 ms and more each
            assertThat(run.latency().getCountBetweenValues(150 * MS, Long.MAX_VALUE)).isGreaterThanOrEqualTo(6);
        }
    }

    @Test
    void aLateSchedulingThreadCountsInTheLatencyOfTheRequestsItDelayed() throws InterruptedException {
        try (TinyServer server = TinyServer.answeringOk()) {
            Workload pausesOnce = new StallingWorkload(server.url(), Duration.ofMillis(300));

            RunResult run = new OpenLoop(client.http(), pausesOnce, schedule(50, Duration.ZERO, Duration.ofSeconds(1), 2_000),
                    Ticker.system(), notes::add).run();

            // the server answered each at once; the slots the pause covered were sent late, and that shows
            assertThat(run.counts().count(200)).isEqualTo(50);
            assertThat(run.latency().getCountBetweenValues(150 * MS, Long.MAX_VALUE)).isGreaterThanOrEqualTo(6);
        }
    }

    @Test
    void slotsBeyondTheInFlightBoundAreDroppedAndCounted() throws InterruptedException {
        try (TinyServer server = TinyServer.stallingFirst(Duration.ofMillis(300))) {
            RunResult run = run(server.url(), schedule(50, Duration.ZERO, Duration.ofSeconds(1), 1));

            // while the first request is stalled, the 14 or so slots that come up find the bound reached
            assertThat(run.dropped()).isGreaterThanOrEqualTo(5);
            assertThat(run.sent() + run.dropped()).isEqualTo(50);
            assertThat(run.counts().responses()).isEqualTo(run.sent());
            assertThat(server.received()).isEqualTo((int) run.sent());
        }
    }

    @Test
    void requestsThatCannotConnectAreConnectErrors() throws InterruptedException, IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        RunResult run = run("http://127.0.0.1:" + closedPort, schedule(20, Duration.ZERO, Duration.ofMillis(500), 2_000));

        assertThat(run.counts().errors()).containsEntry("connect", 10L).containsEntry("timeout", 0L);
        assertThat(run.counts().errorExamples()).containsKey("connect");
        assertThat(run.counts().responses()).isZero();
        assertThat(run.latency().getTotalCount()).isZero();
    }

    @Test
    void requestsWithoutAnAnswerInTimeAreTimeouts() throws InterruptedException {
        try (TinyServer server = TinyServer.stallingFirst(Duration.ofSeconds(30))) {
            OpenLoop.Schedule schedule = new OpenLoop.Schedule(10, Duration.ZERO, Duration.ofMillis(300), 2_000,
                    Duration.ofMillis(200));

            RunResult run = run(server.url(), schedule);

            // the first is stalled, and the single-threaded server answers nobody behind it
            assertThat(run.counts().errors()).containsEntry("timeout", 3L);
        }
    }

    private RunResult run(String target, OpenLoop.Schedule schedule) throws InterruptedException {
        Workload root = new BrowseWorkload(target, 0.99, 0.1, 1, List.of());
        return new OpenLoop(client.http(), root, schedule, Ticker.system(), notes::add).run();
    }

    private static OpenLoop.Schedule schedule(long rate, Duration warmup, Duration duration, int maxInFlight) {
        return new OpenLoop.Schedule(rate, warmup, duration, maxInFlight, Duration.ofSeconds(5));
    }

    /** Asks for {@code /}, and the first time, keeps the scheduling thread busy for a while (as a GC pause would). */
    private static final class StallingWorkload implements Workload {
        private final String target;
        private final Duration pause;
        private boolean paused;

        StallingWorkload(String target, Duration pause) {
            this.target = target;
            this.pause = pause;
        }

        @Override
        public Request next(HttpClient client) {
            if (!paused) {
                paused = true;
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return client.newRequest(target + "/");
        }
    }
}
