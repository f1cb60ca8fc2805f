package archway.lab.load;

import java.util.Locale;

/** What the load does: the {@code --scenario} option's values. */
enum Scenario {
    /** Product pages by Zipf popularity and some listing pages: the read path, cache included. */
    BROWSE,
    /** Placing orders as a few shoppers, then following them to a terminal status: the write path. */
    ORDER,
    /** One request again and again, the same path and headers: the cost and latency of one route or hop. */
    FIXED;

    /** The name on the command line and in reports. */
    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
