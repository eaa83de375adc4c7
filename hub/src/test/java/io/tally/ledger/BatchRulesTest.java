package io.tally.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.catalog.Listing;
import io.tally.connector.ConnectorTraits;
import io.tally.event.EventType;
import io.tally.event.KeyKind;
import io.tally.ledger.Outcome.Code;
import io.tally.ledger.StockItemRepository.StockItem;
import io.tally.policy.StoreProperties;
import io.tally.policy.StoreProperties.AdjustmentPolicy;
import io.tally.policy.StoreProperties.BookOn;
import io.tally.policy.StoreProperties.MatchBy;
import io.tally.policy.StoreProperties.RestockOn;
import io.tally.policy.StoreProperties.StoreRole;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The batch's whole rules step over a snapshot built in memory, without a database: one batch per row of the table,
 * checking each event's outcome code, the ledger entries booked and the listing's levels afterwards.
 */
class BatchRulesTest {

    private static final Instant AT = Instant.parse("2026-01-01T10:00:00Z");
    private static final Duration SETTLE = Duration.ofSeconds(30);

    /** One batch on one listing (id 1) of item tee (10 on hand) or of bundle kit (2 tee + 1 cap). */
    static final class Given {
        final String name;
        Channel channel = Channel.HTTP;
        BookOn bookOn = BookOn.PAID;
        AdjustmentPolicy adjustments;
        String item = "tee";
        boolean master;
        boolean hidden;
        boolean configured = true;
        boolean itemExists = true;
        boolean ambiguous;
        boolean withListing = true;
        Long known = 10L;
        Long synced = 10L;
        Long lastPushed;
        Instant knownAt;
        Undecided undecided;
        OrderLine line;
        final List<InboxRow> rows = new ArrayList<>();

        Given(String name) {
            this.name = name;
        }

        Given on(Channel channel) {
            this.channel = channel;
            return this;
        }

        Given with(java.util.function.Consumer<Given> change) {
            change.accept(this);
            return this;
        }

        Given event(EventType type, long quantity, String orderId, String stage, String cause) {
            rows.add(new InboxRow(
                    rows.size() + 1,
                    "idem-" + (rows.size() + 1),
                    "e-" + (rows.size() + 1),
                    "shop",
                    type,
                    KeyKind.SKU,
                    item,
                    quantity,
                    orderId,
                    orderId == null ? null : "l1",
                    stage,
                    cause,
                    AT.plusSeconds(rows.size())));
            return this;
        }

