package io.tally.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.catalog.Listing;
import io.tally.event.EventType;
import io.tally.event.InboxStatus;
import io.tally.event.KeyKind;
import io.tally.ledger.BookingRules.Decision;
import io.tally.ledger.BookingRules.SetReading;
import io.tally.ledger.Outcome.Code;
import io.tally.policy.StoreProperties.AdjustmentPolicy;
import io.tally.policy.StoreProperties.BookOn;
import io.tally.policy.StoreProperties.RestockOn;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The ledger's booking rules, case by case, without a database: each case is one row of a table. */
class BookingRulesTest {

    private static final Instant AT = Instant.parse("2026-01-01T10:00:00Z");

    private static InboxRow event(EventType type, long quantity, String orderId, String stage, String cause) {
        return new InboxRow(
                1,
                "idem-1",
                "e-1",
                "shop",
                type,
                KeyKind.SKU,
                "tee",
                quantity,
                orderId,
                orderId == null ? null : "l1",
                stage,
                cause,
                AT);
    }

    /** A line that booked {@code booked}, returned {@code returned}; {@code taken} units the channel took. */
    private static OrderLine line(long booked, long returned, long taken) {
        return new OrderLine("shop", "o1", "l1", "tee", booked, returned, taken);
    }

    static Stream<Arguments> sales() {
        return Stream.of(
                // stage, book on, line (null: no order), quantity -> code, units, prose
                Arguments.of(
                        "created",
                        BookOn.PAID,
                        line(0, 0, 0),
                        2,
                        Code.NOT_PAID_YET,
                        0,
                        "not booked: the order is not paid yet and the store books on paid"),
                Arguments.of("created", BookOn.CREATED, line(0, 0, 0), 2, Code.BOOKED, 2, "booked 2"),
                Arguments.of("paid", BookOn.PAID, line(0, 0, 0), 2, Code.BOOKED, 2, "booked 2"),
                Arguments.of(
                        "paid",
                        BookOn.CREATED,
                        line(2, 0, 0),
                        2,
                        Code.DUPLICATE,
                        0,
                        "already booked: order o1 line l1 has 2"),
                Arguments.of(
                        "paid",
                        BookOn.PAID,
                        line(3, 0, 0),
                        2,
                        Code.DUPLICATE,
                        0,
                        "already booked: order o1 line l1 has 3"),
                Arguments.of("paid", BookOn.PAID, line(2, 0, 0), 5, Code.BOOKED, 3, "booked 3"),
                Arguments.of(null, BookOn.PAID, null, 4, Code.BOOKED, 4, "booked 4"),
                Arguments.of(
                        "created",
                        BookOn.PAID,
                        null,
                        4,
                        Code.NOT_PAID_YET,
                        0,
                        "not booked: the order is not paid yet and the store books on paid"));
    }

    @ParameterizedTest(name = "sale {0} on {1}, line {2}, qty {3} -> {4} {5}")
    @MethodSource("sales")
    void sale(String stage, BookOn bookOn, OrderLine line, long quantity, Code code, long units, String prose) {
        Decision decision = BookingRules.sale(
                event(EventType.SALE, quantity, line == null ? null : "o1", stage, null), bookOn, line);
        assertThat(decision.outcome().code()).isEqualTo(code);
        assertThat(decision.units()).isEqualTo(units);
        assertThat(decision.outcome().prose()).isEqualTo(prose);
        assertThat(decision.outcome().status()).isEqualTo(InboxStatus.APPLIED);
    }

