package io.tally.ledger;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.tally.catalog.Listing;
import io.tally.catalog.ListingRepository;
import io.tally.catalog.TargetRefresher;
import io.tally.event.EventType;
import io.tally.event.KeyKind;
import io.tally.ledger.StockItemRepository.StockItem;
import io.tally.policy.StoreProperties;
import io.tally.policy.StoreProperties.AdjustmentPolicy;
import io.tally.policy.StoreProperties.BookOn;
import io.tally.policy.StoreProperties.RestockOn;
import io.tally.policy.StoreRegistry;
import io.tally.support.SqlArrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * One batch, inside one transaction: lock the pending inbox rows and their stock items, decide what each event
 * books, write it all, and recompute targets. An instance lives for exactly one transaction.
 */
final class BatchApplication {

    private static final Logger log = LoggerFactory.getLogger(BatchApplication.class);

    static final String PENDING = "pending";
    static final String APPLIED = "applied";
    static final String WAITING = "waiting";
    static final String PARKED = "parked";
    static final String REJECTED = "rejected";

    private final NamedParameterJdbcTemplate jdbc;
    private final SqlArrays arrays;
    private final StockItemRepository itemRepository;
    private final LedgerRepository ledger;
    private final ListingRepository listingRepository;
    private final TargetRefresher targets;
    private final StoreRegistry stores;

    private final Map<String, StockItem> items = new HashMap<>();
    private final Map<String, Map<String, Integer>> components = new HashMap<>();
    private final Map<String, Long> pendingDeltas = new HashMap<>();
    private final Map<String, OrderLine> lines = new HashMap<>();
    private final Map<Long, long[]> listingLevels = new LinkedHashMap<>();
    private final Map<Long, Listing> listingsById = new HashMap<>();
    private final List<LedgerEntry> entries = new ArrayList<>();
    private final Map<Long, Outcome> outcomes = new LinkedHashMap<>();
    private final Set<String> touchedItems = new HashSet<>();
    private final Deque<String> linesWithNewBookings = new ArrayDeque<>();
    private final Map<String, List<InboxRow>> waitingInBatch = new HashMap<>();
    /** Per listing: the channel's time of the newest observation applied in this batch. */
    private final Map<Long, Instant> observedAt = new HashMap<>();
    /** Per listing: the level its channel showed that time could not decide (read on first need, written at the end). */
    private final Map<Long, Undecided> undecided = new HashMap<>();
    private final Set<Long> undecidedChanged = new HashSet<>();
    /** Per listing: the levels Tally's pushes wrote within the channel second it knows the listing at. */
    private final Map<Long, List<Long>> writtenLevels = new HashMap<>();
    private final java.time.Duration settleWindow;

    BatchApplication(NamedParameterJdbcTemplate jdbc, SqlArrays arrays, StockItemRepository itemRepository,
            LedgerRepository ledger, ListingRepository listingRepository, TargetRefresher targets,
            StoreRegistry stores, java.time.Duration settleWindow) {
        this.settleWindow = settleWindow;
        this.jdbc = jdbc;
        this.arrays = arrays;
        this.itemRepository = itemRepository;
        this.ledger = ledger;
        this.listingRepository = listingRepository;
        this.targets = targets;
        this.stores = stores;
    }

    AppliedBatch run(List<Long> inboxIds) {
        // Only the inbox commit must wait for the disk: if this commit is lost in a crash, its inbox rows are
        // still pending and are applied again at start-up, all or nothing, like any unapplied batch.
        jdbc.getJdbcTemplate().execute("SET LOCAL synchronous_commit = off");
        List<InboxRow> rows = jdbc.query("SELECT " + InboxRow.COLUMNS + " FROM inbox_event"
                + " WHERE id = ANY(:ids) AND status = 'pending' ORDER BY id FOR UPDATE SKIP LOCKED",
                new MapSqlParameterSource("ids", arrays.int8(inboxIds)), InboxRow::map);
        if (rows.isEmpty()) {
            return AppliedBatch.EMPTY;
        }
        // A level snapshot waits its settle window so that the order or restock that caused it is booked first; when
        // a backlog brings both into one batch, the snapshot (stored first) is still judged after them.
        rows = new ArrayList<>(rows);
        rows.sort(java.util.Comparator.comparing((InboxRow r) -> r.type() == EventType.SET));
        Map<String, Resolved> byKey = resolveAll(rows);
        Map<Long, Resolved> resolved = new HashMap<>();
        for (InboxRow row : rows) {
            resolved.put(row.id(), byKey.get(resolutionKey(row)));
        }
        lockItems(resolved.values().stream().map(Resolved::itemKey).filter(Objects::nonNull).toList());
        relockListings();
        loadLines(rows);

        for (InboxRow row : rows) {
            Resolved target = resolved.get(row.id());
            if (target.listing() != null && target.listing().hidden()) {
                finish(row, Outcome.of(Outcome.Code.HIDDEN_IGNORED, target.listing().ref()));
                continue;
            }
            if (target.itemKey() == null || !items.containsKey(target.itemKey())) {
                finish(row, Outcome.of(Outcome.Code.PARKED_UNKNOWN_KEY, row.keyKind().wireName(),
                        abbreviated(row.keyValue())));
                continue;
            }
            apply(row, target);
        }
        applyWaitingReturns();
        return write();
    }

