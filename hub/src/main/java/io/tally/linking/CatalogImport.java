package io.tally.linking;

import io.tally.catalog.Listing;
import io.tally.catalog.ListingRepository;
import io.tally.catalog.ListingRepository.ListingSettings;
import io.tally.catalog.TargetRefresher;
import io.tally.event.InboxRepository;
import io.tally.event.InboxRepository.PendingEvent;
import io.tally.event.InputRules;
import io.tally.event.KeyKind;
import io.tally.ledger.LedgerEntry;
import io.tally.ledger.LedgerRepository;
import io.tally.ledger.StockItemRepository;
import io.tally.ledger.StockItemRepository.StockItem;
import io.tally.policy.StoreProperties;
import io.tally.policy.StoreRegistry;
import io.tally.support.SqlArrays;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A catalog import: many listings, bundles or counts at once, all or nothing. Every row is validated first and every
 * error is reported with its line; only a file without errors is applied, in one transaction, with one statement per
 * table and chunk (the per-request path costs a dozen round trips per listing).
 */
@Service
public class CatalogImport {

    /** Rows applied per statement: bounded arrays, one transaction for the whole file. */
    static final int CHUNK = 5_000;

    private final NamedParameterJdbcTemplate jdbc;
    private final SqlArrays arrays;
    private final StoreRegistry stores;
    private final StockItemRepository items;
    private final LedgerRepository ledger;
    private final ListingRepository listings;
    private final TargetRefresher targets;
    private final InboxRepository inbox;
    private final LinkingService linking;
    private final TransactionTemplate transaction;

    public CatalogImport(
            NamedParameterJdbcTemplate jdbc,
            SqlArrays arrays,
            StoreRegistry stores,
            StockItemRepository items,
            LedgerRepository ledger,
            ListingRepository listings,
            TargetRefresher targets,
            InboxRepository inbox,
            LinkingService linking,
            TransactionTemplate transaction) {
        this.jdbc = jdbc;
        this.arrays = arrays;
        this.stores = stores;
        this.items = items;
        this.ledger = ledger;
        this.listings = listings;
        this.targets = targets;
        this.inbox = inbox;
        this.linking = linking;
        this.transaction = transaction;
    }

    /** One data row of a listings file ({@code line} as the file counts it, the header being line 1). */
    public record ListingRow(long line, String store, String ref, ListingDeclaration declaration) {}

    /** One component of a bundle. */
    public record BundleRow(long line, String bundle, String component, Integer quantity) {}

    /** A stock count: the item's on-hand becomes exactly this. */
    public record CountRow(long line, String item, Long onHand, String reason) {}

    /** What is wrong with one row; {@code column} is null when the row as a whole is wrong. */
    public record RowError(long line, String column, String reason) {}

    /**
     * The outcome of an import: with errors nothing was applied; a dry run applies nothing either but says what would
     * change. {@code listingsToPush} and {@code unparked} are for the caller to dispatch.
     */
    public record Result(
            int rows,
            boolean dryRun,
            List<RowError> errors,
            Map<String, Long> changes,
            List<Long> listingsToPush,
            List<PendingEvent> unparked) {

        public boolean applied() {
            return !dryRun && errors.isEmpty();
        }

        /** Nothing applied; the errors in file order. */
        public static Result refused(int rows, boolean dryRun, List<RowError> errors) {
            List<RowError> sorted = new ArrayList<>(errors);
            sorted.sort(Comparator.comparingLong(RowError::line));
            return new Result(rows, dryRun, List.copyOf(sorted), Map.of(), List.of(), List.of());
        }
    }

    // ------------------------------------------------------------------ listings

