package io.tally.reconcile;

import io.tally.catalog.ListingRepository;
import io.tally.policy.StoreProperties;
import io.tally.policy.StoreRegistry;
import io.tally.reconcile.StoreReconciler.Scope;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Makes Tally's picture of a channel store match the channel: reads the store through its channel's
 * {@link ChannelReader} and has {@link StoreReconciler} apply what it shows (imports, relinks, unlinks and level
 * corrections), each run recorded in the {@code reconciliation} table ({@link ReconciliationRuns}).
 */
@Service("reconciliation")
public class ReconciliationService {

    private static final Logger log = LoggerFactory.getLogger(ReconciliationService.class);

    private final StoreRegistry stores;
    private final List<ChannelReader> readers;
    private final ListingRepository listings;
    private final StoreReconciler reconciler;
    private final ReconciliationRuns runs;

    ReconciliationService(
            StoreRegistry stores,
            List<ChannelReader> readers,
            ListingRepository listings,
            StoreReconciler reconciler,
            ReconciliationRuns runs) {
        this.stores = stores;
        this.readers = readers;
        this.listings = listings;
        this.reconciler = reconciler;
        this.runs = runs;
    }

    /** Every store whose channel can be read (the quartz job and start-up); one failing store does not stop the rest. */
    public List<ReconciliationReport> reconcileAll(String trigger) {
        List<ReconciliationReport> reports = new ArrayList<>();
        for (String store : stores.all().keySet()) {
            if (reader(stores.find(store).orElseThrow()) == null) {
                continue;
            }
            try {
                reports.add(reconcile(store, trigger));
            } catch (ReconciliationFailedException e) {
                log.warn("reconciliation of store {} failed: {}", store, e.getMessage());
            }
        }
        return reports;
    }

    public ReconciliationReport reconcile(String storeId, String trigger) {
        StoreProperties store =
                stores.find(storeId).orElseThrow(() -> new IllegalArgumentException("unknown store '" + storeId + "'"));
        ChannelReader reader = reader(store);
        if (reader == null) {
            throw new IllegalArgumentException(
                    "store '" + storeId + "' (channel " + store.channel() + ") has no API Tally can read levels from");
        }
        Instant started = Instant.now();
        long id = runs.start(storeId, trigger);
        try {
            ChannelReader.Snapshot snapshot = reader.read(storeId, listings.findByStore(storeId));
            return reconciler.apply(
                    id,
                    storeId,
                    store,
                    snapshot.listings(),
                    snapshot.complete() ? Scope.STORE : Scope.SEEN,
                    null,
                    trigger,
                    started);
        } catch (RuntimeException e) {
            runs.finish(id, 0, 0, 0, e.getMessage(), List.of());
            throw new ReconciliationFailedException(
                    "reconciliation of store '" + storeId + "' failed: " + e.getMessage(), e);
        }
    }

    /** The listings of one product, as the channel describes it now (a product webhook): its vanished variants are unlinked. */
    public ReconciliationReport applyProduct(
            String storeId, String productId, List<ChannelListing> seen, String trigger) {
        StoreProperties store = stores.find(storeId).orElseThrow();
        return reconciler.apply(
                runs.start(storeId, trigger), storeId, store, seen, Scope.PRODUCT, productId, trigger, Instant.now());
    }

    /** Newest first; {@code store} null for every store. */
    public List<Map<String, Object>> recent(String store, int limit, Long before) {
        return runs.recent(store, limit, before);
    }

    /** Corrections per store over all reconciliations (the API and the store health). */
    public Map<String, Long> correctionsByStore() {
        return runs.correctionsByStore();
    }

    private ChannelReader reader(StoreProperties store) {
        return readers.stream().filter(r -> r.supports(store)).findFirst().orElse(null);
    }
}
