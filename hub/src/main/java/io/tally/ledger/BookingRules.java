package io.tally.ledger;

import io.tally.catalog.Listing;
import io.tally.event.EventType;
import io.tally.policy.StoreProperties;
import io.tally.policy.StoreProperties.AdjustmentPolicy;
import io.tally.policy.StoreProperties.BookOn;
import io.tally.policy.StoreProperties.RestockOn;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The ledger's booking rules as pure decisions over what a batch read (no JDBC, no Spring): each returns the outcome
 * and the units to book, and {@link BatchRules} applies them to the batch's in-memory state for the writer.
 */
final class BookingRules {

    /** Cause of a cancel whose channel knows the line never reached the stage the store books on. */
    static final String UNBOOKED = io.tally.event.CanonicalEvent.CAUSE_UNBOOKED;

    private BookingRules() {}

    /** What a decision books: units (signed, 0 for nothing) on the event's line or item. */
    record Decision(Outcome outcome, long units) {

        static Decision nothing(Outcome.Code code, Object... detail) {
            return new Decision(Outcome.of(code, detail), 0);
        }
    }

    /**
     * A sale: booked at the stage the store books on, at most once per order line (a repeated or lower quantity is a
     * duplicate; a raised quantity books the increase).
     *
     * @param line the order line as booked so far (null for a sale without an order)
     * @return the units sold (positive)
     */
    static Decision sale(InboxRow row, BookOn bookOn, OrderLine line) {
        if ("created".equals(row.stage()) && bookOn == BookOn.PAID) {
            return Decision.nothing(Outcome.Code.NOT_PAID_YET);
        }
        if (row.orderId() == null) {
            return new Decision(Outcome.of(Outcome.Code.BOOKED, row.quantity()), row.quantity());
        }
        if (row.quantity() <= line.booked) {
            return Decision.nothing(Outcome.Code.DUPLICATE, row.orderId(), row.lineId(), line.booked);
        }
        long increase = row.quantity() - line.booked;
        return new Decision(Outcome.of(Outcome.Code.BOOKED, increase), increase);
    }

    /**
     * A cancel or restock: a restock whose cause the store does not restock on books nothing; one of an order line
     * gives back at most what the line booked and has not returned yet, and waits for the line's sale if none is
     * booked (unless the channel says it was cancelled before it was booked).
     *
     * @param line the order line as booked so far (null when none)
     * @return the units given back (positive)
     */
    static Decision giveBack(InboxRow row, RestockOn restockOn, OrderLine line) {
        if (row.type() == EventType.RESTOCK && row.cause() != null) {
            RestockOn wanted = "return".equals(row.cause()) ? RestockOn.RETURN : RestockOn.REFUND;
            if (restockOn != wanted) {
                return Decision.nothing(
                        Outcome.Code.RESTOCK_CAUSE_IGNORED, StoreProperties.lower(restockOn), row.cause());
            }
        }
        if (row.orderId() == null) {
            return new Decision(Outcome.of(Outcome.Code.RESTOCKED, row.quantity()), row.quantity());
        }
        boolean unbooked = line == null || line.booked == 0;
        if (unbooked && row.type() == EventType.CANCEL && UNBOOKED.equals(row.cause())) {
            return Decision.nothing(Outcome.Code.CANCELLED_UNBOOKED, row.orderId(), row.lineId());
        }
        if (unbooked) {
            return Decision.nothing(Outcome.Code.WAITING_FOR_SALE, row.orderId(), row.lineId());
        }
        long units = Math.min(row.quantity(), line.returnable());
        if (units <= 0) {
            return Decision.nothing(
                    Outcome.Code.NOTHING_TO_RETURN, row.orderId(), row.lineId(), line.booked, line.returned);
        }
        boolean cancel = row.type() == EventType.CANCEL;
        Outcome outcome = units < row.quantity()
                ? Outcome.of(cancel ? Outcome.Code.CANCEL_CAPPED : Outcome.Code.RESTOCK_CAPPED, units, row.quantity())
                : Outcome.of(cancel ? Outcome.Code.RELEASED : Outcome.Code.RESTOCKED, units);
        return new Decision(outcome, units);
    }

    /** Units a marketplace takes from its own level for a sale: once per order line, only what it has not yet. */
    static long unitsChannelTakes(long quantity, OrderLine line) {
        return line == null ? quantity : Math.max(0, quantity - line.channelTaken);
    }

    /** Units an unbooked cancel puts back on the channel's shelf: what the line holds beyond what was booked. */
    static long unitsHeld(long quantity, OrderLine line) {
        return line == null ? 0 : Math.min(quantity, line.channelTaken - line.booked);
    }

