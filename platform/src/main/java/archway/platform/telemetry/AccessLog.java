package archway.platform.telemetry;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One line per request and component, carrying the trace id, so a request can be followed
 * hop by hop through every component's log: {@code grep <trace id> var/logs/*.log}.
 *
 * <h2>Design notes</h2>
 * Every hop of the read path writes a line for every request, so the cost of a line is paid
 * three or four times per request. Through logback (an async appender in front of a
 * flushing console or file appender) each line became one {@code write(2)} call, and the
 * access log alone took about 14 µs of machine time per request and hop on a 2-core machine
 * (measured with wrk: 31k requests/s to an instance with it, 39k without). Here one daemon
 * thread drains a bounded queue and writes everything queued in one call, flushing whenever
 * the queue runs empty: under load many lines share one system call, and at rest each line
 * is written at once, so {@code tail -f} and tests see it immediately. Requests never wait
 * for the log: when the queue is full the line is dropped and counted
 * ({@link #dropped()}, on every component's {@code /metrics} as
 * {@code archway_access_log_dropped_total}). See docs/decisions/0004-access-log.md.
 *
 * <p>{@code -Darchway.access.level=OFF} turns the lines off, for throughput experiments.
 */
public final class AccessLog {

    private static final int QUEUE_LINES = 16_384;
    private static final int BATCH_LINES = 1_024;
    private static final ZoneId ZONE = ZoneId.systemDefault();
    private static final boolean ENABLED = !"OFF".equalsIgnoreCase(System.getProperty("archway.access.level", "INFO"));

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    private static final BlockingQueue<Entry> QUEUE = new ArrayBlockingQueue<>(QUEUE_LINES);
    private static final AtomicLong DROPPED = new AtomicLong();
    private static volatile OutputStream sink = System.out;

    static {
        if (ENABLED) {
            Thread.ofPlatform().daemon().name("access-log").start(AccessLog::drain);
        }
    }

    private AccessLog() {
    }

    /** One request, as taken on the request's thread: formatting happens on the writer's. */
    private record Entry(long epochMillis, String component, String traceId, String requestId, String method, String target, int status,
                         long nanos) {
        void appendTo(StringBuilder out) {
            TIME.formatTo(LocalTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZONE), out);
            out.append(" INFO  [").append(component).append("] access trace_id=").append(traceId)
                    .append(" request_id=").append(requestId).append(' ').append(method).append(' ').append(target)
                    .append(' ').append(status).append(' ').append(nanos / 1000).append("us\n");
        }
    }

    /** Records one request; never blocks. */
    public static void log(String component, String traceId, String requestId, String method, String target, int status,
                           long nanos) {
        if (ENABLED && !QUEUE.offer(new Entry(System.currentTimeMillis(), component, traceId, requestId, method, target, status, nanos))) {
            DROPPED.incrementAndGet();
        }
    }

    /** Sends the lines to {@code file} (appending) instead of standard output. */
    public static void sendTo(Path file) {
        try {
            sink = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the access log " + file, e);
        }
    }

    /** Lines dropped because the writer could not keep up. */
    public static long dropped() {
        return DROPPED.get();
    }

    private static void drain() {
        List<Entry> batch = new ArrayList<>(BATCH_LINES);
        StringBuilder text = new StringBuilder(64 * 1024);
        while (true) {
            try {
                Entry first = QUEUE.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                QUEUE.drainTo(batch, BATCH_LINES - 1);
                for (Entry entry : batch) {
                    entry.appendTo(text);
                }
                OutputStream out = sink;
                out.write(text.toString().getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException | RuntimeException e) {
                DROPPED.addAndGet(batch.size());
            } finally {
                batch.clear();
                text.setLength(0);
            }
        }
    }
}