        Given set(long level, Instant at) {
            rows.add(new InboxRow(
                    rows.size() + 1,
                    "idem-" + (rows.size() + 1),
                    "e-" + (rows.size() + 1),
                    "shop",
                    EventType.SET,
                    KeyKind.SKU,
                    item,
                    level,
                    null,
                    null,
                    null,
                    null,
                    at));
            return this;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** What a batch decided: outcome codes in row order, entries as item:delta:kind, listing 1 as known/synced. */
    record Decided(List<Code> codes, List<String> entries, String levels) {}

    static Decided decide(Given g) {
        Listing listing = g.withListing
                ? new Listing(
                        1,
                        "shop",
                        "r1",
                        g.item,
                        g.item,
                        null,
                        null,
                        g.master,
                        g.hidden,
                        null,
                        null,
                        null,
                        g.known,
                        g.synced,
                        g.lastPushed,
                        null,
                        null,
                        0,
                        0,
                        false,
                        g.knownAt,
                        null,
                        null,
                        null)
                : null;
        Map<Long, EventTarget> targets = new HashMap<>();
        g.rows.forEach(row -> targets.put(row.id(), new EventTarget(g.item, listing, g.ambiguous)));
        Map<String, StockItem> items = new HashMap<>();
        if (g.itemExists) {
            items.put("tee", new StockItem("tee", 10, false, 0));
            items.put("cap", new StockItem("cap", 4, false, 0));
            items.put("kit", new StockItem("kit", 0, true, 0));
        }
        Map<Long, Listing> listings = listing == null ? Map.of() : Map.of(1L, listing);
        BatchSnapshot snapshot = new BatchSnapshot(
                g.rows,
                targets,
                items,
                Map.of("kit", Map.of("tee", 2, "cap", 1)),
                g.line == null ? Map.of() : Map.of(g.line.key(), g.line),
                listings,
                g.undecided == null ? Map.of() : Map.of(1L, g.undecided),
                Map.of(1L, List.of()));
        StoreProperties store = new StoreProperties(
                g.channel.name().toLowerCase(java.util.Locale.ROOT),
                StoreRole.PEER,
                MatchBy.SKU,
                g.bookOn,
                RestockOn.REFUND,
                g.adjustments,
                0,
                null,
                100,
                null,
                null,
                null,
                10,
                null,
                g.channel.traits);
        BatchState state = new BatchState(snapshot);
        BatchRules rules = new BatchRules(
                state,
                id -> g.configured ? Optional.of(store) : Optional.empty(),
                SETTLE,
                Clock.fixed(AT.plusSeconds(3600), ZoneOffset.UTC));
        rules.decide(snapshot);
        // As BatchApplication does, with no waiting rows stored: only this batch's own wait for its sale.
        while (state.hasNewBookings()) {
            Map<Long, Listing> byRow = new HashMap<>();
            g.rows.forEach(row -> byRow.put(row.id(), listing));
            rules.decideWaiting(
                    state.takeNewlyBookedLines(), new WaitingReturns(Map.of(), listing == null ? Map.of() : byRow));
        }
        BatchDecisions decided = state.decisions();
        List<Code> codes = g.rows.stream()
                .map(row -> decided.outcomes().get(row.id()).code())
                .toList();
        List<String> entries = decided.entries().stream()
                .map(e -> e.itemKey() + ":" + e.delta() + ":" + e.kind())
                .toList();
        BatchDecisions.Levels levels = decided.levels().get(1L);
        return new Decided(codes, entries, levels == null ? null : levels.known() + "/" + levels.synced());
    }

    static Stream<Arguments> batches() {
        EventType sale = EventType.SALE;
        EventType cancel = EventType.CANCEL;
        return Stream.of(
                Arguments.of(
                        new Given("hidden listing").with(g -> g.hidden = true).event(sale, 2, "o1", "paid", null),
                        List.of(Code.HIDDEN_IGNORED),
                        List.of(),
                        null),
                Arguments.of(
                        new Given("unknown item")
                                .with(g -> g.itemExists = false)
                                .event(sale, 2, "o1", "paid", null),
                        List.of(Code.PARKED_UNKNOWN_KEY),
                        List.of(),
                        null),
                Arguments.of(
                        new Given("store gone").with(g -> g.configured = false).event(sale, 2, "o1", "paid", null),
                        List.of(Code.STORE_UNCONFIGURED),
                        List.of(),
                        null),
                Arguments.of(
                        new Given("paid sale").event(sale, 2, "o1", "paid", null),
                        List.of(Code.BOOKED),
                        List.of("tee:-2:sale"),
                        null),
                Arguments.of(
                        new Given("created, then paid, then paid again")
                                .event(sale, 2, "o1", "created", null)
                                .event(sale, 2, "o1", "paid", null)
                                .event(sale, 2, "o1", "paid", null),
                        List.of(Code.NOT_PAID_YET, Code.BOOKED, Code.DUPLICATE),
                        List.of("tee:-2:sale"),
                        null),
                Arguments.of(
                        new Given("created on a store booking created")
                                .with(g -> g.bookOn = BookOn.CREATED)
                                .event(sale, 2, "o1", "created", null),
                        List.of(Code.BOOKED),
                        List.of("tee:-2:sale"),
                        null),
                Arguments.of(
                        new Given("bundle sale books its components")
                                .with(g -> g.item = "kit")
                                .event(sale, 3, "o1", "paid", null),
                        List.of(Code.BOOKED),
                        List.of("tee:-6:sale", "cap:-3:sale"),
                        null),
                Arguments.of(
                        new Given("cancel before its sale, in one batch")
                                .event(cancel, 2, "o1", null, null)
                                .event(sale, 2, "o1", "paid", null),
                        List.of(Code.RELEASED, Code.BOOKED),
                        List.of("tee:-2:sale", "tee:2:cancel"),
                        null),
                Arguments.of(
                        new Given("cancel capped at the line")
                                .with(g -> g.line = line(2, 0, 0))
                                .event(cancel, 5, "o1", null, null),
                        List.of(Code.CANCEL_CAPPED),
                        List.of("tee:2:cancel"),
                        null),
                Arguments.of(
                        new Given("restock without an order").event(EventType.RESTOCK, 3, null, null, null),
                        List.of(Code.RESTOCKED),
                        List.of("tee:3:restock"),
                        null),
                // A marketplace: the channel lowers its own level on the order.
                Arguments.of(
                        new Given("marketplace hold while unpaid")
                                .on(Channel.AMAZON)
                                .event(sale, 2, "o1", "created", null),
                        List.of(Code.NOT_PAID_YET),
                        List.of(),
                        "8/null"),
                Arguments.of(
                        new Given("marketplace hold, then paid")
                                .on(Channel.SHOPIFY)
                                .event(sale, 2, "o1", "created", null)
                                .event(sale, 2, "o1", "paid", null),
                        List.of(Code.NOT_PAID_YET, Code.BOOKED),
                        List.of("tee:-2:sale"),
                        "8/8"),
                Arguments.of(
                        new Given("marketplace hold released by an unbooked cancel")
                                .on(Channel.SHOPIFY)
                                .event(sale, 2, "o1", "created", null)
                                .event(cancel, 2, "o1", null, null),
                        List.of(Code.NOT_PAID_YET, Code.WAITING_FOR_SALE),
                        List.of(),
                        "10/10"),
                Arguments.of(
                        new Given("marketplace cancel says it was never booked")
                                .on(Channel.SHOPIFY)
                                .event(cancel, 2, "o1", null, "unbooked"),
                        List.of(Code.CANCELLED_UNBOOKED),
                        List.of(),
                        "12/12"),
                // Observed levels.
                Arguments.of(
                        new Given("echo of the last push")
                                .with(g -> g.lastPushed = 7L)
                                .set(7, null),
                        List.of(Code.ECHO_IGNORED),
                        List.of(),
                        "7/10"),
                Arguments.of(
                        new Given("count on the master")
                                .with(g -> g.master = true)
                                .set(12, null),
                        List.of(Code.MASTER_SET),
                        List.of("tee:2:count"),
                        "12/10"),
                Arguments.of(
                        new Given("marketplace master counts against known")
                                .on(Channel.AMAZON)
                                .with(g -> g.master = true)
                                .set(7, AT),
                        List.of(Code.MASTER_COUNTED),
                        List.of("tee:-3:count"),
                        "7/10"),
                Arguments.of(
                        new Given("first level seen").with(g -> g.known = null).set(5, null),
                        List.of(Code.BASELINE_RECORDED),
                        List.of(),
                        "5/5"),
                Arguments.of(new Given("same level again").set(10, null), List.of(Code.NO_CHANGE), List.of(), "10/10"),
                Arguments.of(
                        new Given("edit applied").set(8, null),
                        List.of(Code.ADJUSTMENT_APPLIED),
                        List.of("tee:-2:adjustment"),
                        "8/10"),
                Arguments.of(
                        new Given("edit reverted")
                                .with(g -> g.adjustments = AdjustmentPolicy.REVERT)
                                .event(EventType.ADJUST, 3, null, null, null),
                        List.of(Code.ADJUSTMENT_REVERTED),
                        List.of(),
                        "13/13"),
                Arguments.of(
                        new Given("edit ignored")
                                .with(g -> g.adjustments = AdjustmentPolicy.IGNORE)
                                .set(8, null),
                        List.of(Code.ADJUSTMENT_IGNORED),
                        List.of(),
                        "8/10"),
                Arguments.of(
                        new Given("a bundle's level is pushed back")
                                .with(g -> g.item = "kit")
                                .set(4, null),
                        List.of(Code.BUNDLE_PUSHED_BACK),
                        List.of(),
                        "4/4"),
                Arguments.of(
                        new Given("ambiguous key").with(g -> g.ambiguous = true).set(4, null),
                        List.of(Code.AMBIGUOUS_KEY),
                        List.of(),
                        null),
                Arguments.of(
                        new Given("set without a listing")
                                .with(g -> g.withListing = false)
                                .set(4, null),
                        List.of(Code.SET_WITHOUT_LISTING),
                        List.of(),
                        null),
                Arguments.of(
                        new Given("old snapshot of the known level")
                                .on(Channel.SHOPIFY)
                                .with(g -> g.knownAt = AT.plusSeconds(5))
                                .set(10, AT),
                        List.of(Code.STALE_OBSERVATION),
                        List.of(),
                        "10/10"),
                Arguments.of(
                        new Given("same-second difference asks the channel")
                                .on(Channel.SHOPIFY)
                                .with(g -> g.knownAt = AT)
                                .set(8, AT),
                        List.of(Code.UNDECIDED_VERIFYING),
                        List.of(),
                        "10/null"),
                Arguments.of(
                        new Given("older difference on an absolute channel")
                                .on(Channel.WALMART)
                                .with(g -> g.knownAt = AT.plusSeconds(5))
                                .set(8, AT),
                        List.of(Code.UNDECIDED),
                        List.of(),
                        "10/10"),
                Arguments.of(
                        new Given("a difference that persisted")
                                .on(Channel.WALMART)
                                .with(g -> g.knownAt = AT.plusSeconds(5))
                                .with(g -> g.undecided = new Undecided(8, 10L, AT))
                                .set(8, AT),
                        List.of(Code.ADJUSTMENT_APPLIED),
                        List.of("tee:-2:adjustment"),
                        "8/10"));
    }

    private static OrderLine line(long booked, long returned, long taken) {
        return new OrderLine("shop", "o1", "l1", "tee", booked, returned, taken);
    }

    @ParameterizedTest(name = "{0} -> {1} {2} levels {3}")
    @MethodSource("batches")
    void batch(Given given, List<Code> codes, List<String> entries, String levels) {
        Decided decided = decide(given);
        assertThat(decided.codes()).isEqualTo(codes);
        assertThat(decided.entries()).containsExactlyInAnyOrderElementsOf(entries);
        assertThat(decided.levels()).isEqualTo(levels);
    }

    /** The four shipped channels as the rules see them: only their traits matter. */
    enum Channel {
        HTTP(ConnectorTraits.showsOnlyWhatTallyPushes()),
        SHOPIFY(ConnectorTraits.marketplaceComparingAndSetting()),
        AMAZON(ConnectorTraits.marketplaceSettingAbsoluteLevels()),
        WALMART(ConnectorTraits.marketplaceSettingAbsoluteLevels());

        final ConnectorTraits traits;

        Channel(ConnectorTraits traits) {
            this.traits = traits;
        }
    }
}