    /**
     * @param records data rows in the file, {@code rows} being those whose cells could be read
     * @param cellErrors errors of the other rows (a cell that is not a number, say): reported with the rest
     */
    public Result importListings(List<ListingRow> rows, int records, List<RowError> cellErrors, boolean dryRun) {
        List<RowError> errors = new ArrayList<>(cellErrors);
        List<Prepared> prepared = new ArrayList<>(rows.size());
        Map<String, Long> firstLine = new HashMap<>();
        for (ListingRow row : rows) {
            Prepared p = prepare(row, errors);
            if (p == null) {
                continue;
            }
            Long earlier = firstLine.putIfAbsent(p.store() + "\u0000" + p.ref(), row.line());
            if (earlier != null) {
                errors.add(new RowError(
                        row.line(),
                        "ref",
                        "listing " + p.store() + "/" + p.ref() + " is already on line " + earlier
                                + "; a file declares each listing once"));
                continue;
            }
            prepared.add(p);
        }
        if (!errors.isEmpty()) {
            return Result.refused(records, dryRun, errors);
        }
        // Stable by item key: chunks lock items in key order, and rows of one item keep their file order (seeding).
        prepared.sort(Comparator.comparing(p -> p.itemKey() == null ? "" : p.itemKey()));
        if (dryRun) {
            return new Result(records, true, List.of(), preview(prepared), List.of(), List.of());
        }
        return transaction.execute(status -> {
            Map<String, Long> changes = counters("listingsCreated", "listingsUpdated", "itemsCreated", "seeded");
            List<Long> toPush = new ArrayList<>();
            List<PendingEvent> unparked = new ArrayList<>();
            for (int from = 0; from < prepared.size(); from += CHUNK) {
                applyListings(
                        prepared.subList(from, Math.min(prepared.size(), from + CHUNK)), changes, toPush, unparked);
            }
            changes.put("listingsToPush", (long) toPush.size());
            return new Result(records, false, List.of(), changes, toPush, unparked);
        });
    }

    /** A valid row with its store's settings and its normalized item key (null for a hidden listing). */
    private record Prepared(
            long line,
            String store,
            StoreProperties settings,
            String ref,
            String itemKey,
            ListingDeclaration declaration) {}

    private Prepared prepare(ListingRow row, List<RowError> errors) {
        int before = errors.size();
        StoreProperties store = null;
        if (blank(row.store())) {
            errors.add(new RowError(row.line(), "store", "store is required"));
        } else {
            store = stores.find(row.store().trim()).orElse(null);
            if (store == null) {
                errors.add(new RowError(
                        row.line(), "store", "unknown store '" + row.store().trim() + "'"));
            }
        }
        if (blank(row.ref())) {
            errors.add(new RowError(row.line(), "ref", "ref is required"));
        }
        ListingDeclaration d = row.declaration();
        check(errors, row.line(), "ref", () -> InputRules.checkId("ref", row.ref(), InputRules.MAX_KEY_LENGTH));
        check(errors, row.line(), "sku", () -> InputRules.checkId("sku", d.sku(), InputRules.MAX_KEY_LENGTH));
        check(
                errors,
                row.line(),
                "barcode",
                () -> InputRules.checkId("barcode", d.barcode(), InputRules.MAX_KEY_LENGTH));
        check(errors, row.line(), "handle", () -> InputRules.checkId("handle", d.handle(), InputRules.MAX_KEY_LENGTH));
        quantity(errors, row.line(), "safetyStock", d.safetyStock());
        quantity(errors, row.line(), "maxAvailable", d.maxAvailable());
        quantity(errors, row.line(), "level", d.level());
        if (d.sharePercent() != null && (d.sharePercent() < 0 || d.sharePercent() > 100)) {
            errors.add(new RowError(row.line(), "sharePercent", "sharePercent must be between 0 and 100"));
        }
        boolean hidden = Boolean.TRUE.equals(d.hidden());
        String itemKey = null;
        if (store != null) {
            String column = StoreProperties.lower(store.matchBy());
            String raw = switch (store.matchBy()) {
                case SKU -> d.sku();
                case BARCODE -> d.barcode();
                case HANDLE -> d.handle();
            };
            if (blank(raw)) {
                errors.add(new RowError(
                        row.line(),
                        column,
                        "store " + row.store().trim() + " matches listings by " + column + ", so " + column
                                + " is required"));
            } else if (!hidden) {
                itemKey = KeyKind.valueOf(store.matchBy().name()).normalize(raw);
            }
        }
        if (errors.size() > before) {
            return null;
        }
        return new Prepared(row.line(), row.store().trim(), store, row.ref().trim(), itemKey, d);
    }

    private Map<String, Long> preview(List<Prepared> rows) {
        Map<String, Long> changes = counters("listingsCreated", "listingsUpdated", "listingsRelinked", "itemsCreated");
        for (int from = 0; from < rows.size(); from += CHUNK) {
            List<Prepared> chunk = rows.subList(from, Math.min(rows.size(), from + CHUNK));
            Map<String, Listing> existing = existingListings(chunk);
            Set<String> keys = new HashSet<>();
            for (Prepared p : chunk) {
                Listing before = existing.get(p.store() + "\u0000" + p.ref());
                if (before == null) {
                    changes.merge("listingsCreated", 1L, Long::sum);
                } else {
                    changes.merge("listingsUpdated", 1L, Long::sum);
                    if (!java.util.Objects.equals(before.itemKey(), p.itemKey())) {
                        changes.merge("listingsRelinked", 1L, Long::sum);
                    }
                }
                if (p.itemKey() != null) {
                    keys.add(p.itemKey());
                }
            }
            keys.removeAll(items.existing(keys));
            changes.merge("itemsCreated", (long) keys.size(), Long::sum);
        }
        return changes;
    }