    static Stream<Arguments> giveBacks() {
        return Stream.of(
                // type, cause, restock on, has order, line, quantity -> code, units, status, prose
                Arguments.of(
                        EventType.CANCEL,
                        null,
                        RestockOn.REFUND,
                        true,
                        line(3, 0, 0),
                        3,
                        Code.RELEASED,
                        3,
                        InboxStatus.APPLIED,
                        "released 3"),
                Arguments.of(
                        EventType.CANCEL,
                        null,
                        RestockOn.REFUND,
                        true,
                        line(2, 0, 0),
                        5,
                        Code.CANCEL_CAPPED,
                        2,
                        InboxStatus.APPLIED,
                        "released 2 of 5 (capped at what the line booked)"),
                Arguments.of(
                        EventType.CANCEL,
                        null,
                        RestockOn.REFUND,
                        true,
                        line(3, 2, 0),
                        3,
                        Code.CANCEL_CAPPED,
                        1,
                        InboxStatus.APPLIED,
                        "released 1 of 3 (capped at what the line booked)"),
                Arguments.of(
                        EventType.CANCEL,
                        null,
                        RestockOn.REFUND,
                        true,
                        line(3, 3, 0),
                        1,
                        Code.NOTHING_TO_RETURN,
                        0,
                        InboxStatus.APPLIED,
                        "nothing to return: order o1 line l1 booked 3, already returned 3"),
                Arguments.of(
                        EventType.CANCEL,
                        null,
                        RestockOn.REFUND,
                        true,
                        null,
                        1,
                        Code.WAITING_FOR_SALE,
                        0,
                        InboxStatus.WAITING,
                        "waiting for the sale of order o1 line l1"),
                Arguments.of(
                        EventType.CANCEL,
                        null,
                        RestockOn.REFUND,
                        true,
                        line(0, 0, 2),
                        1,
                        Code.WAITING_FOR_SALE,
                        0,
                        InboxStatus.WAITING,
                        "waiting for the sale of order o1 line l1"),
                Arguments.of(
                        EventType.CANCEL,
                        "unbooked",
                        RestockOn.REFUND,
                        true,
                        null,
                        1,
                        Code.CANCELLED_UNBOOKED,
                        0,
                        InboxStatus.APPLIED,
                        "nothing to release: the channel says order o1 line l1 was cancelled before it was booked"),
                Arguments.of(
                        EventType.CANCEL,
                        "unbooked",
                        RestockOn.REFUND,
                        true,
                        line(2, 0, 0),
                        2,
                        Code.RELEASED,
                        2,
                        InboxStatus.APPLIED,
                        "released 2"),
                Arguments.of(
                        EventType.CANCEL,
                        null,
                        RestockOn.REFUND,
                        false,
                        null,
                        2,
                        Code.RESTOCKED,
                        2,
                        InboxStatus.APPLIED,
                        "restocked 2"),
                Arguments.of(
                        EventType.RESTOCK,
                        null,
                        RestockOn.REFUND,
                        false,
                        null,
                        2,
                        Code.RESTOCKED,
                        2,
                        InboxStatus.APPLIED,
                        "restocked 2"),
                // Returns: restocked on the refund or on the return the store names, never on both.
                Arguments.of(
                        EventType.RESTOCK,
                        "refund",
                        RestockOn.REFUND,
                        true,
                        line(2, 0, 0),
                        2,
                        Code.RESTOCKED,
                        2,
                        InboxStatus.APPLIED,
                        "restocked 2"),
                Arguments.of(
                        EventType.RESTOCK,
                        "return",
                        RestockOn.REFUND,
                        true,
                        line(2, 0, 0),
                        2,
                        Code.RESTOCK_CAUSE_IGNORED,
                        0,
                        InboxStatus.APPLIED,
                        "not restocked: the store restocks on refund, this is a return"),
                Arguments.of(
                        EventType.RESTOCK,
                        "return",
                        RestockOn.RETURN,
                        true,
                        line(2, 0, 0),
                        2,
                        Code.RESTOCKED,
                        2,
                        InboxStatus.APPLIED,
                        "restocked 2"),
                Arguments.of(
                        EventType.RESTOCK,
                        "refund",
                        RestockOn.RETURN,
                        true,
                        line(2, 0, 0),
                        2,
                        Code.RESTOCK_CAUSE_IGNORED,
                        0,
                        InboxStatus.APPLIED,
                        "not restocked: the store restocks on return, this is a refund"),
                Arguments.of(
                        EventType.RESTOCK,
                        "refund",
                        RestockOn.RETURN,
                        false,
                        null,
                        2,
                        Code.RESTOCK_CAUSE_IGNORED,
                        0,
                        InboxStatus.APPLIED,
                        "not restocked: the store restocks on return, this is a refund"),
                Arguments.of(
                        EventType.RESTOCK,
                        "refund",
                        RestockOn.REFUND,
                        true,
                        line(4, 1, 0),
                        5,
                        Code.RESTOCK_CAPPED,
                        3,
                        InboxStatus.APPLIED,
                        "restocked 3 of 5 (capped at what the line booked)"),
                Arguments.of(
                        EventType.RESTOCK,
                        "refund",
                        RestockOn.REFUND,
                        true,
                        null,
                        1,
                        Code.WAITING_FOR_SALE,
                        0,
                        InboxStatus.WAITING,
                        "waiting for the sale of order o1 line l1"),
                Arguments.of(
                        EventType.RESTOCK,
                        "unbooked",
                        RestockOn.REFUND,
                        true,
                        null,
                        1,
                        Code.WAITING_FOR_SALE,
                        0,
                        InboxStatus.WAITING,
                        "waiting for the sale of order o1 line l1"));
    }

