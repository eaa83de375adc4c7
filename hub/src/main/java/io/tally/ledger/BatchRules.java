package io.tally.ledger;

import io.tally.catalog.Listing;
import io.tally.event.EventType;
import io.tally.policy.StoreProperties;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The batch's rules step: decides what each event of a {@link BatchSnapshot} books, in order, on the
 * {@link BatchState}. No database: the waiting rows a new booking answers are read by the loader when
 * {@link BatchState#hasNewBookings()} asks for them and handed to {@link #decideWaiting}.
 */
final class BatchRules {

    private final BatchState state;
    private final Function<String, Optional<StoreProperties>> stores;
    private final ObservedLevelRules observed;

    BatchRules(
            BatchState state, Function<String, Optional<StoreProperties>> stores, Duration settleWindow, Clock clock) {
        this.state = state;
        this.stores = stores;
        this.observed = new ObservedLevelRules(state, settleWindow, clock);
    }

    void decide(BatchSnapshot snapshot) {
        for (InboxRow row : snapshot.rows()) {
            EventTarget target = snapshot.targets().get(row.id());
            if (target.listing() != null && target.listing().hidden()) {
                state.finish(
                        row,
                        Outcome.of(Outcome.Code.HIDDEN_IGNORED, target.listing().ref()));
            } else if (target.itemKey() == null || state.item(target.itemKey()) == null) {
                state.finish(
                        row,
                        Outcome.of(
                                Outcome.Code.PARKED_UNKNOWN_KEY,
                                row.keyKind().wireName(),
                                BookingRules.abbreviated(row.keyValue())));
            } else {
                apply(row, target);
            }
        }
    }

    /** Cancels and restocks that arrived before the sales just booked on these lines: applied now, in id order. */
    void decideWaiting(Map<String, OrderLine> booked, WaitingReturns waiting) {
        for (OrderLine line : booked.values()) {
            List<InboxRow> rows = new ArrayList<>(waiting.stored().getOrDefault(line.key(), List.of()));
            rows.addAll(state.waitingInBatch(line.key()));
            rows.sort(Comparator.comparingLong(InboxRow::id));
            for (InboxRow row : rows) {
                Outcome decided = state.outcome(row);
                if (decided != null && !decided.waiting()) {
                    continue; // decided in this batch already
                }
                StoreProperties store = stores.apply(row.store()).orElse(null);
                if (store == null) {
                    state.finish(row, Outcome.of(Outcome.Code.STORE_UNCONFIGURED, row.store()));
                } else {
                    Listing listing = state.adoptLocked(waiting.listings().get(row.id()));
                    giveBack(row, new EventTarget(line.itemKey, listing, false), store);
                }
            }
        }
    }

    private void apply(InboxRow row, EventTarget target) {
        StoreProperties store = stores.apply(row.store()).orElse(null);
        if (store == null) {
            state.finish(row, Outcome.of(Outcome.Code.STORE_UNCONFIGURED, row.store()));
            return;
        }
        switch (row.type()) {
            case SALE -> {
                channelTookUnits(row, target, store);
                sale(row, target, store);
            }
            case CANCEL, RESTOCK -> giveBack(row, target, store);
            case ADJUST, SET -> observed.observed(row, target, store);
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
    private void levelUnsureAfterOwnOrder(EventTarget target, StoreProperties store) {
        if (!store.channelAdjustsOwnLevel() || store.pushComparesAndSets() || target.listing() == null) {
            return;
        }
        state.unsynced(state.listing(target.listing().id()));
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
    private void channelTookUnits(InboxRow row, EventTarget target, StoreProperties store) {
        if (!store.channelAdjustsOwnLevel() || target.listing() == null) {
            return;
        }
        long units = row.quantity();
        if (row.orderId() != null) {
            OrderLine line = state.lineOrNew(row, target.itemKey());
            units = BookingRules.unitsChannelTakes(row.quantity(), line);
            if (units > 0) {
                line.channelTaken += units;
                line.dirty = true;
            }
        }
        if (units > 0) {
            Listing listing = state.listing(target.listing().id());
            if (row.orderId() == null) {
                state.channelMoved(listing, -units, row); // booked at once, so known and synced move together
            } else {
                state.shiftKnown(listing, -units);
                state.channelTimeAdvances(listing, row);
            }
        }
    }

    private void sale(InboxRow row, EventTarget target, StoreProperties store) {
        OrderLine line = row.orderId() == null ? null : state.lineOrNew(row, target.itemKey());
        BookingRules.Decision decision = BookingRules.sale(row, store.bookOn(), line);
        if (decision.units() > 0 && line == null) {
            state.book(target.itemKey(), -decision.units(), "sale", row);
        } else if (decision.units() > 0) {
            long coveredBefore = line.channelCoveredByBooking();
            line.booked += decision.units();
            line.dirty = true;
            long covered = line.channelCoveredByBooking() - coveredBefore;
            if (covered > 0 && store.channelAdjustsOwnLevel() && target.listing() != null) {
                // Units the channel took (channelTookUnits runs first) and Tally has now booked: the listing's lower
                // level is its target.
                state.shiftSynced(state.listing(target.listing().id()), -covered);
            }
            state.book(line.itemKey, -decision.units(), "sale", row);
            state.newBookingOn(line);
        }
        state.finish(row, decision.outcome());
    }

    private void giveBack(InboxRow row, EventTarget target, StoreProperties store) {
        giveBackOnHand(row, target.itemKey(), store);
        Outcome outcome = state.outcome(row);
        if (outcome != null
                && outcome.waiting()
                && row.type() == EventType.CANCEL
                && store.channelAdjustsOwnLevel()
                && target.listing() != null) {
            releaseHold(row, target);
            return;
        }
        if (outcome != null && !outcome.waiting() && store.channelAdjustsOwnLevel() && target.listing() != null) {
            // The channel put the units back on its own shelf whatever Tally books (a refund restock on a store
            // that restocks on returns still raised the channel's level): Tally's model of it follows.
            state.channelMoved(state.listing(target.listing().id()), row.quantity(), row);
        }
    }

    /**
     * A cancelled order Tally never booked (unpaid on a paid-only store): the channel put the units it held back on
     * its shelf. Only the known level follows; the line no longer holds them, so should its sale still arrive
     * (delivered out of order) it is taken, booked and then released like any other.
     */
    private void releaseHold(InboxRow row, EventTarget target) {
        OrderLine line = state.line(row);
        if (line == null) {
            return;
        }
        long held = BookingRules.unitsHeld(row.quantity(), line);
        if (held > 0) {
            line.channelTaken -= held;
            line.dirty = true;
            Listing listing = state.listing(target.listing().id());
            state.shiftKnown(listing, held);
            state.channelTimeAdvances(listing, row);
        }
    }

    private void giveBackOnHand(InboxRow row, String itemKey, StoreProperties store) {
        String kind = row.type() == EventType.CANCEL ? "cancel" : "restock";
        OrderLine line = row.orderId() == null ? null : state.line(row);
        BookingRules.Decision decision = BookingRules.giveBack(row, store.restockOn(), line);
        if (decision.outcome().waiting()) {
            state.waitInBatch(row);
        } else if (decision.units() > 0 && line == null) {
            state.book(itemKey, decision.units(), kind, row);
        } else if (decision.units() > 0) {
            line.returned += decision.units();
            line.dirty = true;
            state.book(line.itemKey, decision.units(), kind, row);
        }
        state.finish(row, decision.outcome());
    }
}
