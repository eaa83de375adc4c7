package io.tally.linking;

import io.tally.catalog.Listing;
import io.tally.catalog.ListingRepository;
import io.tally.catalog.ListingRepository.ListingSettings;
import io.tally.catalog.TargetRefresher;
import io.tally.event.InboxRepository;
import io.tally.event.InboxRepository.PendingEvent;
import io.tally.event.KeyKind;
import io.tally.ledger.LedgerEntry;
import io.tally.ledger.LedgerRepository;
import io.tally.ledger.StockItemRepository;
import io.tally.ledger.StockItemRepository.StockItem;
import io.tally.policy.StoreProperties;
import io.tally.policy.StoreProperties.MatchBy;
import io.tally.policy.StoreRegistry;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** Declares listings and bundles, links them to stock items and seeds new items. */
@Service
public class LinkingService {

    static final int MASTER_SEED_RANK = 3;

    private final NamedParameterJdbcTemplate jdbc;
    private final StoreRegistry stores;
    private final StockItemRepository items;
    private final LedgerRepository ledger;
    private final ListingRepository listings;
    private final TargetRefresher targets;
    private final InboxRepository inbox;
    private final TransactionTemplate transaction;

    public LinkingService(
            NamedParameterJdbcTemplate jdbc,
            StoreRegistry stores,
            StockItemRepository items,
            LedgerRepository ledger,
            ListingRepository listings,
            TargetRefresher targets,
            InboxRepository inbox,
            TransactionTemplate transaction) {
        this.jdbc = jdbc;
        this.stores = stores;
        this.items = items;
        this.ledger = ledger;
        this.listings = listings;
        this.targets = targets;
        this.inbox = inbox;
        this.transaction = transaction;
    }

    public LinkChange declareListing(String storeId, String ref, ListingDeclaration declaration) {
        StoreProperties store =
                stores.find(storeId).orElseThrow(() -> new IllegalArgumentException("unknown store '" + storeId + "'"));
        if (ref == null || ref.isBlank()) {
            throw new IllegalArgumentException("ref is required");
        }
        String itemKey = matchKey(store, declaration);
        validate(declaration);
        return transaction.execute(status -> declare(storeId, store, ref.trim(), itemKey, declaration));
    }

    /**
     * A listing the channel no longer has (a deleted product or variant): unlinked from its stock item and never
     * pushed again; its ledger history stays.
     *
     * @return listings whose targets changed with it (a bundle it was part of, for instance)
     */
    public List<Long> unlink(String storeId, String ref) {
        return transaction.execute(status -> {
            var listing = listings.findByRef(storeId, ref);
            if (listing.isEmpty() || listing.get().itemKey() == null) {
                return List.<Long>of();
            }
            Set<String> affected = new HashSet<>(Set.of(listing.get().itemKey()));
            affected.addAll(targets.bundlesContaining(affected));
            items.lock(affected);
            listings.unlinkAndHide(storeId, ref);
            return targets.refresh(affected);
        });
    }

    private LinkChange declare(
            String storeId, StoreProperties store, String ref, String itemKey, ListingDeclaration d) {
        boolean hidden = Boolean.TRUE.equals(d.hidden());
        boolean master = Boolean.TRUE.equals(d.master());
        var previous = listings.findByRef(storeId, ref);
        Set<String> affected = new HashSet<>();
        previous.map(Listing::itemKey).ifPresent(affected::add);
        if (!hidden) {
            items.createIfAbsent(itemKey);
            affected.add(itemKey);
        }
        affected.addAll(targets.bundlesContaining(affected));
        Map<String, StockItem> locked = items.lock(affected);

        listings.declare(
                storeId,
                ref,
                new ListingSettings(
                        hidden ? null : itemKey,
                        d.sku(),
                        d.barcode(),
                        d.handle(),
                        master,
                        hidden,
                        d.safetyStock(),
                        d.maxAvailable(),
                        d.sharePercent(),
                        d.level()));

        StockItem item = locked.get(itemKey);
        if (!hidden && d.level() != null && item != null && !item.bundle()) {
            seed(storeId, ref, item, master ? MASTER_SEED_RANK : store.role().seedRank, d.level());
        }
        List<PendingEvent> unparked = hidden ? List.of() : inbox.unpark(storeId, ref, itemKey);
        List<Long> toPush = targets.refresh(affected);
        Listing listing = listings.findByRef(storeId, ref).orElseThrow();
        return new LinkChange(listing, toPush, unparked);
    }

    /**
     * A new item takes its on-hand from the best-ranked listing that reports a level (master, then source, then
     * peer). A better-ranked listing may re-seed it only while nothing but seeds has been booked.
     */
    private void seed(String storeId, String ref, StockItem item, int rank, long level) {
        if (rank == 0 || rank <= item.seedRank()) {
            return;
        }
        Boolean onlySeeds = jdbc.queryForObject("""
                SELECT NOT EXISTS (SELECT 1 FROM ledger_entry WHERE item_key = :key AND entry_key NOT LIKE 'seed:%')
                """, Map.of("key", item.key()), Boolean.class);
        if (!Boolean.TRUE.equals(onlySeeds)) {
            return;
        }
        long delta = level - item.onHand();
        if (delta != 0) {
            Map<String, Long> inserted = ledger.insert(List.of(new LedgerEntry(
                    item.key(),
                    delta,
                    "count",
                    "seed:" + storeId + ":" + ref + ":" + UUID.randomUUID(),
                    null,
                    storeId,
                    ref,
                    "seeded from the listing's level")));
            items.addToOnHand(inserted);
        }
        items.setSeedRank(item.key(), rank);
    }

