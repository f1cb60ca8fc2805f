package archway.platform.tier.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.eclipse.jetty.server.Request;

/**
 * The stored variants of one URL, the cache's value per primary key. Immutable: a change
 * makes a new one, swapped in with {@code compute}, so a hit reads a consistent set without
 * a lock. At most {@link #MAX} variants (the oldest goes first), so a header with endless
 * values cannot grow one URL without bound.
 */
record Variants(CachedResponse[] entries) {

    static final int MAX = 16;

    /** The entry {@code request} selects, if one is stored; with {@code authorized}, only one that allows that. */
    CachedResponse find(Request request, boolean authorized) {
        for (CachedResponse entry : entries) {
            if ((!authorized || entry.allowsAuthorized()) && entry.fits(request)) {
                return entry;
            }
        }
        return null;
    }

    /** These variants with {@code entry} first, replacing the same variant and any past its retention. */
    static Variants with(Variants current, CachedResponse entry, long nowNanos) {
        List<CachedResponse> kept = new ArrayList<>();
        kept.add(entry);
        if (current != null) {
            for (CachedResponse other : current.entries) {
                if (kept.size() < MAX && other.retainUntilNanos() > nowNanos
                        && !other.isVariant(entry.varyNames(), entry.varyValues())) {
                    kept.add(other);
                }
            }
        }
        return new Variants(kept.toArray(CachedResponse[]::new));
    }

    /** These variants without those {@code drop} selects; {@code null} when none is left. */
    Variants without(Predicate<CachedResponse> drop) {
        List<CachedResponse> kept = new ArrayList<>();
        for (CachedResponse entry : entries) {
            if (!drop.test(entry)) {
                kept.add(entry);
            }
        }
        return kept.isEmpty() ? null : new Variants(kept.toArray(CachedResponse[]::new));
    }

    int weight() {
        int weight = 0;
        for (CachedResponse entry : entries) {
            weight += entry.weight();
        }
        return weight;
    }

    /** When the last variant's retention ends. */
    long retainUntilNanos() {
        long until = Long.MIN_VALUE;
        for (CachedResponse entry : entries) {
            until = Math.max(until, entry.retainUntilNanos());
        }
        return until;
    }
}