    @ParameterizedTest(name = "{0} cause {1} on {2}, order {3}, line {4}, qty {5} -> {6} {7}")
    @MethodSource("giveBacks")
    void giveBack(
            EventType type,
            String cause,
            RestockOn restockOn,
            boolean hasOrder,
            OrderLine line,
            long quantity,
            Code code,
            long units,
            InboxStatus status,
            String prose) {
        Decision decision =
                BookingRules.giveBack(event(type, quantity, hasOrder ? "o1" : null, null, cause), restockOn, line);
        assertThat(decision.outcome().code()).isEqualTo(code);
        assertThat(decision.units()).isEqualTo(units);
        assertThat(decision.outcome().status()).isEqualTo(status);
        assertThat(decision.outcome().prose()).isEqualTo(prose);
    }

    static Stream<Arguments> holds() {
        return Stream.of(
                // quantity, line -> units the channel takes, units an unbooked cancel releases afterwards
                Arguments.of(2, null, 2, 0),
                Arguments.of(2, line(0, 0, 0), 2, 0),
                Arguments.of(2, line(0, 0, 2), 0, 2), // taken, not booked yet: a hold (paid-only store)
                Arguments.of(3, line(0, 0, 2), 1, 2),
                Arguments.of(1, line(0, 0, 2), 0, 1),
                Arguments.of(2, line(2, 0, 2), 0, 0), // booked: nothing held any more
                Arguments.of(2, line(1, 0, 2), 0, 1));
    }

    @ParameterizedTest(name = "qty {0}, line {1} -> channel takes {2}, holds {3}")
    @MethodSource("holds")
    void holds(long quantity, OrderLine line, long takes, long held) {
        assertThat(BookingRules.unitsChannelTakes(quantity, line)).isEqualTo(takes);
        assertThat(BookingRules.unitsHeld(quantity, line)).isEqualTo(held);
    }

    static Stream<Arguments> setReadings() {
        return Stream.of(
                // level, last pushed, in flight, master, own level moves, known -> reading
                Arguments.of(7, 7L, null, false, true, 5L, SetReading.ECHO),
                Arguments.of(7, 3L, 7L, true, true, 5L, SetReading.ECHO),
                Arguments.of(7, null, null, true, true, 5L, SetReading.MASTER_COUNT_AGAINST_KNOWN),
                Arguments.of(7, null, null, true, true, null, SetReading.MASTER_COUNT_AGAINST_ON_HAND),
                Arguments.of(7, null, null, true, false, 5L, SetReading.MASTER_COUNT_AGAINST_ON_HAND),
                Arguments.of(7, null, null, false, true, null, SetReading.BASELINE),
                Arguments.of(7, 4L, null, false, false, null, SetReading.BASELINE),
                Arguments.of(7, null, null, false, true, 7L, SetReading.NO_CHANGE),
                Arguments.of(7, 2L, 3L, false, false, 5L, SetReading.EDIT));
    }

