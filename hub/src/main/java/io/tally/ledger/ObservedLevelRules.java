package io.tally.ledger;

import io.tally.catalog.Listing;
import io.tally.event.EventType;
import io.tally.ledger.StockItemRepository.StockItem;
import io.tally.policy.StoreProperties;
import io.tally.policy.StoreProperties.AdjustmentPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** The rules for a level change seen on a channel: an echo of Tally's own push, a count on the master, or an edit. */
final class ObservedLevelRules {

    private final BatchState state;
    private final Duration settleWindow;
    private final Clock clock;

    ObservedLevelRules(BatchState state, Duration settleWindow, Clock clock) {
        this.state = state;
        this.settleWindow = settleWindow;
        this.clock = clock;
    }

    void observed(InboxRow row, EventTarget target, StoreProperties store) {
        Listing listing =
                target.listing() == null ? null : state.listing(target.listing().id());
        if (target.ambiguous()) {
            state.finish(
                    row,
                    Outcome.of(
                            Outcome.Code.AMBIGUOUS_KEY,
                            row.store(),
                            row.keyKind().wireName(),
                            row.keyValue()));
            return;
        }
        if (listing == null && row.type() == EventType.SET) {
            state.finish(
                    row,
                    Outcome.of(
                            Outcome.Code.SET_WITHOUT_LISTING,
                            row.store(),
                            row.keyKind().wireName(),
                            row.keyValue()));
            return;
        }
        // Only a marketplace's level snapshot can be stale; an adjustment is a delta and always counts.
        if (listing != null
                && row.type() == EventType.SET
                && row.occurredAt() != null
                && store.channelAdjustsOwnLevel()) {
            Instant knownAt = state.knownAt(listing);
            if (knownAt != null && !row.occurredAt().isAfter(knownAt)) {
                if (!persistsDespiteItsTime(row, listing, store, knownAt)) {
                    return;
                }
            } else {
                state.observedAt(listing, row.occurredAt());
            }
        }
        StockItem item = state.item(target.itemKey());
        Long known = listing == null ? null : state.known(listing);
        if (listing != null && item.bundle()) {
            long level = BookingRules.observedLevel(row.type(), row.quantity(), known == null ? 0 : known);
            state.setLevels(listing, level, level);
            state.finish(row, Outcome.of(Outcome.Code.BUNDLE_PUSHED_BACK));
            return;
        }
        long delta;
        Long observedLevel;
        if (row.type() == EventType.SET) {
            long level = row.quantity();
            switch (BookingRules.readSet(
                    level,
                    listing.lastPushed(),
                    listing.inflightLevel(),
                    listing.master(),
                    store.channelAdjustsOwnLevel(),
                    known)) {
                case ECHO -> {
                    state.setLevels(listing, level, state.synced(listing));
                    state.finish(row, Outcome.of(Outcome.Code.ECHO_IGNORED));
                    return;
                }
                case MASTER_COUNT_AGAINST_KNOWN -> {
                    long count = level - known;
                    if (count != 0) {
                        state.book(target.itemKey(), count, "count", row);
                    }
                    state.setLevels(listing, level, state.synced(listing));
                    state.finish(
                            row,
                            count == 0
                                    ? Outcome.of(Outcome.Code.NO_CHANGE)
                                    : Outcome.of(Outcome.Code.MASTER_COUNTED, level, count));
                    return;
                }
                case MASTER_COUNT_AGAINST_ON_HAND -> {
                    long count = level - state.currentOnHand(target.itemKey());
                    if (count != 0) {
                        state.book(target.itemKey(), count, "count", row);
                    }
                    state.setLevels(listing, level, state.synced(listing));
                    state.finish(row, Outcome.of(Outcome.Code.MASTER_SET, level));
                    return;
                }
                case BASELINE -> {
                    state.setLevels(listing, level, level);
                    state.finish(row, Outcome.of(Outcome.Code.BASELINE_RECORDED));
                    return;
                }
                case NO_CHANGE -> {
                    // Nothing to book, but a push that failed its compare-and-set waits on this to be re-planned.
                    state.touch(listing.itemKey());
                    state.finish(row, Outcome.of(Outcome.Code.NO_CHANGE));
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
        AdjustmentPolicy policy =
                BookingRules.adjustmentPolicy(listing != null && listing.master(), store.effectiveAdjustments());
        Long synced = listing == null ? null : state.synced(listing);
        switch (policy) {
            // The channel's own figure is not taken as in sync: the recomputed target is pushed to it too, so every
            // listing ends on Tally's number even if the observation was stale.
            case APPLY -> state.book(target.itemKey(), delta, "adjustment", row);
            // Accept the edited level as what the channel holds, so the target is pushed over it.
            case REVERT -> synced = observedLevel;
            case IGNORE -> {}
        }
        if (listing != null) {
            state.setLevels(listing, observedLevel, synced);
        }
        state.finish(row, BookingRules.adjustmentOutcome(policy, delta));
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
     * by default) after it was first seen is a difference that persists: it is judged like a newer snapshot, whatever
     * the timestamps (so a read after a failed compare-and-set, or the next reconciliation, always repairs drift).</li>
     * </ul>
     * A sale or restock booked meanwhile changes the known level, so a snapshot taken before it never counts as
     * persisting against the level after it.
     *
     * @return true when the snapshot is to be judged as a newer one; false when it was finished here
     */
    private boolean persistsDespiteItsTime(InboxRow row, Listing listing, StoreProperties store, Instant knownAt) {
        long level = row.quantity();
        Long known = state.known(listing);
        Undecided before = state.undecided(listing);
        boolean sameSecond = row.occurredAt().equals(knownAt);
        boolean writtenInKnownSecond = sameSecond
                && knownAt.equals(listing.knownAt())
                && state.writtenLevels(listing).contains(level);
        if (BookingRules.staleEcho(level, known, listing.lastPushed(), listing.inflightLevel(), writtenInKnownSecond)) {
            state.finish(row, Outcome.of(Outcome.Code.STALE_OBSERVATION, level, row.occurredAt(), knownAt));
            return false;
        }
        Instant now = clock.instant();
        Undecided next = BookingRules.undecidedAfter(before, level, known, now, settleWindow);
        state.setUndecided(listing, next);
        if (next == null) {
            return true;
        }
        boolean verify = store.pushComparesAndSets() && sameSecond;
        if (verify) {
            // Not known to hold the target any more: the next push's compare-and-set asks the channel.
            state.unsynced(listing);
        }
        state.finish(
                row,
                Outcome.of(
                        verify ? Outcome.Code.UNDECIDED_VERIFYING : Outcome.Code.UNDECIDED,
                        level,
                        row.occurredAt(),
                        known,
                        knownAt));
        return false;
    }
}