    /** The stock item (and listing, when the event names one) an event is about. */
    private record Resolved(String itemKey, Listing listing, boolean ambiguous) {
    }

    private static String resolutionKey(InboxRow row) {
        return row.store() + '\u0000' + row.keyKind() + '\u0000' + row.keyValue();
    }

    /** What each distinct (store, key) of the batch is about, read with one query per kind of key. */
    private Map<String, Resolved> resolveAll(List<InboxRow> rows) {
        Map<String, InboxRow> byRef = new LinkedHashMap<>();
        Map<String, InboxRow> byStockKey = new LinkedHashMap<>();
        for (InboxRow row : rows) {
            (row.keyKind() == KeyKind.REF ? byRef : byStockKey).putIfAbsent(resolutionKey(row), row);
        }
        Map<String, Resolved> resolved = new HashMap<>();
        if (!byRef.isEmpty()) {
            Map<String, Listing> found = new HashMap<>();
            listingRepository.findByRefs(byRef.values().stream().map(InboxRow::store).toList(),
                    byRef.values().stream().map(InboxRow::keyValue).toList())
                    .forEach(listing -> found.put(listing.store() + '\u0000' + listing.ref(), listing));
            byRef.forEach((key, row) -> resolved.put(key,
                    resolvedRef(found.get(row.store() + '\u0000' + row.keyValue()))));
        }
        if (!byStockKey.isEmpty()) {
            Map<String, List<Listing>> found = new HashMap<>();
            listingRepository.findInStores(byStockKey.values().stream().map(InboxRow::store).toList(),
                    byStockKey.values().stream().map(InboxRow::keyValue).toList())
                    .forEach(listing -> found.computeIfAbsent(listing.store() + '\u0000' + listing.itemKey(),
                            k -> new ArrayList<>()).add(listing));
            byStockKey.forEach((key, row) -> resolved.put(key, resolvedStockKey(row,
                    found.getOrDefault(row.store() + '\u0000' + row.keyValue(), List.of()))));
        }
        return resolved;
    }

    private Resolved resolve(InboxRow row) {
        return resolveAll(List.of(row)).get(resolutionKey(row));
    }

    private Resolved resolvedRef(Listing listing) {
        return listing == null ? new Resolved(null, null, false) : new Resolved(listing.itemKey(), remember(listing), false);
    }

    /** @param inStore the store's listings of the event's stock key, master first */
    private Resolved resolvedStockKey(InboxRow row, List<Listing> inStore) {
        inStore.forEach(this::remember);
        Listing listing = null;
        boolean ambiguous = false;
        if (!inStore.isEmpty()) {
            if (inStore.get(0).master() || inStore.size() == 1) {
                listing = inStore.get(0);
            } else {
                ambiguous = true;
            }
        }
        return new Resolved(row.keyValue(), listing, ambiguous);
    }

    /** The listing a waiting event names, locked like those of the batch (null when it names none). */
    private Listing lockedListing(InboxRow row) {
        Listing listing = resolve(row).listing();
        if (listing == null) {
            return null;
        }
        Listing locked = jdbc.query("SELECT " + Listing.COLUMNS + " FROM listing WHERE id = :id FOR UPDATE",
                Map.of("id", listing.id()), Listing::map).stream().findFirst().orElse(null);
        if (locked != null && !listingLevels.containsKey(locked.id())) {
            listingsById.put(locked.id(), locked);
        }
        return locked;
    }

    private Listing remember(Listing listing) {
        listingsById.putIfAbsent(listing.id(), listing);
        return listing;
    }

    private void lockItems(List<String> keys) {
        Set<String> wanted = new HashSet<>(keys);
        components.putAll(itemRepository.components(wanted));
        components.values().forEach(c -> wanted.addAll(c.keySet()));
        wanted.addAll(targets.bundlesContaining(wanted));
        items.putAll(itemRepository.lock(wanted));
    }

