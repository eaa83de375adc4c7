package io.tally.ledger;

import io.tally.catalog.Listing;
import io.tally.ledger.StockItemRepository.StockItem;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Everything one batch reads, read and locked by {@link BatchSnapshotLoader} before any rule runs: the rules decide
 * over this alone. Order lines are the rules' starting point; {@link BatchState} works on copies.
 *
 * @param rows the pending events, level snapshots last
 * @param targets per inbox id, what the event is about
 * @param items the locked stock items: the events' items, their components and the bundles containing them
 * @param components per bundle, units of each component
 * @param lines the order lines the events name, by {@link OrderLine#key()}
 * @param listings the listings the events name (locked; as re-read under the lock)
 * @param undecided per listing a level snapshot may be judged on, the level its time could not decide
 * @param writtenLevels per such listing, the levels Tally's pushes wrote in the second it is known at
 */
record BatchSnapshot(
        List<InboxRow> rows,
        Map<Long, EventTarget> targets,
        Map<String, StockItem> items,
        Map<String, Map<String, Integer>> components,
        Map<String, OrderLine> lines,
        Map<Long, Listing> listings,
        Map<Long, Undecided> undecided,
        Map<Long, List<Long>> writtenLevels) {

    BatchSnapshot {
        rows = List.copyOf(rows);
        targets = Collections.unmodifiableMap(targets);
        items = Collections.unmodifiableMap(items);
        components = Collections.unmodifiableMap(components);
        lines = Collections.unmodifiableMap(lines);
        listings = Collections.unmodifiableMap(listings);
        undecided = Collections.unmodifiableMap(undecided);
        writtenLevels = Collections.unmodifiableMap(writtenLevels);
    }
}
