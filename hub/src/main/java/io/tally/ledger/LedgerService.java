package io.tally.ledger;

import io.tally.catalog.ListingRepository;
import io.tally.catalog.TargetRefresher;
import io.tally.dispatch.Dispatch;
import io.tally.event.InboxRepository;
import io.tally.policy.StoreRegistry;
import io.tally.policy.TallyProperties;
import io.tally.support.SqlArrays;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
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
    private final StockItemRepository items;
    private final LedgerRepository ledger;
    private final InboxRepository inbox;
    private final TargetRefresher targets;
    private final BatchSnapshotLoader loader;
    private final BatchWriter writer;
    private final StoreRegistry stores;
    private final TransactionTemplate transaction;
    private final Dispatch dispatch;
    private final ConcurrentHashMap<String, PartitionTurn> turns = new ConcurrentHashMap<>();
    /** The most events one transaction takes when batches were handed over (a resumed backlog can be large). */
    private final int maxMergedBatch;
    /** Events that failed on their own for a reason of unknown nature, with the number of such attempts. */
    private final ConcurrentHashMap<Long, Integer> failedAlone = new ConcurrentHashMap<>();

    static final int MAX_UNKNOWN_FAILURES = 5;
    /**
     * How long a difference the channel's time cannot order must persist before it is corrected: the longer settle
     * window, so that the order or restock that explains it (its webhook may lag the level's) is booked first.
     */
    private final long persistenceMs;

    public LedgerService(
            NamedParameterJdbcTemplate jdbc,
            SqlArrays arrays,
            StockItemRepository items,
            LedgerRepository ledger,
            ListingRepository listings,
            InboxRepository inbox,
            TargetRefresher targets,
            StoreRegistry stores,
            TransactionTemplate transaction,
            TallyProperties properties,
            Dispatch dispatch) {
        this.dispatch = dispatch;
        this.maxMergedBatch = Math.max(1, properties.ledger().batchSize() * 5);
        this.persistenceMs = Math.max(
                properties.ledger().observationSettleMs(), properties.ledger().readSettleMs());
        this.jdbc = jdbc;
        this.items = items;
        this.ledger = ledger;
        this.inbox = inbox;
        this.targets = targets;
        this.loader = new BatchSnapshotLoader(jdbc, arrays, items, listings, targets);
        this.writer = new BatchWriter(jdbc, arrays, items, ledger, listings, inbox, targets);
        this.stores = stores;
        this.transaction = transaction;
    }

    /**
     * Applies a batch the aggregator completed for one partition, one batch per partition at a time. A batch that
     * completes while its partition is being applied is not applied beside it (it would only wait for the same item
     * rows, holding a thread, and under load the batches queued this way stayed small): it is handed to the thread
     * already applying, which takes everything handed over in one next transaction. Batches thus grow with the load,
     * as a group commit does. The handing thread returns at once with nothing to push; the applying thread requests
     * the pushes of each round before it applies the next, and returns those of its last round. Ids handed over and
     * lost to a failure stay pending in the inbox, where the recovery job finds them.
     */
    public AppliedBatch applyBatch(List<Long> inboxIds, String partition) {
        if (inboxIds == null || inboxIds.isEmpty()) {
            return AppliedBatch.EMPTY;
        }
        PartitionTurn turn = turns.computeIfAbsent(partition, p -> new PartitionTurn());
        synchronized (turn) {
            turn.handedOver.addAll(inboxIds);
            if (turn.applying) {
                return AppliedBatch.EMPTY;
            }
            turn.applying = true;
        }
        int events = 0;
        List<Long> toPush = List.of();
        boolean done = false;
        try {
            while (true) {
                List<Long> next;
                synchronized (turn) {
                    if (turn.handedOver.isEmpty()) {
                        turn.applying = false;
                        done = true;
                        break;
                    }
                    next = turn.take(maxMergedBatch);
                }
                // More follows: the listings of the round just applied are pushed now, not when the load stops.
                dispatch.push(toPush);
                AppliedBatch applied = applyBatch(next);
                events += applied.events();
                toPush = applied.listingsToPush();
            }
        } finally {
            if (!done) {
                synchronized (turn) {
                    turn.applying = false;
                }
            }
        }
        return new AppliedBatch(events, toPush);
    }

    /** One partition's turn: whether a thread is applying it, and the ids handed to that thread. */
    private static final class PartitionTurn {
        boolean applying;
        List<Long> handedOver = new ArrayList<>();

        List<Long> take(int max) {
            if (handedOver.size() <= max) {
                List<Long> all = handedOver;
                handedOver = new ArrayList<>();
                return all;
            }
            List<Long> first = new ArrayList<>(handedOver.subList(0, max));
            handedOver = new ArrayList<>(handedOver.subList(max, handedOver.size()));
            return first;
        }
    }

    /**
     * Applies the still-pending events among these inbox ids; ids already applied or taken by another batch are
     * skipped. A failure the database caused ({@link ApplyFailure#TRANSIENT}: down, restarting, a deadlock) is thrown
     * and every event stays pending, to be retried by the route and, failing that, by the ledger-recovery job. Any
     * other failure is isolated: the events are applied one by one, so only the culprit is rejected.
     */
    public AppliedBatch applyBatch(List<Long> inboxIds) {
        if (inboxIds == null || inboxIds.isEmpty()) {
            return AppliedBatch.EMPTY;
        }
        try {
            AppliedBatch applied = applyInOneTransaction(inboxIds);
            if (!failedAlone.isEmpty()) {
                inboxIds.forEach(failedAlone::remove);
            }
            return applied;
        } catch (RuntimeException e) {
            ApplyFailure kind = ApplyFailure.of(e);
            if (kind == ApplyFailure.TRANSIENT) {
                log.warn(
                        "ledger batch of {} events not applied, the database is unavailable ({}); they stay pending"
                                + " and are retried",
                        inboxIds.size(),
                        rootMessage(e));
                throw e;
            }
            return isolate(inboxIds, kind, e);
        }
    }

    private AppliedBatch isolate(List<Long> inboxIds, ApplyFailure kind, RuntimeException e) {
        if (inboxIds.size() == 1) {
            failedAlone(inboxIds.get(0), kind, e);
            return AppliedBatch.EMPTY;
        }
        // One bad event must not hold up the others: apply them one by one, rejecting only the culprit. A transient
        // failure on the way is thrown: the rest stay pending and the whole batch is retried.
        log.warn("batch of {} events failed ({}); applying them one by one", inboxIds.size(), rootMessage(e));
        List<Long> toPush = new ArrayList<>();
        int applied = 0;
        for (Long id : inboxIds) {
            AppliedBatch single = applyBatch(List.of(id));
            applied += single.events();
            toPush.addAll(single.listingsToPush());
        }
        return new AppliedBatch(applied, toPush);
    }

    /**
     * One event failed on its own. A data problem (a value or key the database cannot store) rejects it at once; a
     * failure of unknown nature leaves it pending for the recovery job, and rejects it only after
     * {@link #MAX_UNKNOWN_FAILURES} such attempts, so no event stays pending for good.
     */
    private void failedAlone(long inboxId, ApplyFailure kind, RuntimeException e) {
        if (kind == ApplyFailure.DATA) {
            failedAlone.remove(inboxId);
            reject(inboxId, "could not be stored: " + rootMessage(e), e);
            return;
        }
        int attempts = failedAlone.merge(inboxId, 1, Integer::sum);
        if (attempts >= MAX_UNKNOWN_FAILURES) {
            failedAlone.remove(inboxId);
            reject(inboxId, "could not be applied after " + attempts + " attempts: " + rootMessage(e), e);
        } else {
            log.warn(
                    "event {} could not be applied (attempt {} of {}); it stays pending and is retried: {}",
                    inboxId,
                    attempts,
                    MAX_UNKNOWN_FAILURES,
                    rootMessage(e));
        }
    }

    private AppliedBatch applyInOneTransaction(List<Long> inboxIds) {
        return transaction.execute(status -> new BatchApplication(
                        jdbc,
                        loader,
                        writer,
                        stores,
                        java.time.Duration.ofMillis(persistenceMs),
                        java.time.Clock.systemUTC())
                .run(inboxIds));
    }

    /** Keeps the event for review with the reason; it changes no stock. */
    private void reject(long inboxId, String reason, RuntimeException cause) {
        log.error("event {} cannot be applied; rejected and kept for review: {}", inboxId, reason, cause);
        // Set in a transaction of its own; the outcome is cut short (a long key may be quoted in the message).
        inbox.rejectPending(inboxId, reason.length() > 500 ? reason.substring(0, 500) + "…" : reason);
    }

    /** The innermost message (PostgreSQL's own words), not the wrappers' SQL text. */
    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message.strip());
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
        return bookAdmin(
                itemKey, onHand, true, "count", "admin-count:" + itemKey + ":" + UUID.randomUUID(), reason, null);
    }

    private List<Long> bookAdmin(
            String itemKey,
            long value,
            boolean absolute,
            String kind,
            String entryKey,
            String reason,
            String reference) {
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
                Map<String, Long> inserted = ledger.insert(
                        List.of(new LedgerEntry(itemKey, delta, kind, entryKey, reference, null, null, reason)));
                items.addToOnHand(inserted);
            }
            return targets.refresh(Set.of(itemKey));
        });
    }
}