    /** The policy for an adjustment seen on a listing: the master's level is always the truth. */
    static AdjustmentPolicy adjustmentPolicy(boolean onMaster, AdjustmentPolicy storePolicy) {
        return onMaster ? AdjustmentPolicy.APPLY : storePolicy;
    }

    static Outcome adjustmentOutcome(AdjustmentPolicy policy, long delta) {
        return Outcome.of(
                switch (policy) {
                    case APPLY -> Outcome.Code.ADJUSTMENT_APPLIED;
                    case IGNORE -> Outcome.Code.ADJUSTMENT_IGNORED;
                    case REVERT -> Outcome.Code.ADJUSTMENT_REVERTED;
                },
                delta);
    }

    /** How a channel's level snapshot on a known listing is read, before any adjustment policy. */
    enum SetReading {
        ECHO,
        MASTER_COUNT_AGAINST_KNOWN,
        MASTER_COUNT_AGAINST_ON_HAND,
        BASELINE,
        NO_CHANGE,
        EDIT
    }

    /**
     * @param known the level Tally knows the listing at (null when never seen)
     * @param ownLevelMoves the channel lowers its own level on orders (a marketplace)
     */
    static SetReading readSet(
            long level, Long lastPushed, Long inflightLevel, boolean master, boolean ownLevelMoves, Long known) {
        if (Objects.equals(lastPushed, level) || Objects.equals(inflightLevel, level)) {
            return SetReading.ECHO;
        }
        if (master) {
            // On a marketplace the master's level also moves with its own orders and Tally's pushes: the edit is
            // what changed against the level Tally knows, so sales booked meanwhile are not undone.
            return ownLevelMoves && known != null
                    ? SetReading.MASTER_COUNT_AGAINST_KNOWN
                    : SetReading.MASTER_COUNT_AGAINST_ON_HAND;
        }
        if (known == null) {
            return SetReading.BASELINE;
        }
        return level == known ? SetReading.NO_CHANGE : SetReading.EDIT;
    }

    /**
     * A snapshot whose channel time is not newer than Tally's knows: Tally's own or an already known level is stale
     * (see {@code ObservedLevelRules.persistsDespiteItsTime}).
     */
    static boolean staleEcho(
            long level, Long known, Long lastPushed, Long inflightLevel, boolean writtenInKnownSecond) {
        return Objects.equals(known, level)
                || Objects.equals(lastPushed, level)
                || Objects.equals(inflightLevel, level)
                || writtenInKnownSecond;
    }

    /**
     * The listing a stock key names in a store: the master, or the only listing; none (ambiguous) when there are
     * several and none is the master.
     *
     * @param inStore the store's listings of the stock key, master first
     */
    static EventTarget targetOfStockKey(String stockKey, List<Listing> inStore) {
        if (inStore.isEmpty()) {
            return new EventTarget(stockKey, null, false);
        }
        if (inStore.get(0).master() || inStore.size() == 1) {
            return new EventTarget(stockKey, inStore.get(0), false);
        }
        return new EventTarget(stockKey, null, true);
    }

    /** The level a listing shows after an observation: a set's level, or the known level moved by an adjustment. */
    static long observedLevel(EventType type, long quantity, long known) {
        return type == EventType.SET ? quantity : known + quantity;
    }

    /** The later of two channel times, either of which may be unknown (null). */
    static Instant later(Instant seen, Instant stored) {
        return seen == null ? stored : stored == null || seen.isAfter(stored) ? seen : stored;
    }

    /**
     * A level snapshot the channel's time cannot decide, not Tally's echo: it is remembered as undecided, since when
     * it was first seen against the same known level; seen again a settle window later it persists.
     *
     * @param before the undecided level remembered so far (null when none)
     * @return the undecided level to remember; null when the difference persists (it is judged as a newer snapshot)
     */
    static Undecided undecidedAfter(Undecided before, long level, Long known, Instant now, Duration settleWindow) {
        boolean same = before != null && before.level() == level && Objects.equals(before.known(), known);
        if (same && !before.since().plus(settleWindow).isAfter(now)) {
            return null;
        }
        return new Undecided(level, known, same ? before.since() : now);
    }

    /** A key as an outcome quotes it: whole up to 200 characters (a longer key is kept whole in its own column). */
    static String abbreviated(String key) {
        return key.length() <= 200 ? key : key.substring(0, 200) + "… (" + key.length() + " characters)";
    }
}
