package io.tally.ledger;

import io.tally.catalog.Listing;
import io.tally.catalog.ListingRepository;
import io.tally.catalog.TargetRefresher;
import io.tally.event.EventType;
import io.tally.event.InboxStatus;
import io.tally.event.KeyKind;
import io.tally.support.SqlArrays;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The batch's prefetch: reads and locks everything its rules need, in one query per kind of row, before they run.
 * Locks are taken in a fixed order (inbox rows, stock items by key, listings by id) so two batches never deadlock.
 */
final class BatchSnapshotLoader {

    private final NamedParameterJdbcTemplate jdbc;
    private final SqlArrays arrays;
    private final StockItemRepository itemRepository;
    private final ListingRepository listingRepository;
    private final TargetRefresher targets;

    BatchSnapshotLoader(
            NamedParameterJdbcTemplate jdbc,
            SqlArrays arrays,
            StockItemRepository itemRepository,
            ListingRepository listingRepository,
            TargetRefresher targets) {
        this.jdbc = jdbc;
        this.arrays = arrays;
        this.itemRepository = itemRepository;
        this.listingRepository = listingRepository;
        this.targets = targets;
    }

    /** @return the snapshot of the ids still pending and not taken by another batch; null when there are none */
    BatchSnapshot load(List<Long> inboxIds) {
        List<InboxRow> rows = jdbc.query(
                "SELECT " + InboxRow.COLUMNS + " FROM inbox_event WHERE id = ANY(:ids)" + " AND status = "
                        + InboxStatus.PENDING.sql() + " ORDER BY id FOR UPDATE SKIP LOCKED",
                new MapSqlParameterSource("ids", arrays.int8(inboxIds)),
                InboxRow::map);
        if (rows.isEmpty()) {
            return null;
        }
        // A level snapshot waits its settle window so that the order or restock that caused it is booked first; when
        // a backlog brings both into one batch, the snapshot (stored first) is still judged after them.
        rows = new ArrayList<>(rows);
        rows.sort(Comparator.comparing((InboxRow r) -> r.type() == EventType.SET));
        Map<Long, Listing> listings = new HashMap<>();
        Map<Long, EventTarget> resolved = resolveAll(rows, listings);

        Set<String> wanted = new HashSet<>(resolved.values().stream()
                .map(EventTarget::itemKey)
                .filter(Objects::nonNull)
                .toList());
        Map<String, Map<String, Integer>> components = new HashMap<>(itemRepository.components(wanted));
        components.values().forEach(c -> wanted.addAll(c.keySet()));
        wanted.addAll(targets.bundlesContaining(wanted));
        var items = itemRepository.lock(wanted);

        // Re-read under row locks: a push confirmed since they were first read must not be overwritten with the older
        // levels, and none can be confirmed until this batch commits.
        listingRepository.lockByIds(listings.keySet()).forEach(listing -> listings.put(listing.id(), listing));

        Set<Long> judged = new HashSet<>();
        for (InboxRow row : rows) {
            Listing listing = resolved.get(row.id()).listing();
            if (row.type() == EventType.SET && row.occurredAt() != null && listing != null) {
                judged.add(listing.id());
            }
        }
        Map<Long, Undecided> undecided = new HashMap<>();
        Map<Long, List<Long>> written = new HashMap<>();
        listingRepository.findUndecided(judged).forEach((id, u) -> {
            if (u.level() != null) {
                undecided.put(id, new Undecided(u.level(), u.known(), u.since()));
            }
            written.put(id, u.writtenLevels());
        });
        return new BatchSnapshot(rows, resolved, items, components, loadLines(rows), listings, undecided, written);
    }

    /**
     * The cancels and restocks waiting for these lines' sales: those stored as waiting, locked (SKIP LOCKED, like the
     * batch's own rows), and the listings they and this batch's waiting rows name, locked too.
     */
    WaitingReturns loadWaiting(Collection<OrderLine> booked, List<InboxRow> waitingInBatch) {
        Map<String, List<InboxRow>> stored = new HashMap<>();
        List<InboxRow> rows = jdbc.query(
                "SELECT " + InboxRow.COLUMNS + " FROM inbox_event WHERE status = "
                        + InboxStatus.WAITING.sql()
                        + " AND (store, order_id, line_id) IN (SELECT * FROM unnest(:stores, :orders, :lines))"
                        + " ORDER BY id FOR UPDATE SKIP LOCKED",
                new MapSqlParameterSource()
                        .addValue(
                                "stores",
                                arrays.text(booked.stream().map(l -> l.store).toList()))
                        .addValue(
                                "orders",
                                arrays.text(booked.stream().map(l -> l.orderId).toList()))
                        .addValue(
                                "lines",
                                arrays.text(booked.stream().map(l -> l.lineId).toList())),
                InboxRow::map);
        rows.forEach(row -> stored.computeIfAbsent(
                        OrderLine.key(row.store(), row.orderId(), row.lineId()), k -> new ArrayList<>())
                .add(row));
        List<InboxRow> all = new ArrayList<>(rows);
        all.addAll(waitingInBatch);
        Map<Long, EventTarget> resolved = resolveAll(all, new HashMap<>());
        Map<Long, Listing> locked = new HashMap<>();
        listingRepository
                .lockByIds(resolved.values().stream()
                        .map(EventTarget::listing)
                        .filter(Objects::nonNull)
                        .map(Listing::id)
                        .distinct()
                        .toList())
                .forEach(listing -> locked.put(listing.id(), listing));
        Map<Long, Listing> byRow = new HashMap<>();
        resolved.forEach((rowId, target) -> {
            if (target.listing() != null && locked.containsKey(target.listing().id())) {
                byRow.put(rowId, locked.get(target.listing().id()));
            }
        });
        return new WaitingReturns(stored, byRow);
    }