    private void applyListings(
            List<Prepared> chunk, Map<String, Long> changes, List<Long> toPush, List<PendingEvent> unparked) {
        Map<String, Listing> existing = existingListings(chunk);
        Set<String> newKeys = new HashSet<>();
        Set<String> affected = new HashSet<>();
        List<String> storeIds = new ArrayList<>(chunk.size());
        List<String> refs = new ArrayList<>(chunk.size());
        List<ListingSettings> settings = new ArrayList<>(chunk.size());
        for (Prepared p : chunk) {
            Listing before = existing.get(p.store() + "\u0000" + p.ref());
            changes.merge(before == null ? "listingsCreated" : "listingsUpdated", 1L, Long::sum);
            if (before != null && before.itemKey() != null) {
                affected.add(before.itemKey());
            }
            if (p.itemKey() != null) {
                newKeys.add(p.itemKey());
            }
            ListingDeclaration d = p.declaration();
            storeIds.add(p.store());
            refs.add(p.ref());
            settings.add(new ListingSettings(
                    p.itemKey(),
                    d.sku(),
                    d.barcode(),
                    d.handle(),
                    Boolean.TRUE.equals(d.master()),
                    Boolean.TRUE.equals(d.hidden()),
                    d.safetyStock(),
                    d.maxAvailable(),
                    d.sharePercent(),
                    d.level()));
        }
        Set<String> created = new HashSet<>(newKeys);
        created.removeAll(items.existing(newKeys));
        items.createAllIfAbsent(created);
        changes.merge("itemsCreated", (long) created.size(), Long::sum);
        affected.addAll(newKeys);
        affected.addAll(targets.bundlesContaining(affected));
        Map<String, StockItem> locked = new HashMap<>(items.lock(affected));

        listings.declareAll(storeIds, refs, settings);
        changes.merge("seeded", (long) seed(chunk, locked, created), Long::sum);
        List<Prepared> linked = chunk.stream().filter(p -> p.itemKey() != null).toList();
        unparked.addAll(inbox.unparkAll(
                linked.stream().map(Prepared::store).toList(),
                linked.stream().map(Prepared::ref).toList(),
                newKeys));
        toPush.addAll(targets.refresh(affected));
    }

    /**
     * The seeding rule of a single declaration ({@link LinkingService}), applied row by row in memory and written in
     * one statement per table: master, then source, then peer, and only while nothing but seeds has been booked.
     *
     * @return how many items were seeded
     */
    private int seed(List<Prepared> chunk, Map<String, StockItem> locked, Set<String> createdNow) {
        Set<String> withLevel = new HashSet<>();
        for (Prepared p : chunk) {
            // An item this chunk created has no entries to look for.
            if (p.itemKey() != null && p.declaration().level() != null && !createdNow.contains(p.itemKey())) {
                withLevel.add(p.itemKey());
            }
        }
        Set<String> booked = withLevel.isEmpty()
                ? Set.of()
                : new HashSet<>(jdbc.queryForList(
                        """
                SELECT DISTINCT item_key FROM ledger_entry WHERE item_key = ANY(:keys) AND entry_key NOT LIKE 'seed:%'
                """, new MapSqlParameterSource("keys", arrays.text(withLevel)), String.class));
        Map<String, Long> deltas = new LinkedHashMap<>();
        Map<String, Integer> ranks = new HashMap<>();
        Map<String, Prepared> seededBy = new HashMap<>();
        for (Prepared p : chunk) {
            StockItem item = p.itemKey() == null ? null : locked.get(p.itemKey());
            Long level = p.declaration().level();
            if (item == null || level == null || item.bundle() || booked.contains(item.key())) {
                continue;
            }
            int rank = Boolean.TRUE.equals(p.declaration().master())
                    ? LinkingService.MASTER_SEED_RANK
                    : p.settings().role().seedRank;
            if (rank == 0 || rank <= item.seedRank()) {
                continue;
            }
            long start = item.onHand() - deltas.getOrDefault(item.key(), 0L);
            deltas.put(item.key(), level - start);
            ranks.put(item.key(), rank);
            seededBy.put(item.key(), p);
            locked.put(item.key(), new StockItem(item.key(), level, false, rank));
        }
        List<LedgerEntry> entries = new ArrayList<>();
        deltas.forEach((key, delta) -> {
            if (delta != 0) {
                Prepared p = seededBy.get(key);
                entries.add(new LedgerEntry(
                        key,
                        delta,
                        "count",
                        "seed:" + p.store() + ":" + p.ref() + ":" + UUID.randomUUID(),
                        null,
                        p.store(),
                        p.ref(),
                        "seeded from the listing's level (catalog import)"));
            }
        });
        items.seed(ledger.insert(entries), ranks);
        return ranks.size();
    }