    /**
     * Re-reads the listings events name, now under row locks: a push confirmed since they were first read must not
     * be overwritten with the older levels, and none can be confirmed until this batch commits.
     */
    private void relockListings() {
        if (listingsById.isEmpty()) {
            return;
        }
        jdbc.query("SELECT " + Listing.COLUMNS + " FROM listing WHERE id = ANY(:ids) ORDER BY id FOR UPDATE",
                new MapSqlParameterSource("ids", arrays.int8(listingsById.keySet())), Listing::map)
                .forEach(listing -> listingsById.put(listing.id(), listing));
    }

    private void loadLines(List<InboxRow> rows) {
        List<InboxRow> withOrder = rows.stream().filter(r -> r.orderId() != null).toList();
        if (withOrder.isEmpty()) {
            return;
        }
        jdbc.query("""
                SELECT l.store, l.order_id, l.line_id, l.item_key, l.booked, l.returned, l.channel_taken
                FROM order_line l JOIN unnest(:stores, :orders, :lines) AS x(store, order_id, line_id)
                  ON l.store = x.store AND l.order_id = x.order_id AND l.line_id = x.line_id
                """, new MapSqlParameterSource()
                .addValue("stores", arrays.text(withOrder.stream().map(InboxRow::store).toList()))
                .addValue("orders", arrays.text(withOrder.stream().map(InboxRow::orderId).toList()))
                .addValue("lines", arrays.text(withOrder.stream().map(InboxRow::lineId).toList())),
                rs -> {
                    OrderLine line = new OrderLine(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getLong(5), rs.getLong(6), rs.getLong(7));
                    lines.putIfAbsent(line.key(), line);
                });
    }

    private void apply(InboxRow row, Resolved target) {
        StoreProperties store = stores.find(row.store()).orElse(null);
        if (store == null) {
            finish(row, Outcome.of(Outcome.Code.STORE_UNCONFIGURED, row.store()));
            return;
        }
        switch (row.type()) {
            case SALE -> {
                channelTookUnits(row, target, store);
                sale(row, target, store);
            }
            case CANCEL, RESTOCK -> giveBack(row, target, store);
            case ADJUST, SET -> observed(row, target, store);
        }
        if (row.type() != EventType.ADJUST && row.type() != EventType.SET) {
            levelUnsureAfterOwnOrder(target, store);
        }
    }

    /**
     * A channel that takes absolute levels (no compare-and-set) may have had this order's own change to its level
     * overwritten by a push Tally sent before hearing of the order, or may change it again on a cancellation Tally
     * books nothing for: whatever the order did, its listing is no longer known to hold the target, so the target is
     * pushed again (an idempotent absolute set).
     */
    private void levelUnsureAfterOwnOrder(Resolved target, StoreProperties store) {
        if (!store.channelAdjustsOwnLevel() || store.pushComparesAndSets() || target.listing() == null) {
            return;
        }
        Listing listing = listingsById.get(target.listing().id());
        levels(listing)[1] = Long.MIN_VALUE;
        touchedItems.add(listing.itemKey());
    }

    /**
     * A marketplace lowers its own level when it takes an order (whether or not the store books it yet): Tally's
     * model of that listing's level follows once per order line, so the channel's own level change is recognised
     * as a consequence rather than booked a second time.
     *
     * <p>Only the known level moves here. The synced level (what the channel holds in terms of Tally's target)
     * moves when the units are booked: an order a paid-only store has not booked yet is a hold on that listing,
     * so Tally must not push the unit back while it waits for the payment.
     */
    private void channelTookUnits(InboxRow row, Resolved target, StoreProperties store) {
        if (!store.channelAdjustsOwnLevel() || target.listing() == null) {
            return;
        }
        long units = row.quantity();
        if (row.orderId() != null) {
            OrderLine line = lines.computeIfAbsent(OrderLine.key(row.store(), row.orderId(), row.lineId()),
                    k -> new OrderLine(row.store(), row.orderId(), row.lineId(), target.itemKey(), 0, 0, 0));
            units = BookingRules.unitsChannelTakes(row.quantity(), line);
            if (units > 0) {
                line.channelTaken += units;
                line.dirty = true;
            }
        }
        if (units > 0) {
            Listing listing = listingsById.get(target.listing().id());
            if (row.orderId() == null) {
                channelMoved(listing, -units, row); // booked at once, so known and synced move together
            } else {
                shiftKnown(listing, -units);
                channelTimeAdvances(listing, row);
            }
        }
    }

