package io.tally.ledger;

import io.tally.ledger.StockItemRepository.StockItem;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a batch's rules decided, for {@link BatchWriter} to write.
 *
 * @param entries ledger entries to insert (a repeated entry key inserts nothing)
 * @param lines order lines changed by the batch
 * @param levels per listing whose levels the batch changed: what the channel holds and what Tally accepts
 * @param undecided per listing whose undecided level changed: the new one (null: none any more)
 * @param outcomes per inbox id, in the order decided
 * @param touchedItems items whose listings' targets are recomputed
 * @param items the locked items as read, to tell which ones this batch oversold
 */
record BatchDecisions(
        List<LedgerEntry> entries,
        List<OrderLine> lines,
        Map<Long, Levels> levels,
        Map<Long, Undecided> undecided,
        Map<Long, Outcome> outcomes,
        Set<String> touchedItems,
        Map<String, StockItem> items) {

    BatchDecisions {
        entries = List.copyOf(entries);
        lines = List.copyOf(lines);
        levels = Collections.unmodifiableMap(levels);
        undecided = Collections.unmodifiableMap(undecided);
        outcomes = Collections.unmodifiableMap(outcomes);
        touchedItems = Collections.unmodifiableSet(touchedItems);
        items = Collections.unmodifiableMap(items);
    }

    /** A listing's levels after the batch; observedAt is the newest channel time applied (null: none). */
    record Levels(Long known, Long synced, Instant observedAt) {}

    /** Events finished by the batch: all but those left waiting. */
    int finished() {
        return (int) outcomes.values().stream().filter(o -> !o.waiting()).count();
    }
}
