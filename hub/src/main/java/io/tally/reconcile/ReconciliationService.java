package io.tally.reconcile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tally.catalog.Listing;
import io.tally.catalog.ListingRepository;
import io.tally.dispatch.Dispatch;
import io.tally.event.InboxRepository.PendingEvent;
import io.tally.event.InboxStatus;
import io.tally.event.Observations;
import io.tally.linking.LinkChange;
import io.tally.linking.LinkingService;
import io.tally.linking.ListingDeclaration;
import io.tally.policy.StoreProperties;
import io.tally.policy.StoreRegistry;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Makes Tally's picture of a channel store match the channel: imports new listings (seeding new items from their
 * level), relinks changed ones, unlinks vanished ones, and compares every level with Tally's. A level that differs
 * from the listing's target while nothing is in flight is a <em>correction</em>: an event or a push was missed. A
 * changed level goes through the ledger as an observation (after the settle window, by the store's adjustment
 * policy); an unchanged level that is not the target is pushed again.
 */
@Service("reconciliation")
public class ReconciliationService {

    private static final Logger log = LoggerFactory.getLogger(ReconciliationService.class);

    private final StoreRegistry stores;
    private final List<ChannelReader> readers;
    private final ListingRepository listings;
    private final LinkingService catalog;
    private final Observations observations;
    private final Dispatch dispatch;
    private final NamedParameterJdbcTemplate jdbc;
    private final MeterRegistry meters;
    private final ObjectMapper objectMapper;

    public ReconciliationService(
            StoreRegistry stores,
            List<ChannelReader> readers,
            ListingRepository listings,
            LinkingService catalog,
            Observations observations,
            Dispatch dispatch,
            NamedParameterJdbcTemplate jdbc,
            MeterRegistry meters,
            ObjectMapper objectMapper) {
        this.stores = stores;
        this.readers = readers;
        this.listings = listings;
        this.catalog = catalog;
        this.observations = observations;
        this.dispatch = dispatch;
        this.jdbc = jdbc;
        this.meters = meters;
        this.objectMapper = objectMapper;
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
        long id = start(storeId, trigger);
        try {
            ChannelReader.Snapshot snapshot = reader.read(storeId, listings.findByStore(storeId));
            return apply(
                    id,
                    storeId,
                    store,
                    snapshot.listings(),
                    snapshot.complete() ? Scope.STORE : Scope.SEEN,
                    null,
                    trigger,
                    started);
        } catch (RuntimeException e) {
            finish(id, 0, 0, 0, e.getMessage(), List.of());
            throw new ReconciliationFailedException(
                    "reconciliation of store '" + storeId + "' failed: " + e.getMessage(), e);
        }
    }

    /** The listings of one product, as the channel describes it now (a product webhook): its vanished variants are unlinked. */
    public ReconciliationReport applyProduct(
            String storeId, String productId, List<ChannelListing> seen, String trigger) {
        StoreProperties store = stores.find(storeId).orElseThrow();
        return apply(start(storeId, trigger), storeId, store, seen, Scope.PRODUCT, productId, trigger, Instant.now());
    }

    private enum Scope {
        STORE,
        PRODUCT,
        SEEN
    }

    private ReconciliationReport apply(
            long id,
            String storeId,
            StoreProperties store,
            List<ChannelListing> seen,
            Scope scope,
            String productId,
            String trigger,
            Instant started) {
        Map<String, Listing> known = new HashMap<>();
        listings.findByStore(storeId).forEach(l -> known.put(l.ref(), l));
        Set<String> seenRefs = new HashSet<>();
        Set<Long> toPush = new HashSet<>();
        List<PendingEvent> unparked = new ArrayList<>();
        List<String> details = new ArrayList<>();
        int declared = 0;
        int corrections = 0;
        int repushed = 0;
        String channel = store.channel();
        for (ChannelListing seenListing : seen) {
            seenRefs.add(seenListing.ref());
            Listing existing = known.get(seenListing.ref());
            boolean isNew = existing == null;
            if (isNew || linkChanged(existing, seenListing)) {
                // The channel's level goes with every (re)link: a variant whose SKU now names another item may seed
                // it (master, then source, then peer; LinkingService.seed decides), and is known at that level.
                try {
                    LinkChange change = catalog.declareListing(
                            storeId,
                            seenListing.ref(),
                            new ListingDeclaration(
                                    seenListing.sku(),
                                    seenListing.barcode(),
                                    seenListing.handle(),
                                    seenListing.master(),
                                    seenListing.hidden(),
                                    null,
                                    null,
                                    null,
                                    seenListing.level()));
                    toPush.addAll(change.listingsToPush());
                    unparked.addAll(change.unparked());
                    existing = change.listing();
                    declared++;
                } catch (IllegalArgumentException e) {
                    details.add(seenListing.ref() + ": not linked: " + e.getMessage());
                    continue;
                }
            }
            listings.setChannelIds(
                    existing.id(),
                    seenListing.channelItem(),
                    seenListing.channelLocation(),
                    seenListing.channelProduct(),
                    seenListing.title());
            if (isNew || existing.hidden() || seenListing.level() == null) {
                continue;
            }
            long level = seenListing.level();
            boolean inFlight = existing.inflightLevel() != null || hasUnfinishedEvents(storeId, existing.ref());
            boolean drifted = level != existing.target() && !inFlight;
            if (drifted) {
                corrections++;
                details.add(existing.ref() + ": channel shows " + level + ", target " + existing.target()
                        + ", Tally knew " + existing.knownLevel());
            }
            if (!Objects.equals(existing.knownLevel(), level)) {
                observations.recordRead(storeId, channel, existing.ref(), level, seenListing.levelAt(), trigger);
            } else if (drifted) {
                toPush.add(existing.id());
                repushed++;
            }
        }
        int unlinked = 0;
        if (scope != Scope.SEEN) {
            for (Listing listing : known.values()) {
                boolean inScope = scope == Scope.STORE
                        ? listing.channelItem() != null
                        : Objects.equals(productId, listing.channelProduct());
                if (inScope && !seenRefs.contains(listing.ref()) && listing.itemKey() != null) {
                    toPush.addAll(catalog.unlink(storeId, listing.ref()));
                    details.add(listing.ref() + ": gone from the channel, unlinked");
                    unlinked++;
                }
            }
        }
        dispatch.applyEvents(unparked);
        dispatch.push(toPush);
        finish(id, seen.size(), corrections, repushed, null, details);
        if (corrections > 0) {
            Counter.builder("tally.reconciliation.corrections")
                    .description("Listings reconciliation found off target with nothing in flight (a missed event)")
                    .tag("store", storeId)
                    .register(meters)
                    .increment(corrections);
            log.warn("reconciliation of store {} corrected {} listing(s): {}", storeId, corrections, details);
        }
        return new ReconciliationReport(
                id,
                storeId,
                trigger,
                started,
                Instant.now(),
                seen.size(),
                declared,
                unlinked,
                corrections,
                repushed,
                null,
                details);
    }