    /**
     * The channel moved its own level (an order, a restock): Tally's model follows, and the model is now as new as
     * that move on the channel's clock, so a level snapshot taken before it (still in flight, or settling) is
     * recognised as stale rather than booked as an edit.
     */
    private void channelMoved(Listing listing, long delta, InboxRow row) {
        shiftLevels(listing, delta);
        channelTimeAdvances(listing, row);
    }

    private void channelTimeAdvances(Listing listing, InboxRow row) {
        if (row.occurredAt() != null) {
            observedAt.merge(listing.id(), row.occurredAt(), (a, b) -> a.isAfter(b) ? a : b);
        }
    }

    private void shiftKnown(Listing listing, long delta) {
        long[] levels = levels(listing);
        setLevels(listing, levels[0] == Long.MIN_VALUE ? null : levels[0] + delta, nullable(levels[1]));
    }

    private void shiftSynced(Listing listing, long delta) {
        long[] levels = levels(listing);
        setLevels(listing, nullable(levels[0]), levels[1] == Long.MIN_VALUE ? null : levels[1] + delta);
    }

    private void shiftLevels(Listing listing, long delta) {
        long[] levels = levels(listing);
        Long known = nullable(levels[0]);
        Long synced = nullable(levels[1]);
        setLevels(listing, known == null ? null : known + delta, synced == null ? null : synced + delta);
    }

    private void sale(InboxRow row, Resolved target, StoreProperties store) {
        OrderLine line = row.orderId() == null ? null : lines.computeIfAbsent(
                OrderLine.key(row.store(), row.orderId(), row.lineId()),
                k -> new OrderLine(row.store(), row.orderId(), row.lineId(), target.itemKey(), 0, 0, 0));
        BookingRules.Decision decision = BookingRules.sale(row, store.bookOn(), line);
        if (decision.units() > 0 && line == null) {
            book(target.itemKey(), -decision.units(), "sale", row);
        } else if (decision.units() > 0) {
            long coveredBefore = line.channelCoveredByBooking();
            line.booked += decision.units();
            line.dirty = true;
            long covered = line.channelCoveredByBooking() - coveredBefore;
            if (covered > 0 && store.channelAdjustsOwnLevel() && target.listing() != null) {
                // Units the channel took (channelTookUnits runs first) and Tally has now booked: the listing's lower
                // level is its target.
                shiftSynced(listingsById.get(target.listing().id()), -covered);
            }
            book(line.itemKey, -decision.units(), "sale", row);
            linesWithNewBookings.add(line.key());
        }
        finish(row, decision.outcome());
    }

    private void giveBack(InboxRow row, Resolved target, StoreProperties store) {
        giveBackOnHand(row, target.itemKey(), store);
        Outcome outcome = outcomes.get(row.id());
        if (outcome != null && outcome.waiting() && row.type() == EventType.CANCEL
                && store.channelAdjustsOwnLevel() && target.listing() != null) {
            releaseHold(row, target);
            return;
        }
        if (outcome != null && !outcome.waiting() && store.channelAdjustsOwnLevel()
                && target.listing() != null) {
            // The channel put the units back on its own shelf whatever Tally books (a refund restock on a store
            // that restocks on returns still raised the channel's level): Tally's model of it follows.
            channelMoved(listingsById.get(target.listing().id()), row.quantity(), row);
        }
    }

    /**
     * A cancelled order Tally never booked (unpaid on a paid-only store): the channel put the units it held back on
     * its shelf. Only the known level follows; the line no longer holds them, so should its sale still arrive
     * (delivered out of order) it is taken, booked and then released like any other.
     */
    private void releaseHold(InboxRow row, Resolved target) {
        OrderLine line = lines.get(OrderLine.key(row.store(), row.orderId(), row.lineId()));
        if (line == null) {
            return;
        }
        long held = BookingRules.unitsHeld(row.quantity(), line);
        if (held > 0) {
            line.channelTaken -= held;
            line.dirty = true;
            Listing listing = listingsById.get(target.listing().id());
            shiftKnown(listing, held);
            channelTimeAdvances(listing, row);
        }
    }