    private static String resolutionKey(InboxRow row) {
        return row.store() + '\u0000' + row.keyKind() + '\u0000' + row.keyValue();
    }

    /**
     * What each row is about, read with one query per kind of key for the distinct (store, key) pairs.
     *
     * @param seen collects every listing read on the way, by id
     */
    private Map<Long, EventTarget> resolveAll(List<InboxRow> rows, Map<Long, Listing> seen) {
        Map<String, InboxRow> byRef = new LinkedHashMap<>();
        Map<String, InboxRow> byStockKey = new LinkedHashMap<>();
        for (InboxRow row : rows) {
            (row.keyKind() == KeyKind.REF ? byRef : byStockKey).putIfAbsent(resolutionKey(row), row);
        }
        Map<String, EventTarget> byKey = new HashMap<>();
        if (!byRef.isEmpty()) {
            Map<String, Listing> found = new HashMap<>();
            listingRepository
                    .findByRefs(
                            byRef.values().stream().map(InboxRow::store).toList(),
                            byRef.values().stream().map(InboxRow::keyValue).toList())
                    .forEach(listing -> found.put(listing.store() + '\u0000' + listing.ref(), listing));
            byRef.forEach((key, row) -> {
                Listing listing = found.get(row.store() + '\u0000' + row.keyValue());
                if (listing != null) {
                    seen.putIfAbsent(listing.id(), listing);
                }
                byKey.put(
                        key,
                        listing == null
                                ? new EventTarget(null, null, false)
                                : new EventTarget(listing.itemKey(), listing, false));
            });
        }
        if (!byStockKey.isEmpty()) {
            Map<String, List<Listing>> found = new HashMap<>();
            listingRepository
                    .findInStores(
                            byStockKey.values().stream().map(InboxRow::store).toList(),
                            byStockKey.values().stream().map(InboxRow::keyValue).toList())
                    .forEach(listing -> found.computeIfAbsent(
                                    listing.store() + '\u0000' + listing.itemKey(), k -> new ArrayList<>())
                            .add(listing));
            byStockKey.forEach((key, row) -> {
                List<Listing> inStore = found.getOrDefault(row.store() + '\u0000' + row.keyValue(), List.of());
                inStore.forEach(listing -> seen.putIfAbsent(listing.id(), listing));
                byKey.put(key, BookingRules.targetOfStockKey(row.keyValue(), inStore));
            });
        }
        Map<Long, EventTarget> byRow = new HashMap<>();
        rows.forEach(row -> byRow.put(row.id(), byKey.get(resolutionKey(row))));
        return byRow;
    }

    private Map<String, OrderLine> loadLines(List<InboxRow> rows) {
        Map<String, OrderLine> lines = new HashMap<>();
        List<InboxRow> withOrder =
                rows.stream().filter(r -> r.orderId() != null).toList();
        if (withOrder.isEmpty()) {
            return lines;
        }
        jdbc.query(
                """
                SELECT l.store, l.order_id, l.line_id, l.item_key, l.booked, l.returned, l.channel_taken
                FROM order_line l JOIN unnest(:stores, :orders, :lines) AS x(store, order_id, line_id)
                  ON l.store = x.store AND l.order_id = x.order_id AND l.line_id = x.line_id
                """,
                new MapSqlParameterSource()
                        .addValue(
                                "stores",
                                arrays.text(
                                        withOrder.stream().map(InboxRow::store).toList()))
                        .addValue(
                                "orders",
                                arrays.text(withOrder.stream()
                                        .map(InboxRow::orderId)
                                        .toList()))
                        .addValue(
                                "lines",
                                arrays.text(
                                        withOrder.stream().map(InboxRow::lineId).toList())),
                rs -> {
                    OrderLine line = new OrderLine(
                            rs.getString(1),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getLong(5),
                            rs.getLong(6),
                            rs.getLong(7));
                    lines.putIfAbsent(line.key(), line);
                });
        return lines;
    }
}
