package io.tally.api;

import java.util.List;

/**
 * The state of a listing, decided once, in SQL, for every view that shows or counts it (an item's listings, the
 * items list, the per-store panel): the status page only displays it.
 *
 * <ul>
 * <li>{@code hidden}: never pushed (a hidden product, or a listing unlinked from its item);</li>
 * <li>{@code in_sync}: the channel is known to hold the target (pushed and confirmed, or observed at it);</li>
 * <li>{@code dead_letter}: the push ran out of retries (an open dead letter) and waits for a redrive or the sweeper;</li>
 * <li>{@code failed}: the last push attempt failed and it is being retried;</li>
 * <li>{@code never_pushed}: the target differs from what the channel holds and Tally never pushed this listing;</li>
 * <li>{@code pending}: a push of the target is queued or in flight.</li>
 * </ul>
 */
final class ListingStates {

    static final List<String> ALL = List.of("in_sync", "pending", "never_pushed", "failed", "dead_letter", "hidden");

    /** Listings that are not where they should be (what "out of sync" counts). */
    static final List<String> OUT_OF_SYNC = List.of("pending", "never_pushed", "failed", "dead_letter");

    /** {@link #OUT_OF_SYNC} as an SQL list of literals. */
    static final String OUT_OF_SYNC_SQL =
            String.join(", ", OUT_OF_SYNC.stream().map(s -> "'" + s + "'").toList());

    /**
     * SQL for the state of listing {@code l}. The dead-letter and attempt look-ups run only for listings off target
     * (CASE stops at the first true branch), so counting a store's listings costs one index probe per such listing.
     */
    static final String STATE_OF_L = """
            CASE WHEN l.hidden THEN 'hidden'
                 WHEN l.synced_level = l.target THEN 'in_sync'
                 WHEN l.push_failed OR EXISTS (SELECT 1 FROM dead_letter d
                                               WHERE d.listing_id = l.id AND d.status = 'open') THEN 'dead_letter'
                 WHEN (SELECT a.outcome FROM push_attempt a WHERE a.listing_id = l.id
                       ORDER BY a.at DESC, a.id DESC LIMIT 1) = 'failed' THEN 'failed'
                 WHEN l.last_pushed IS NULL AND l.inflight_level IS NULL THEN 'never_pushed'
                 ELSE 'pending' END""";

    private ListingStates() {}
}