    private void giveBackOnHand(InboxRow row, String itemKey, StoreProperties store) {
        String kind = row.type() == EventType.CANCEL ? "cancel" : "restock";
        OrderLine line = row.orderId() == null ? null
                : lines.get(OrderLine.key(row.store(), row.orderId(), row.lineId()));
        BookingRules.Decision decision = BookingRules.giveBack(row, store.restockOn(), line);
        if (decision.outcome().waiting()) {
            waitingInBatch.computeIfAbsent(OrderLine.key(row.store(), row.orderId(), row.lineId()),
                    k -> new ArrayList<>()).add(row);
        } else if (decision.units() > 0 && line == null) {
            book(itemKey, decision.units(), kind, row);
        } else if (decision.units() > 0) {
            line.returned += decision.units();
            line.dirty = true;
            book(line.itemKey, decision.units(), kind, row);
        }
        finish(row, decision.outcome());
    }

    /** A level change seen on a channel: an echo of Tally's own push, a count on the master, or an adjustment. */
    private void observed(InboxRow row, Resolved target, StoreProperties store) {
        Listing listing = target.listing() == null ? null : listingsById.get(target.listing().id());
        if (target.ambiguous()) {
            finish(row, Outcome.of(Outcome.Code.AMBIGUOUS_KEY, row.store(), row.keyKind().wireName(), row.keyValue()));
            return;
        }
        if (listing == null && row.type() == EventType.SET) {
            finish(row, Outcome.of(Outcome.Code.SET_WITHOUT_LISTING, row.store(), row.keyKind().wireName(),
                    row.keyValue()));
            return;
        }
        // Only a marketplace's level snapshot can be stale; an adjustment is a delta and always counts.
        if (listing != null && row.type() == EventType.SET && row.occurredAt() != null
                && store.channelAdjustsOwnLevel()) {
            Instant knownAt = knownAt(listing);
            if (knownAt != null && !row.occurredAt().isAfter(knownAt)) {
                if (!persistsDespiteItsTime(row, listing, store, knownAt)) {
                    return;
                }
            } else {
                observedAt.put(listing.id(), row.occurredAt());
            }
        }
        StockItem item = items.get(target.itemKey());
        long[] levels = listing == null ? null : levels(listing);
        Long known = levels == null ? null : nullable(levels[0]);
        if (listing != null && item.bundle()) {
            long observed = row.type() == EventType.SET ? row.quantity() : (known == null ? 0 : known) + row.quantity();
            setLevels(listing, observed, observed);
            finish(row, Outcome.of(Outcome.Code.BUNDLE_PUSHED_BACK));
            return;
        }
        long delta;
        Long observedLevel;
        if (row.type() == EventType.SET) {
            long level = row.quantity();
            switch (BookingRules.readSet(level, listing.lastPushed(), listing.inflightLevel(), listing.master(),
                    store.channelAdjustsOwnLevel(), known)) {
                case ECHO -> {
                    setLevels(listing, level, nullable(levels[1]));
                    finish(row, Outcome.of(Outcome.Code.ECHO_IGNORED));
                    return;
                }
                case MASTER_COUNT_AGAINST_KNOWN -> {
                    long count = level - known;
                    if (count != 0) {
                        book(target.itemKey(), count, "count", row);
                    }
                    setLevels(listing, level, nullable(levels[1]));
                    finish(row, count == 0 ? Outcome.of(Outcome.Code.NO_CHANGE)
                            : Outcome.of(Outcome.Code.MASTER_COUNTED, level, count));
                    return;
                }
                case MASTER_COUNT_AGAINST_ON_HAND -> {
                    long count = level - currentOnHand(target.itemKey());
                    if (count != 0) {
                        book(target.itemKey(), count, "count", row);
                    }
                    setLevels(listing, level, nullable(levels[1]));
                    finish(row, Outcome.of(Outcome.Code.MASTER_SET, level));
                    return;
                }
                case BASELINE -> {
                    setLevels(listing, level, level);
                    finish(row, Outcome.of(Outcome.Code.BASELINE_RECORDED));
                    return;
                }
                case NO_CHANGE -> {
                    // Nothing to book, but a push that failed its compare-and-set waits on this to be re-planned.
                    touchedItems.add(listing.itemKey());
                    finish(row, Outcome.of(Outcome.Code.NO_CHANGE));
                    return;
                }
                default -> { // EDIT: a change made on the channel
                    delta = level - known;
                    observedLevel = level;
                }
            }
        } else {
            delta = row.quantity();
            observedLevel = known == null ? null : known + delta;
        }
        AdjustmentPolicy policy = BookingRules.adjustmentPolicy(listing != null && listing.master(),
                store.effectiveAdjustments());
        Long synced = levels == null || levels[1] == Long.MIN_VALUE ? null : levels[1];
        switch (policy) {
            case APPLY -> {
                book(target.itemKey(), delta, "adjustment", row);
                if (listing != null) {
                    // The channel's own figure is not taken as in sync: the recomputed target is pushed to it too,
                    // so every listing ends on Tally's number even if the observation was stale.
                    setLevels(listing, observedLevel, synced);
                }
                finish(row, BookingRules.adjustmentOutcome(policy, delta));
            }
            case IGNORE -> {
                if (listing != null) {
                    setLevels(listing, observedLevel, synced);
                }
                finish(row, BookingRules.adjustmentOutcome(policy, delta));
            }
            case REVERT -> {
                if (listing != null) {
                    // Accept the edited level as what the channel holds, so the target is pushed over it.
                    setLevels(listing, observedLevel, observedLevel);
                }
                finish(row, BookingRules.adjustmentOutcome(policy, delta));
            }
        }
    }