    @ParameterizedTest(name = "set {0}, pushed {1}, in flight {2}, master {3}, moves {4}, known {5} -> {6}")
    @MethodSource("setReadings")
    void readSet(
            long level, Long lastPushed, Long inflight, boolean master, boolean moves, Long known, SetReading reading) {
        assertThat(BookingRules.readSet(level, lastPushed, inflight, master, moves, known))
                .isEqualTo(reading);
    }

    static Stream<Arguments> sameSecondSnapshots() {
        return Stream.of(
                // level, known, last pushed, in flight, written in the known second -> Tally's own (stale)
                Arguments.of(5, 5L, null, null, false, true),
                Arguments.of(5, 3L, 5L, null, false, true),
                Arguments.of(5, 3L, 4L, 5L, false, true),
                Arguments.of(5, 3L, 4L, null, true, true),
                Arguments.of(5, 3L, 4L, null, false, false), // undecided: the channel's answer decides
                Arguments.of(5, null, null, null, false, false));
    }

    @ParameterizedTest(name = "level {0}, known {1}, pushed {2}, in flight {3}, written {4} -> stale {5}")
    @MethodSource("sameSecondSnapshots")
    void staleEcho(long level, Long known, Long lastPushed, Long inflight, boolean written, boolean stale) {
        assertThat(BookingRules.staleEcho(level, known, lastPushed, inflight, written))
                .isEqualTo(stale);
    }

    static Stream<Arguments> adjustments() {
        return Stream.of(
                // on master, store policy, delta -> code, prose
                Arguments.of(false, AdjustmentPolicy.APPLY, -2, Code.ADJUSTMENT_APPLIED, "adjustment of -2 applied"),
                Arguments.of(
                        false,
                        AdjustmentPolicy.IGNORE,
                        3,
                        Code.ADJUSTMENT_IGNORED,
                        "adjustment of 3 ignored (store policy)"),
                Arguments.of(
                        false,
                        AdjustmentPolicy.REVERT,
                        3,
                        Code.ADJUSTMENT_REVERTED,
                        "adjustment of 3 reverted (store policy)"),
                Arguments.of(true, AdjustmentPolicy.IGNORE, 3, Code.ADJUSTMENT_APPLIED, "adjustment of 3 applied"),
                Arguments.of(true, AdjustmentPolicy.REVERT, -1, Code.ADJUSTMENT_APPLIED, "adjustment of -1 applied"));
    }

    @ParameterizedTest(name = "master {0}, policy {1}, delta {2} -> {3}")
    @MethodSource("adjustments")
    void adjustment(boolean onMaster, AdjustmentPolicy storePolicy, long delta, Code code, String prose) {
        Outcome outcome = BookingRules.adjustmentOutcome(BookingRules.adjustmentPolicy(onMaster, storePolicy), delta);
        assertThat(outcome.code()).isEqualTo(code);
        assertThat(outcome.prose()).isEqualTo(prose);
    }