    private Map<String, Listing> existingListings(List<Prepared> chunk) {
        Map<String, Listing> existing = new HashMap<>();
        for (Listing l : listings.findByRefs(
                chunk.stream().map(Prepared::store).toList(),
                chunk.stream().map(Prepared::ref).toList())) {
            existing.put(l.store() + "\u0000" + l.ref(), l);
        }
        return existing;
    }

    // ------------------------------------------------------------------ bundles

    /** Rows of one bundle define all of its components; a bundle the file names is redefined as a whole. */
    public Result importBundles(List<BundleRow> rows, int records, List<RowError> cellErrors, boolean dryRun) {
        List<RowError> errors = new ArrayList<>(cellErrors);
        Map<String, Map<String, Integer>> bundles = new TreeMap<>();
        Map<String, Long> bundleLine = new HashMap<>();
        for (BundleRow row : rows) {
            int before = errors.size();
            if (blank(row.bundle())) {
                errors.add(new RowError(row.line(), "bundle", "bundle is required"));
            }
            if (blank(row.component())) {
                errors.add(new RowError(row.line(), "component", "component is required"));
            }
            check(
                    errors,
                    row.line(),
                    "bundle",
                    () -> InputRules.checkId("bundle", row.bundle(), InputRules.MAX_KEY_LENGTH));
            check(
                    errors,
                    row.line(),
                    "component",
                    () -> InputRules.checkId("component", row.component(), InputRules.MAX_KEY_LENGTH));
            if (row.quantity() == null || row.quantity() <= 0) {
                errors.add(new RowError(row.line(), "quantity", "quantity must be a positive whole number"));
            }
            if (errors.size() > before) {
                continue;
            }
            String bundle = KeyKind.SKU.normalize(row.bundle());
            String component = KeyKind.SKU.normalize(row.component());
            if (bundle.equals(component)) {
                errors.add(new RowError(row.line(), "component", "a bundle cannot contain itself"));
                continue;
            }
            bundleLine.putIfAbsent(bundle, row.line());
            bundles.computeIfAbsent(bundle, k -> new TreeMap<>()).merge(component, row.quantity(), Integer::sum);
        }
        for (var e : bundles.entrySet()) {
            for (String component : e.getValue().keySet()) {
                if (bundles.containsKey(component)) {
                    errors.add(new RowError(
                            bundleLine.get(e.getKey()),
                            "component",
                            "component '" + component + "' of '" + e.getKey() + "' is itself a bundle in this file"));
                }
            }
        }
        if (!errors.isEmpty()) {
            return Result.refused(records, dryRun, errors);
        }
        Map<String, Long> changes = counters("bundlesDefined", "components");
        bundles.values().forEach(c -> {
            changes.merge("bundlesDefined", 1L, Long::sum);
            changes.merge("components", (long) c.size(), Long::sum);
        });
        if (dryRun) {
            return new Result(records, true, List.of(), changes, List.of(), List.of());
        }
        return transaction.execute(status -> {
            Set<Long> toPush = new java.util.LinkedHashSet<>();
            for (var e : bundles.entrySet()) {
                try {
                    toPush.addAll(linking.defineBundle(e.getKey(), e.getValue()));
                } catch (IllegalArgumentException | IllegalStateException refused) {
                    status.setRollbackOnly();
                    return Result.refused(
                            records,
                            false,
                            List.of(new RowError(bundleLine.get(e.getKey()), "bundle", refused.getMessage())));
                }
            }
            changes.put("listingsToPush", (long) toPush.size());
            return new Result(records, false, List.of(), changes, new ArrayList<>(toPush), List.of());
        });
    }