    private static String matchKey(StoreProperties store, ListingDeclaration d) {
        MatchBy by = store.matchBy();
        String raw = switch (by) {
            case SKU -> d.sku();
            case BARCODE -> d.barcode();
            case HANDLE -> d.handle();
        };
        if (raw == null || raw.isBlank()) {
            throw new IllegalArgumentException("the store matches listings by " + StoreProperties.lower(by) + ", so "
                    + StoreProperties.lower(by) + " is required");
        }
        return KeyKind.valueOf(by.name()).normalize(raw);
    }

    private static void validate(ListingDeclaration d) {
        if (d.safetyStock() != null && d.safetyStock() < 0) {
            throw new IllegalArgumentException("safetyStock must be >= 0");
        }
        if (d.maxAvailable() != null && d.maxAvailable() < 0) {
            throw new IllegalArgumentException("maxAvailable must be >= 0");
        }
        if (d.sharePercent() != null && (d.sharePercent() < 0 || d.sharePercent() > 100)) {
            throw new IllegalArgumentException("sharePercent must be between 0 and 100");
        }
        if (d.level() != null && d.level() < 0) {
            throw new IllegalArgumentException("level cannot be negative");
        }
    }

    /**
     * Recomputes every listing's target, a few hundred items per transaction (each under its item locks): run at
     * start-up so changed store settings (safety stock, caps, shares) take effect without waiting for a sale.
     *
     * <p>Only a count is kept: at catalog scale the listings to push are far too many to hold, so the caller streams
     * them from the database afterwards (io.tally.push.PushSweep).
     *
     * @return how many listings' channels do not hold their target
     */
    public long refreshAllTargets() {
        long toPush = 0;
        String after = "";
        while (true) {
            List<String> keys = jdbc.queryForList("""
                    SELECT item_key FROM stock_item WHERE item_key > :after ORDER BY item_key LIMIT 500
                    """, Map.of("after", after), String.class);
            if (keys.isEmpty()) {
                return toPush;
            }
            toPush += transaction
                    .execute(status -> {
                        Set<String> locked = new HashSet<>(keys);
                        locked.addAll(targets.bundlesContaining(locked));
                        items.lock(locked);
                        return targets.refresh(locked);
                    })
                    .size();
            after = keys.get(keys.size() - 1);
        }
    }

    /** Defines (or redefines) a bundle: selling one books each component; its level is the sets they make. */
    public List<Long> defineBundle(String rawKey, Map<String, Integer> rawComponents) {
        String bundleKey = KeyKind.SKU.normalize(rawKey);
        if (rawComponents == null || rawComponents.isEmpty()) {
            throw new IllegalArgumentException("components are required, e.g. {\"mug\":1,\"tea\":2}");
        }
        Map<String, Integer> components = new java.util.TreeMap<>();
        rawComponents.forEach((k, q) -> {
            if (k == null || k.isBlank()) {
                throw new IllegalArgumentException("a component key is empty");
            }
            if (q == null || q <= 0) {
                throw new IllegalArgumentException("component '" + k + "' needs a positive quantity");
            }
            components.merge(KeyKind.SKU.normalize(k), q, Integer::sum);
        });
        if (components.containsKey(bundleKey)) {
            throw new IllegalArgumentException("a bundle cannot contain itself");
        }
        return transaction.execute(status -> {
            items.createIfAbsent(bundleKey);
            components.keySet().forEach(items::createIfAbsent);
            Set<String> keys = new HashSet<>(components.keySet());
            keys.add(bundleKey);
            keys.addAll(targets.bundlesContaining(keys));
            Map<String, StockItem> locked = items.lock(keys);
            for (String component : components.keySet()) {
                if (locked.get(component).bundle()) {
                    throw new IllegalArgumentException("component '" + component + "' is itself a bundle");
                }
            }
            StockItem bundle = locked.get(bundleKey);
            if (!bundle.bundle()) {
                Boolean hasEntries = jdbc.queryForObject(
                        "SELECT EXISTS (SELECT 1 FROM ledger_entry WHERE item_key = :key)",
                        Map.of("key", bundleKey),
                        Boolean.class);
                if (Boolean.TRUE.equals(hasEntries)
                        || !targets.bundlesContaining(Set.of(bundleKey)).isEmpty()) {
                    throw new IllegalStateException("'" + bundleKey + "' already has its own stock or is a component;"
                            + " it cannot become a bundle");
                }
                items.markBundle(bundleKey);
            }
            jdbc.update("DELETE FROM bundle_component WHERE bundle_key = :key", Map.of("key", bundleKey));
            components.forEach(
                    (component, quantity) -> jdbc.update("""
                    INSERT INTO bundle_component (bundle_key, component_key, quantity) VALUES (:b, :c, :q)
                    """, Map.of("b", bundleKey, "c", component, "q", quantity)));
            return targets.refresh(keys);
        });
    }
}