    static Stream<Arguments> prose() {
        return Stream.of(
                Arguments.of(
                        Outcome.of(Code.MASTER_COUNTED, 9L, 4L),
                        InboxStatus.APPLIED,
                        "master level set to 9: on-hand counted +4"),
                Arguments.of(
                        Outcome.of(Code.MASTER_COUNTED, 1L, -3L),
                        InboxStatus.APPLIED,
                        "master level set to 1: on-hand counted -3"),
                Arguments.of(
                        Outcome.of(Code.MASTER_SET, 12L),
                        InboxStatus.APPLIED,
                        "master level set: on-hand counted at 12"),
                Arguments.of(
                        Outcome.of(Code.PARKED_UNKNOWN_KEY, "sku", "tee-%s"),
                        InboxStatus.PARKED,
                        "no listing links sku 'tee-%s' to a stock item yet; applied when one is declared"),
                Arguments.of(
                        Outcome.of(Code.STORE_UNCONFIGURED, "gone"),
                        InboxStatus.REJECTED,
                        "store 'gone' is no longer configured"),
                Arguments.of(
                        Outcome.of(Code.STALE_OBSERVATION, 5L, AT, AT),
                        InboxStatus.APPLIED,
                        "stale observation: the channel's level 5 at 2026-01-01T10:00:00Z is not newer than the one"
                                + " Tally knows (2026-01-01T10:00:00Z) and is Tally's own or already known"),
                Arguments.of(
                        Outcome.of(Code.UNDECIDED, 5L, AT, null, AT),
                        InboxStatus.APPLIED,
                        "undecided: the channel's level 5 at 2026-01-01T10:00:00Z is not newer than the level Tally"
                                + " knows (null at 2026-01-01T10:00:00Z); corrected if the channel still shows it a"
                                + " settle window later"),
                Arguments.of(
                        Outcome.of(Code.UNDECIDED_VERIFYING, 5L, AT, 4L, AT),
                        InboxStatus.APPLIED,
                        "undecided: the channel's level 5 at 2026-01-01T10:00:00Z is not newer than the level Tally"
                                + " knows (4 at 2026-01-01T10:00:00Z); corrected if the channel still shows it a"
                                + " settle window later, the target is pushed to ask"),
                Arguments.of(
                        Outcome.of(Code.AMBIGUOUS_KEY, "shop", "barcode", "123"),
                        InboxStatus.REJECTED,
                        "several listings of store 'shop' share barcode '123' and none is the master: name the"
                                + " listing with ref"),
                Arguments.of(
                        Outcome.of(Code.SET_WITHOUT_LISTING, "shop", "sku", "tee"),
                        InboxStatus.REJECTED,
                        "a set needs a listing of store 'shop' for sku 'tee'"),
                Arguments.of(
                        Outcome.of(Code.HIDDEN_IGNORED, "gid://1"),
                        InboxStatus.APPLIED,
                        "ignored: listing gid://1 is hidden and not synced"),
                Arguments.of(
                        Outcome.of(Code.BUNDLE_PUSHED_BACK),
                        InboxStatus.APPLIED,
                        "not booked: a bundle's level follows its components; its target is pushed back"),
                Arguments.of(Outcome.of(Code.ECHO_IGNORED), InboxStatus.APPLIED, "echo of Tally's own push, ignored"),
                Arguments.of(
                        Outcome.of(Code.BASELINE_RECORDED),
                        InboxStatus.APPLIED,
                        "first level seen on this listing; recorded as the baseline"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("prose")
    void prose(Outcome outcome, InboxStatus status, String prose) {
        assertThat(outcome.status()).isEqualTo(status);
        assertThat(outcome.prose()).isEqualTo(prose);
    }

    static Stream<Arguments> undecidedSnapshots() {
        Duration settle = Duration.ofSeconds(30);
        Instant now = AT.plusSeconds(60);
        return Stream.of(
                // remembered before, level, known -> remembered after (null: the difference persists)
                Arguments.of(null, 5, 3L, new Undecided(5, 3L, now)),
                Arguments.of(new Undecided(5, 3L, AT), 5, 3L, null), // same level, same known, settled: persists
                Arguments.of(
                        new Undecided(5, 3L, now.minusSeconds(10)),
                        5,
                        3L,
                        new Undecided(5, 3L, now.minusSeconds(10))), // not settled yet: keeps its first sight
                Arguments.of(new Undecided(5, 3L, now.minus(settle)), 5, 3L, null), // exactly a window later
                Arguments.of(new Undecided(4, 3L, AT), 5, 3L, new Undecided(5, 3L, now)), // another level: anew
                Arguments.of(new Undecided(5, 2L, AT), 5, 3L, new Undecided(5, 3L, now)), // known moved: anew
                Arguments.of(new Undecided(5, null, AT), 5, null, null));
    }

    @ParameterizedTest(name = "before {0}, level {1}, known {2} -> {3}")
    @MethodSource("undecidedSnapshots")
    void undecided(Undecided before, long level, Long known, Undecided after) {
        assertThat(BookingRules.undecidedAfter(before, level, known, AT.plusSeconds(60), Duration.ofSeconds(30)))
                .isEqualTo(after);
    }

    static Stream<Arguments> channelTimes() {
        return Stream.of(
                // seen in this batch, stored -> known at
                Arguments.of(null, null, null),
                Arguments.of(null, AT, AT),
                Arguments.of(AT, null, AT),
                Arguments.of(AT.plusSeconds(1), AT, AT.plusSeconds(1)),
                Arguments.of(AT, AT.plusSeconds(1), AT.plusSeconds(1)),
                Arguments.of(AT, AT, AT));
    }

    @ParameterizedTest(name = "seen {0}, stored {1} -> {2}")
    @MethodSource("channelTimes")
    void knownAt(Instant seen, Instant stored, Instant knownAt) {
        assertThat(BookingRules.later(seen, stored)).isEqualTo(knownAt);
    }

    static Stream<Arguments> observedLevels() {
        return Stream.of(
                // type, quantity, known -> level the listing shows (a bundle's is pushed back over it)
                Arguments.of(EventType.SET, 4, 9, 4L),
                Arguments.of(EventType.ADJUST, -2, 9, 7L),
                Arguments.of(EventType.ADJUST, 3, 0, 3L));
    }

    @ParameterizedTest(name = "{0} {1} on known {2} -> {3}")
    @MethodSource("observedLevels")
    void observedLevel(EventType type, long quantity, long known, long level) {
        assertThat(BookingRules.observedLevel(type, quantity, known)).isEqualTo(level);
    }

    private static Listing listing(long id, boolean master) {
        return new Listing(
                id, "shop", "r" + id, "tee", "tee", null, null, master, false, null, null, null, null, null, null, null,
                null, 0, 0, false, null, null, null, null);
    }

    static Stream<Arguments> stockKeyTargets() {
        return Stream.of(
                // the store's listings of the key, master first -> listing id (null: none), ambiguous
                Arguments.of(List.of(), null, false),
                Arguments.of(List.of(listing(1, false)), 1L, false),
                Arguments.of(List.of(listing(2, true), listing(1, false)), 2L, false),
                Arguments.of(List.of(listing(1, false), listing(2, false)), null, true));
    }

    @ParameterizedTest(name = "{0} -> listing {1}, ambiguous {2}")
    @MethodSource("stockKeyTargets")
    void stockKeyTarget(List<Listing> inStore, Long listingId, boolean ambiguous) {
        EventTarget target = BookingRules.targetOfStockKey("tee", inStore);
        assertThat(target.itemKey()).isEqualTo("tee");
        assertThat(target.listing() == null ? null : target.listing().id()).isEqualTo(listingId);
        assertThat(target.ambiguous()).isEqualTo(ambiguous);
    }

    @ParameterizedTest(name = "key of {0} characters -> {1}")
    @MethodSource("keyLengths")
    void abbreviated(int length, String quoted) {
        assertThat(BookingRules.abbreviated("k".repeat(length))).isEqualTo(quoted);
    }

    static Stream<Arguments> keyLengths() {
        return Stream.of(
                Arguments.of(3, "kkk"),
                Arguments.of(200, "k".repeat(200)),
                Arguments.of(201, "k".repeat(200) + "… (201 characters)"));
    }
}