    // ------------------------------------------------------------------ counts

    /** Stock counts: each listed item's on-hand becomes the number given (a count entry for the difference). */
    public Result importCounts(List<CountRow> rows, int records, List<RowError> cellErrors, boolean dryRun) {
        List<RowError> errors = new ArrayList<>(cellErrors);
        Map<String, CountRow> counts = new LinkedHashMap<>();
        for (CountRow row : rows) {
            int before = errors.size();
            if (blank(row.item())) {
                errors.add(new RowError(row.line(), "item", "item is required"));
            }
            check(errors, row.line(), "item", () -> InputRules.checkId("item", row.item(), InputRules.MAX_KEY_LENGTH));
            check(errors, row.line(), "reason", () -> InputRules.checkText("reason", row.reason()));
            if (row.onHand() == null) {
                errors.add(new RowError(row.line(), "onHand", "onHand is required"));
            } else {
                quantity(errors, row.line(), "onHand", row.onHand());
            }
            if (errors.size() > before) {
                continue;
            }
            CountRow earlier = counts.putIfAbsent(KeyKind.SKU.normalize(row.item()), row);
            if (earlier != null) {
                errors.add(new RowError(row.line(), "item", "item is already counted on line " + earlier.line()));
            }
        }
        if (errors.isEmpty()) {
            // Unknown items and bundles are row errors too; checked again under the locks below.
            Map<String, Boolean> known = bundleFlags(counts.keySet());
            counts.forEach((key, row) -> {
                if (!known.containsKey(key)) {
                    errors.add(new RowError(row.line(), "item", "no stock item '" + key + "'"));
                } else if (known.get(key)) {
                    errors.add(new RowError(
                            row.line(), "item", "'" + key + "' is a bundle: its level follows its" + " components"));
                }
            });
        }
        if (!errors.isEmpty()) {
            return Result.refused(records, dryRun, errors);
        }
        if (dryRun) {
            return new Result(
                    records, true, List.of(), Map.of("itemsCounted", (long) counts.size()), List.of(), List.of());
        }
        return transaction.execute(status -> {
            Set<String> keys = new HashSet<>(counts.keySet());
            keys.addAll(targets.bundlesContaining(keys));
            Map<String, StockItem> locked = items.lock(keys);
            List<LedgerEntry> entries = new ArrayList<>();
            counts.forEach((key, row) -> {
                StockItem item = locked.get(key);
                long delta = row.onHand() - item.onHand();
                if (delta != 0) {
                    entries.add(new LedgerEntry(
                            key,
                            delta,
                            "count",
                            "admin-count:" + key + ":" + UUID.randomUUID(),
                            null,
                            null,
                            null,
                            blank(row.reason()) ? "stock count (catalog import)" : row.reason()));
                }
            });
            items.addToOnHand(ledger.insert(entries));
            List<Long> toPush = targets.refresh(counts.keySet());
            Map<String, Long> changes = new LinkedHashMap<>();
            changes.put("itemsCounted", (long) counts.size());
            changes.put("itemsChanged", (long) entries.size());
            changes.put("listingsToPush", (long) toPush.size());
            return new Result(records, false, List.of(), changes, toPush, List.of());
        });
    }

    /** For each of these keys that exists: whether it is a bundle. */
    private Map<String, Boolean> bundleFlags(Set<String> keys) {
        Map<String, Boolean> flags = new HashMap<>();
        if (keys.isEmpty()) {
            return flags;
        }
        jdbc.query(
                "SELECT item_key, bundle FROM stock_item WHERE item_key = ANY(:keys)",
                new MapSqlParameterSource("keys", arrays.text(keys)),
                rs -> {
                    flags.put(rs.getString(1), rs.getBoolean(2));
                });
        return flags;
    }

    // ------------------------------------------------------------------ helpers

    private static Map<String, Long> counters(String... names) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String n : names) {
            m.put(n, 0L);
        }
        return m;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static void check(List<RowError> errors, long line, String column, Runnable rule) {
        try {
            rule.run();
        } catch (RuntimeException e) {
            errors.add(new RowError(line, column, e.getMessage()));
        }
    }

    private static void quantity(List<RowError> errors, long line, String column, Number value) {
        if (value == null) {
            return;
        }
        if (value.longValue() < 0) {
            errors.add(new RowError(line, column, column + " cannot be negative"));
            return;
        }
        check(errors, line, column, () -> InputRules.checkQuantity(column, value.longValue(), false));
    }
}
