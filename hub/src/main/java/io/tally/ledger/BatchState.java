package io.tally.ledger;

import io.tally.catalog.Listing;
import io.tally.event.InboxStatus;
import io.tally.event.KeyKind;
import io.tally.ledger.StockItemRepository.StockItem;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The batch's books in memory while its rules run: what they decided so far, over the snapshot they started from.
 * No database: {@link #decisions()} is what {@link BatchWriter} writes.
 */
final class BatchState {

    private static final Logger log = LoggerFactory.getLogger(BatchState.class);

    private final BatchSnapshot snapshot;
    /** The batch's current copy of each listing: a waiting row's listing, locked later, replaces an untouched one. */
    private final Map<Long, Listing> listings;

    private final Map<String, OrderLine> lines = new HashMap<>();
    private final Map<String, Long> pendingDeltas = new HashMap<>();
    /** Per listing: [known, synced] as changed in this batch so far; Long.MIN_VALUE stands for null. */
    private final Map<Long, long[]> listingLevels = new LinkedHashMap<>();

    private final List<LedgerEntry> entries = new ArrayList<>();
    private final Map<Long, Outcome> outcomes = new LinkedHashMap<>();
    private final Set<String> touchedItems = new HashSet<>();
    private final Deque<String> linesWithNewBookings = new ArrayDeque<>();
    private final Set<String> checkedLines = new HashSet<>();
    private final Map<String, List<InboxRow>> waitingInBatch = new HashMap<>();
    /** Per listing: the channel's time of the newest observation applied in this batch. */
    private final Map<Long, Instant> observedAt = new HashMap<>();
    /** Per listing: the undecided level as changed in this batch (an entry, even null, overrides the snapshot). */
    private final Map<Long, Undecided> undecided = new HashMap<>();

    private final Set<Long> undecidedChanged = new LinkedHashSet<>();

    BatchState(BatchSnapshot snapshot) {
        this.snapshot = snapshot;
        this.listings = new HashMap<>(snapshot.listings());
        snapshot.lines().forEach((key, line) -> lines.put(key, line.copy()));
    }

    StockItem item(String itemKey) {
        return snapshot.items().get(itemKey);
    }

    Listing listing(long id) {
        return listings.get(id);
    }

    /** A waiting row's listing, locked after the batch began: taken unless the batch already changed its levels. */
    Listing adoptLocked(Listing locked) {
        if (locked != null && !listingLevels.containsKey(locked.id())) {
            listings.put(locked.id(), locked);
        }
        return locked;
    }

    OrderLine line(InboxRow row) {
        return lines.get(OrderLine.key(row.store(), row.orderId(), row.lineId()));
    }

    /** The row's order line, started (nothing booked) when the batch has none. */
    OrderLine lineOrNew(InboxRow row, String itemKey) {
        return lines.computeIfAbsent(
                OrderLine.key(row.store(), row.orderId(), row.lineId()),
                k -> new OrderLine(row.store(), row.orderId(), row.lineId(), itemKey, 0, 0, 0));
    }

    void newBookingOn(OrderLine line) {
        linesWithNewBookings.add(line.key());
    }

    boolean hasNewBookings() {
        return !linesWithNewBookings.isEmpty();
    }

    /** Lines booked since the last call whose waiting cancels and restocks were not looked for yet. */
    Map<String, OrderLine> takeNewlyBookedLines() {
        Map<String, OrderLine> booked = new LinkedHashMap<>();
        for (String key : linesWithNewBookings) {
            if (checkedLines.add(key)) {
                booked.put(key, lines.get(key));
            }
        }
        linesWithNewBookings.clear();
        return booked;
    }

    void waitInBatch(InboxRow row) {
        waitingInBatch
                .computeIfAbsent(OrderLine.key(row.store(), row.orderId(), row.lineId()), k -> new ArrayList<>())
                .add(row);
    }

    List<InboxRow> waitingInBatch(String lineKey) {
        return waitingInBatch.getOrDefault(lineKey, List.of());
    }

    /** Books a change of an item: a bundle's is booked on each of its components, it has no count of its own. */
    void book(String itemKey, long delta, String kind, InboxRow row) {
        Map<String, Integer> parts = item(itemKey) != null && item(itemKey).bundle()
                ? snapshot.components().getOrDefault(itemKey, Map.of())
                : Map.of();
        if (parts.isEmpty()) {
            addEntry(itemKey, delta, kind, row.idemKey(), row);
            return;
        }
        parts.forEach((component, perBundle) ->
                addEntry(component, delta * perBundle, kind, row.idemKey() + ":" + component, row));
    }

    private void addEntry(String itemKey, long delta, String kind, String entryKey, InboxRow row) {
        String ref = row.keyKind() == KeyKind.REF ? row.keyValue() : null;
        entries.add(new LedgerEntry(itemKey, delta, kind, entryKey, row.eventId(), row.store(), ref, null));
        pendingDeltas.merge(itemKey, delta, Long::sum);
        touchedItems.add(itemKey);
    }

    long currentOnHand(String itemKey) {
        return item(itemKey).onHand() + pendingDeltas.getOrDefault(itemKey, 0L);
    }

    void touch(String itemKey) {
        touchedItems.add(itemKey);
    }

    private long[] levels(Listing listing) {
        return listingLevels.computeIfAbsent(listing.id(), id -> new long[] {
            listing.knownLevel() == null ? Long.MIN_VALUE : listing.knownLevel(),
            listing.syncedLevel() == null ? Long.MIN_VALUE : listing.syncedLevel()
        });
    }

    Long known(Listing listing) {
        return nullable(levels(listing)[0]);
    }

    Long synced(Listing listing) {
        return nullable(levels(listing)[1]);
    }

    void setLevels(Listing listing, Long known, Long synced) {
        long[] levels = levels(listing);
        levels[0] = known == null ? Long.MIN_VALUE : known;
        levels[1] = synced == null ? Long.MIN_VALUE : synced;
        touchedItems.add(listing.itemKey());
    }

    /** The listing is no longer known to hold its target: the next push sets it again. */
    void unsynced(Listing listing) {
        levels(listing)[1] = Long.MIN_VALUE;
        touchedItems.add(listing.itemKey());
    }

    void shiftKnown(Listing listing, long delta) {
        Long known = known(listing);
        setLevels(listing, known == null ? null : known + delta, synced(listing));
    }

    void shiftSynced(Listing listing, long delta) {
        Long synced = synced(listing);
        setLevels(listing, known(listing), synced == null ? null : synced + delta);
    }

    /**
     * The channel moved its own level (an order, a restock): Tally's model follows, known and synced together, and is
     * now as new as that move on the channel's clock.
     */
    void channelMoved(Listing listing, long delta, InboxRow row) {
        Long known = known(listing);
        Long synced = synced(listing);
        setLevels(listing, known == null ? null : known + delta, synced == null ? null : synced + delta);
        channelTimeAdvances(listing, row);
    }

    /** A level snapshot taken before this move on the channel's clock is recognised as stale. */
    void channelTimeAdvances(Listing listing, InboxRow row) {
        if (row.occurredAt() != null) {
            observedAt.merge(listing.id(), row.occurredAt(), (a, b) -> a.isAfter(b) ? a : b);
        }
    }

    void observedAt(Listing listing, Instant at) {
        observedAt.put(listing.id(), at);
    }

    /** The channel time Tally knows the listing at: stored, or of an observation applied in this batch. */
    Instant knownAt(Listing listing) {
        return BookingRules.later(observedAt.get(listing.id()), listing.knownAt());
    }

    Undecided undecided(Listing listing) {
        if (!undecided.containsKey(listing.id())) {
            undecided.put(listing.id(), snapshot.undecided().get(listing.id()));
        }
        return undecided.get(listing.id());
    }

    void setUndecided(Listing listing, Undecided value) {
        undecided.put(listing.id(), value);
        undecidedChanged.add(listing.id());
    }

    /** The levels Tally's pushes wrote within the channel second the listing is known at. */
    List<Long> writtenLevels(Listing listing) {
        return snapshot.writtenLevels().getOrDefault(listing.id(), List.of());
    }

    Outcome outcome(InboxRow row) {
        return outcomes.get(row.id());
    }

    void finish(InboxRow row, Outcome outcome) {
        outcomes.put(row.id(), outcome);
        if (outcome.status() == InboxStatus.REJECTED) {
            log.warn(
                    "event {} of store {} rejected and kept for review: {}",
                    row.eventId(),
                    row.store(),
                    outcome.prose());
        }
    }

    BatchDecisions decisions() {
        Map<Long, BatchDecisions.Levels> levels = new LinkedHashMap<>();
        listingLevels.forEach((id, l) ->
                levels.put(id, new BatchDecisions.Levels(nullable(l[0]), nullable(l[1]), observedAt.get(id))));
        Map<Long, Undecided> undecidedChanges = new LinkedHashMap<>();
        undecidedChanged.forEach(id -> undecidedChanges.put(id, undecided.get(id)));
        return new BatchDecisions(
                entries,
                lines.values().stream().filter(l -> l.dirty).toList(),
                levels,
                undecidedChanges,
                outcomes,
                touchedItems,
                snapshot.items());
    }

    private static Long nullable(long value) {
        return value == Long.MIN_VALUE ? null : value;
    }
}
