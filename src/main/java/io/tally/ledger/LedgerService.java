package io.tally.ledger;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.tally.catalog.ListingRepository;
import io.tally.catalog.TargetRefresher;
import io.tally.policy.StoreRegistry;
import io.tally.support.SqlArrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies inbox events to the ledger: one transaction per batch. Within it, entries are inserted (a repeated
 * entry key inserts nothing), on-hand changes by exactly what was inserted, inbox rows are marked, and listing
 * targets are recomputed.
 */
@Service("ledgerService")
public class LedgerService {

    private static final Logger log = LoggerFactory.getLogger(LedgerService.class);

    private final NamedParameterJdbcTemplate jdbc;
    private final SqlArrays arrays;
    private final StockItemRepository items;
    private final LedgerRepository ledger;
    private final ListingRepository listings;
    private final TargetRefresher targets;
    private final StoreRegistry stores;
    private final TransactionTemplate transaction;

    public LedgerService(NamedParameterJdbcTemplate jdbc, SqlArrays arrays, StockItemRepository items,
            LedgerRepository ledger, ListingRepository listings, TargetRefresher targets, StoreRegistry stores,
            TransactionTemplate transaction) {
        this.jdbc = jdbc;
        this.arrays = arrays;
        this.items = items;
        this.ledger = ledger;
        this.listings = listings;
        this.targets = targets;
        this.stores = stores;
        this.transaction = transaction;
    }

    /** Applies the still-pending events among these inbox ids; ids already applied or taken by another batch are skipped. */
    public AppliedBatch applyBatch(List<Long> inboxIds) {
        if (inboxIds == null || inboxIds.isEmpty()) {
            return AppliedBatch.EMPTY;
        }
        AppliedBatch batch = transaction.execute(status ->
                new BatchApplication(jdbc, arrays, items, ledger, listings, targets, stores).run(inboxIds));
        if (log.isDebugEnabled()) {
            log.debug("applied {} events, {} listings to push", batch.events(), batch.listingsToPush().size());
        }
        return batch;
    }

    /**
     * A manual adjustment of an item's count (goods received, damaged, found). With a reference, repeating the same
     * adjustment books it once.
     */
    public List<Long> adjust(String itemKey, long delta, String reason, String reference) {
        String entryKey = "admin-adjust:" + itemKey + ":" + (reference != null ? reference : UUID.randomUUID());
        return bookAdmin(itemKey, delta, false, "adjustment", entryKey, reason, reference);
    }

    /** A stock count: on-hand becomes exactly this number. */
    public List<Long> count(String itemKey, long onHand, String reason) {
        return bookAdmin(itemKey, onHand, true, "count", "admin-count:" + itemKey + ":" + UUID.randomUUID(), reason,
                null);
    }

    private List<Long> bookAdmin(String itemKey, long value, boolean absolute, String kind, String entryKey,
            String reason, String reference) {
        return transaction.execute(status -> {
            Set<String> keys = new java.util.HashSet<>(Set.of(itemKey));
            keys.addAll(targets.bundlesContaining(keys));
            Map<String, StockItemRepository.StockItem> locked = items.lock(keys);
            StockItemRepository.StockItem item = locked.get(itemKey);
            if (item == null) {
                throw new IllegalStateException("no stock item " + itemKey);
            }
            if (item.bundle()) {
                throw new IllegalArgumentException("'" + itemKey + "' is a bundle: its level follows its components");
            }
            long delta = absolute ? value - item.onHand() : value;
            if (delta != 0) {
                Map<String, Long> inserted = ledger.insert(List.of(
                        new LedgerEntry(itemKey, delta, kind, entryKey, reference, null, null, reason)));
                items.addToOnHand(inserted);
            }
            return targets.refresh(Set.of(itemKey));
        });
    }
}