    /**
     * A level snapshot whose channel time is not newer than what Tally knows of the listing. Channel times have whole
     * seconds (Shopify's {@code updated_at}, {@code createdAt}), so "not newer" includes a change the store made in
     * the same second as Tally's own write, which must not be lost. The time cannot decide such a snapshot, so:
     * <ul>
     * <li>a level Tally itself wrote or already knows (its last push, the one in flight, the known level, any level
     * its pushes wrote within that same second) is Tally's echo, or a snapshot from before a change Tally already
     * booked: stale, as before;</li>
     * <li>any other level is <em>undecided</em>: nothing is booked, the level is remembered with the known level it
     * differs from, and on a compare-and-set channel the target is pushed again so that the channel's answer decides
     * (a stale compare makes the channel read its level again, a confirmed one proves it held Tally's level);</li>
     * <li>the same level seen again, against the same known level, at least the longer settle window (read-settle-ms
     * by default) after it was first seen is a difference that persists: it is judged like a newer snapshot, whatever the timestamps (so a read after a
     * failed compare-and-set, or the next reconciliation, always repairs drift).</li>
     * </ul>
     * A sale or restock booked meanwhile changes the known level, so a snapshot taken before it never counts as
     * persisting against the level after it.
     *
     * @return true when the snapshot is to be judged as a newer one; false when it was finished here
     */
    private boolean persistsDespiteItsTime(InboxRow row, Listing listing, StoreProperties store, Instant knownAt) {
        long level = row.quantity();
        Long known = nullable(levels(listing)[0]);
        Undecided before = undecided(listing);
        boolean sameSecond = row.occurredAt().equals(knownAt);
        boolean writtenInKnownSecond = sameSecond && knownAt.equals(listing.knownAt())
                && writtenLevels.getOrDefault(listing.id(), List.of()).contains(level);
        if (BookingRules.staleEcho(level, known, listing.lastPushed(), listing.inflightLevel(), writtenInKnownSecond)) {
            finish(row, Outcome.of(Outcome.Code.STALE_OBSERVATION, level, row.occurredAt(), knownAt));
            return false;
        }
        Instant now = Instant.now();
        if (before != null && before.level() == level && Objects.equals(before.known(), known)
                && !before.since().plus(settleWindow).isAfter(now)) {
            undecided.put(listing.id(), null);
            undecidedChanged.add(listing.id());
            return true;
        }
        boolean same = before != null && before.level() == level && Objects.equals(before.known(), known);
        undecided.put(listing.id(), new Undecided(level, known, same ? before.since() : now));
        undecidedChanged.add(listing.id());
        boolean verify = store.pushComparesAndSets() && sameSecond;
        if (verify) {
            // Not known to hold the target any more: the next push's compare-and-set asks the channel.
            long[] levels = levels(listing);
            levels[1] = Long.MIN_VALUE;
            touchedItems.add(listing.itemKey());
        }
        finish(row, Outcome.of(verify ? Outcome.Code.UNDECIDED_VERIFYING : Outcome.Code.UNDECIDED, level,
                row.occurredAt(), known, knownAt));
        return false;
    }

    /** A level the channel showed that its time could not decide: see {@link #persistsDespiteItsTime}. */
    private record Undecided(long level, Long known, Instant since) {
    }

    /** Also reads the levels Tally wrote in the listing's known second ({@link #writtenLevels}). */
    private Undecided undecided(Listing listing) {
        if (!undecided.containsKey(listing.id())) {
            jdbc.query("SELECT undecided_level, undecided_known, undecided_since, written_levels FROM listing"
                    + " WHERE id = :id", Map.of("id", listing.id()), rs -> {
                        undecided.put(listing.id(), rs.getObject(1) == null ? null
                                : new Undecided(rs.getLong(1), (Long) rs.getObject(2), rs.getTimestamp(3).toInstant()));
                        java.sql.Array written = rs.getArray(4);
                        writtenLevels.put(listing.id(), written == null ? List.of()
                                : java.util.Arrays.stream((Long[]) written.getArray()).toList());
                    });
            undecided.putIfAbsent(listing.id(), null);
        }
        return undecided.get(listing.id());
    }

