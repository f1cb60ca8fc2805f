package archway.platform.telemetry;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.core.FileAppender;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * Sends this process's log (logback's events and the {@link AccessLog}) to a file instead of
 * standard output: the launcher's own log, so the terminal of {@code ./archway up} shows the
 * diagram rather than every request.
 */
public final class LogFile {

    private static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level [%property{archway.component}] %logger{20} %msg%n";

    private LogFile() {
    }

    public static void redirectTo(Path file) {
        AccessLog.sendTo(file);
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        FileAppender<ILoggingEvent> fileAppender = new FileAppender<>();
        fileAppender.setContext(context);
        fileAppender.setName("FILE");
        fileAppender.setFile(file.toString());
        fileAppender.setAppend(true);
        fileAppender.setEncoder(encoder);
        fileAppender.start();
        // An AsyncAppender takes one appender for its whole life, so a new one replaces it.
        AsyncAppender async = new AsyncAppender();
        async.setContext(context);
        async.setName("ASYNC");
        async.setQueueSize(8192);
        async.setDiscardingThreshold(0);
        async.setNeverBlock(true);
        async.addAppender(fileAppender);
        async.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        root.addAppender(async);
    }
}
