package io.tally.reconcile;

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
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Applies what a channel shows of a store to Tally, listing by listing: imports new listings (seeding new items from
 * their level), relinks changed ones, unlinks vanished ones, and compares every level with Tally's. A level that
 * differs from the listing's target while nothing is in flight is a <em>correction</em>: an event or a push was
 * missed. A changed level goes through the ledger as an observation (after the settle window, by the store's
 * adjustment policy); an unchanged level that is not the target is pushed again.
 */
@Component
class StoreReconciler {

    // Logged under the service's name, as before this class was split out of it, so log filters keep working.
    private static final Logger log = LoggerFactory.getLogger(ReconciliationService.class);

    /** Which known listings the channel's answer covers, so which missing ones are gone from the channel. */
    enum Scope {
        /** The store's whole catalog: every known channel listing missing from it is gone. */
        STORE,
        /** One product's listings: its known variants missing from it are gone. */
        PRODUCT,
        /** Only the levels of known listings: nothing can be told gone. */
        SEEN
    }

    private final ListingRepository listings;
    private final LinkingService catalog;
    private final Observations observations;
    private final Dispatch dispatch;
    private final NamedParameterJdbcTemplate jdbc;
    private final MeterRegistry meters;
    private final ReconciliationRuns runs;

    StoreReconciler(
            ListingRepository listings,
            LinkingService catalog,
            Observations observations,
            Dispatch dispatch,
            NamedParameterJdbcTemplate jdbc,
            MeterRegistry meters,
            ReconciliationRuns runs) {
        this.listings = listings;
        this.catalog = catalog;
        this.observations = observations;
        this.dispatch = dispatch;
        this.jdbc = jdbc;
        this.meters = meters;
        this.runs = runs;
    }

    /** Applies {@code seen} as run {@code id} (already started) and completes the run's row. */
    ReconciliationReport apply(
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
        runs.finish(id, seen.size(), corrections, repushed, null, details);
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
}