    private void writeUndecided() {
        for (Long id : undecidedChanged) {
            Undecided u = undecided.get(id);
            jdbc.update("UPDATE listing SET undecided_level = :level, undecided_known = :known,"
                    + " undecided_since = :since WHERE id = :id", new MapSqlParameterSource("id", id)
                    .addValue("level", u == null ? null : u.level()).addValue("known", u == null ? null : u.known())
                    .addValue("since", u == null ? null : java.sql.Timestamp.from(u.since())));
        }
    }

    /**
     * After new sales are booked, cancels and restocks that arrived before them can be applied: the waiting rows of
     * all those lines are read in one query. (Applying them books no new sale, so one round is normally all.)
     */
    private void applyWaitingReturns() {
        Set<String> checked = new HashSet<>();
        while (!linesWithNewBookings.isEmpty()) {
            Map<String, OrderLine> booked = new LinkedHashMap<>();
            for (String key : linesWithNewBookings) {
                if (checked.add(key)) {
                    booked.put(key, lines.get(key));
                }
            }
            linesWithNewBookings.clear();
            if (!booked.isEmpty()) {
                applyWaitingReturns(booked);
            }
        }
    }

    private void applyWaitingReturns(Map<String, OrderLine> booked) {
        // Waiting in the database, plus those of this batch that came before their sale.
        Map<String, List<InboxRow>> waitingByLine = new HashMap<>();
        jdbc.query("SELECT " + InboxRow.COLUMNS + " FROM inbox_event WHERE status = 'waiting'"
                + " AND (store, order_id, line_id) IN (SELECT * FROM unnest(:stores, :orders, :lines))"
                + " ORDER BY id FOR UPDATE SKIP LOCKED",
                new MapSqlParameterSource()
                        .addValue("stores", arrays.text(booked.values().stream().map(l -> l.store).toList()))
                        .addValue("orders", arrays.text(booked.values().stream().map(l -> l.orderId).toList()))
                        .addValue("lines", arrays.text(booked.values().stream().map(l -> l.lineId).toList())),
                InboxRow::map)
                .forEach(row -> waitingByLine.computeIfAbsent(OrderLine.key(row.store(), row.orderId(), row.lineId()),
                        k -> new ArrayList<>()).add(row));
        for (OrderLine line : booked.values()) {
            List<InboxRow> waiting = new ArrayList<>(waitingByLine.getOrDefault(line.key(), List.of()));
            waiting.addAll(waitingInBatch.getOrDefault(line.key(), List.of()));
            waiting.sort(java.util.Comparator.comparingLong(InboxRow::id));
            for (InboxRow row : waiting) {
                Outcome decided = outcomes.get(row.id());
                if (decided != null && !decided.waiting()) {
                    continue; // decided in this batch already
                }
                StoreProperties store = stores.find(row.store()).orElse(null);
                if (store == null) {
                    finish(row, Outcome.of(Outcome.Code.STORE_UNCONFIGURED, row.store()));
                } else {
                    giveBack(row, new Resolved(line.itemKey, lockedListing(row), false), store);
                }
            }
        }
    }

    private void book(String itemKey, long delta, String kind, InboxRow row) {
        Map<String, Integer> parts = items.get(itemKey) != null && items.get(itemKey).bundle()
                ? components.getOrDefault(itemKey, Map.of()) : Map.of();
        if (parts.isEmpty()) {
            addEntry(itemKey, delta, kind, row.idemKey(), row);
            return;
        }
        // Selling a bundle books each component; the bundle itself has no count of its own.
        parts.forEach((component, perBundle) ->
                addEntry(component, delta * perBundle, kind, row.idemKey() + ":" + component, row));
    }

    private void addEntry(String itemKey, long delta, String kind, String entryKey, InboxRow row) {
        String ref = row.keyKind() == KeyKind.REF ? row.keyValue() : null;
        entries.add(new LedgerEntry(itemKey, delta, kind, entryKey, row.eventId(), row.store(), ref, null));
        pendingDeltas.merge(itemKey, delta, Long::sum);
        touchedItems.add(itemKey);
    }

    private long currentOnHand(String itemKey) {
        return items.get(itemKey).onHand() + pendingDeltas.getOrDefault(itemKey, 0L);
    }

