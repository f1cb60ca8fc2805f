package archway.platform.telemetry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request and component, carrying the trace id so a request can be followed
 * hop by hop through every component's log: {@code grep <trace id> var/logs/*.log}.
 */
public final class AccessLog {

    private static final Logger LOG = LoggerFactory.getLogger("archway.access");

    private AccessLog() {
    }

    public static void log(String traceId, String requestId, String method, String target, int status, long nanos) {
        if (LOG.isInfoEnabled()) {
            LOG.info("trace_id={} request_id={} {} {} {} {}us", traceId, requestId, method, target, status, nanos / 1000);
        }
    }
}
