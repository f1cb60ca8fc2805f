package archway.lab.load;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * How the accepted orders ended, once followed.
 *
 * @param followed      orders followed
 * @param terminal      orders that reached a terminal status, by status
 * @param reasons       rejected orders by their reason
 * @param unsettled     orders not seen terminal when the settle time was up
 * @param neverAnswered of the unsettled, those for which no look got an answer (not asked in
 *                      time, or every look failed)
 * @param pollErrors    looks that failed (no answer, not {@code 200}, or not an order)
 * @param toTerminal    time from first {@code PENDING} to terminal, by the server's clocks, of the
 *                      terminal orders whose history says
 */
record Settlement(long followed, Map<String, Long> terminal, Map<String, Long> reasons, long unsettled,
                  long neverAnswered, long pollErrors, Percentiles toTerminal) {

    Settlement {
        terminal = Collections.unmodifiableMap(new TreeMap<>(terminal));
        reasons = Collections.unmodifiableMap(new TreeMap<>(reasons));
    }
}