    /** [known, synced] as changed in this batch so far; Long.MIN_VALUE stands for null. */
    private long[] levels(Listing listing) {
        return listingLevels.computeIfAbsent(listing.id(), id -> new long[] {
                listing.knownLevel() == null ? Long.MIN_VALUE : listing.knownLevel(),
                listing.syncedLevel() == null ? Long.MIN_VALUE : listing.syncedLevel() });
    }

    private Instant knownAt(Listing listing) {
        Instant seen = observedAt.get(listing.id());
        Instant stored = listing.knownAt();
        return seen == null ? stored : stored == null || seen.isAfter(stored) ? seen : stored;
    }

    private void setLevels(Listing listing, Long known, Long synced) {
        long[] levels = levels(listing);
        levels[0] = known == null ? Long.MIN_VALUE : known;
        levels[1] = synced == null ? Long.MIN_VALUE : synced;
        touchedItems.add(listing.itemKey());
    }

    /** A key as an outcome quotes it: whole up to 200 characters (a longer key is kept whole in its own column). */
    private static String abbreviated(String key) {
        return key.length() <= 200 ? key : key.substring(0, 200) + "… (" + key.length() + " characters)";
    }

    private static Long nullable(long value) {
        return value == Long.MIN_VALUE ? null : value;
    }

    private void finish(InboxRow row, Outcome outcome) {
        outcomes.put(row.id(), outcome);
        if (REJECTED.equals(outcome.status())) {
            log.warn("event {} of store {} rejected and kept for review: {}", row.eventId(), row.store(),
                    outcome.prose());
        }
    }

    private AppliedBatch write() {
        Map<String, Long> inserted = ledger.insert(entries);
        itemRepository.addToOnHand(inserted);
        inserted.forEach((key, delta) -> {
            StockItem item = items.get(key);
            if (item != null && item.onHand() >= 0 && item.onHand() + delta < 0) {
                log.warn("item {} oversold: on-hand {} after this batch", key, item.onHand() + delta);
            }
        });
        writeLines();
        writeUndecided();
        listingLevels.forEach((id, levels) ->
                listingRepository.updateObservedLevels(id, nullable(levels[0]), nullable(levels[1]),
                        observedAt.get(id)));
        writeOutcomes();
        List<Long> toPush = targets.refresh(touchedItems);
        int finished = (int) outcomes.values().stream().filter(o -> !o.waiting()).count();
        return new AppliedBatch(finished, toPush);
    }

    private void writeLines() {
        List<OrderLine> dirty = lines.values().stream().filter(l -> l.dirty).toList();
        if (dirty.isEmpty()) {
            return;
        }
        jdbc.update("""
                INSERT INTO order_line (store, order_id, line_id, item_key, booked, returned, channel_taken)
                SELECT * FROM unnest(:stores, :orders, :lines, :items, :booked, :returned, :taken)
                ON CONFLICT (store, order_id, line_id)
                DO UPDATE SET booked = EXCLUDED.booked, returned = EXCLUDED.returned,
                              channel_taken = EXCLUDED.channel_taken, updated_at = now()
                """, new MapSqlParameterSource()
                .addValue("stores", arrays.text(dirty.stream().map(l -> l.store).toList()))
                .addValue("orders", arrays.text(dirty.stream().map(l -> l.orderId).toList()))
                .addValue("lines", arrays.text(dirty.stream().map(l -> l.lineId).toList()))
                .addValue("items", arrays.text(dirty.stream().map(l -> l.itemKey).toList()))
                .addValue("booked", arrays.int8(dirty.stream().map(l -> l.booked).toList()))
                .addValue("returned", arrays.int8(dirty.stream().map(l -> l.returned).toList()))
                .addValue("taken", arrays.int8(dirty.stream().map(l -> l.channelTaken).toList())));
    }

    private void writeOutcomes() {
        List<Long> ids = new ArrayList<>(outcomes.keySet());
        jdbc.update("""
                UPDATE inbox_event e SET status = x.status, outcome = x.outcome,
                       applied_at = CASE WHEN x.status = 'applied' THEN now() END
                FROM unnest(:ids, :statuses, :outcomes) AS x(id, status, outcome) WHERE e.id = x.id
                """, new MapSqlParameterSource()
                .addValue("ids", arrays.int8(ids))
                .addValue("statuses", arrays.text(ids.stream().map(id -> outcomes.get(id).status()).toList()))
                .addValue("outcomes", arrays.text(ids.stream().map(id -> outcomes.get(id).prose()).toList())));
    }
}