    private static boolean linkChanged(Listing existing, ChannelListing seen) {
        return !Objects.equals(existing.sku(), seen.sku())
                || !Objects.equals(existing.barcode(), seen.barcode())
                || !Objects.equals(existing.handle(), seen.handle())
                || existing.master() != seen.master()
                || existing.hidden() != seen.hidden()
                || (existing.itemKey() == null && !seen.hidden());
    }

    private boolean hasUnfinishedEvents(String store, String ref) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                """
                SELECT EXISTS (SELECT 1 FROM inbox_event WHERE store = :store AND key_kind = 'ref' AND key_value = :ref
                               AND status IN (%s, %s))
                """.formatted(InboxStatus.PENDING.sql(), InboxStatus.WAITING.sql()),
                Map.of("store", store, "ref", ref),
                Boolean.class));
    }

    private ChannelReader reader(StoreProperties store) {
        return readers.stream().filter(r -> r.supports(store)).findFirst().orElse(null);
    }

    private long start(String store, String trigger) {
        return jdbc.queryForObject(
                "INSERT INTO reconciliation (store, trigger) VALUES (:store, :trigger) RETURNING id",
                Map.of("store", store, "trigger", trigger),
                Long.class);
    }

    private void finish(long id, int checked, int corrections, int repushed, String error, List<String> details) {
        String json;
        try {
            json = objectMapper.writeValueAsString(details);
        } catch (JsonProcessingException e) {
            json = "[]";
        }
        jdbc.update(
                """
                UPDATE reconciliation SET finished_at = now(), checked = :checked, corrections = :corrections,
                       repushed = :repushed, error = :error, details = CAST(:details AS jsonb)
                WHERE id = :id
                """,
                new MapSqlParameterSource("id", id)
                        .addValue("checked", checked)
                        .addValue("corrections", corrections)
                        .addValue("repushed", repushed)
                        .addValue("error", error)
                        .addValue("details", json));
    }

    /** Newest first; {@code store} null for every store. */
    public List<Map<String, Object>> recent(String store, int limit) {
        return jdbc.query("""
                SELECT id, store, trigger, started_at, finished_at, checked, corrections, repushed, error,
                       details::text AS details
                FROM reconciliation WHERE CAST(:store AS text) IS NULL OR store = :store
                ORDER BY id DESC LIMIT :limit
                """, new MapSqlParameterSource("store", store).addValue("limit", limit), (rs, n) -> {
            Map<String, Object> row = new java.util.LinkedHashMap<>();
            row.put("id", rs.getLong("id"));
            row.put("store", rs.getString("store"));
            row.put("trigger", rs.getString("trigger"));
            row.put("startedAt", instant(rs.getTimestamp("started_at")));
            row.put("finishedAt", instant(rs.getTimestamp("finished_at")));
            row.put("checked", rs.getInt("checked"));
            row.put("corrections", rs.getInt("corrections"));
            row.put("repushed", rs.getInt("repushed"));
            row.put("error", rs.getString("error"));
            try {
                row.put(
                        "details",
                        rs.getString("details") == null
                                ? List.of()
                                : objectMapper.readValue(rs.getString("details"), List.class));
            } catch (JsonProcessingException e) {
                row.put("details", List.of());
            }
            return row;
        });
    }

    /** Corrections per store over all reconciliations (the API and the store health). */
    public Map<String, Long> correctionsByStore() {
        Map<String, Long> totals = new HashMap<>();
        jdbc.query("SELECT store, COALESCE(SUM(corrections), 0) FROM reconciliation GROUP BY store", rs -> {
            totals.put(rs.getString(1), rs.getLong(2));
        });
        return totals;
    }

    private static String instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant().toString();
    }
}
