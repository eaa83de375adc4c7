package io.tally.ledger;

import io.tally.catalog.ListingRepository;
import io.tally.catalog.TargetRefresher;
import io.tally.event.InboxRepository;
import io.tally.ledger.StockItemRepository.StockItem;
import io.tally.support.SqlArrays;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Writes what a batch decided, one statement per table where it can: ledger entries, on-hand, order lines, listing
 * levels, inbox outcomes; then recomputes the touched items' targets. Each table is written by its own repository.
 */
final class BatchWriter {

    private static final Logger log = LoggerFactory.getLogger(BatchWriter.class);

    private final NamedParameterJdbcTemplate jdbc;
    private final SqlArrays arrays;
    private final StockItemRepository itemRepository;
    private final LedgerRepository ledger;
    private final ListingRepository listingRepository;
    private final InboxRepository inbox;
    private final TargetRefresher targets;

    BatchWriter(
            NamedParameterJdbcTemplate jdbc,
            SqlArrays arrays,
            StockItemRepository itemRepository,
            LedgerRepository ledger,
            ListingRepository listingRepository,
            InboxRepository inbox,
            TargetRefresher targets) {
        this.jdbc = jdbc;
        this.arrays = arrays;
        this.itemRepository = itemRepository;
        this.ledger = ledger;
        this.listingRepository = listingRepository;
        this.inbox = inbox;
        this.targets = targets;
    }

    AppliedBatch write(BatchDecisions decided) {
        Map<String, Long> inserted = ledger.insert(decided.entries());
        itemRepository.addToOnHand(inserted);
        inserted.forEach((key, delta) -> {
            StockItem item = decided.items().get(key);
            if (item != null && item.onHand() >= 0 && item.onHand() + delta < 0) {
                log.warn("item {} oversold: on-hand {} after this batch", key, item.onHand() + delta);
            }
        });
        writeLines(decided.lines());
        decided.undecided()
                .forEach((id, u) -> listingRepository.updateUndecided(
                        id, u == null ? null : u.level(), u == null ? null : u.known(), u == null ? null : u.since()));
        decided.levels()
                .forEach((id, levels) -> listingRepository.updateObservedLevels(
                        id, levels.known(), levels.synced(), levels.observedAt()));
        List<Long> ids = new ArrayList<>(decided.outcomes().keySet());
        List<Outcome> outcomes = ids.stream().map(decided.outcomes()::get).toList();
        inbox.markOutcomes(
                ids,
                outcomes.stream().map(Outcome::status).toList(),
                outcomes.stream().map(o -> o.code().name()).toList(),
                outcomes.stream().map(Outcome::prose).toList());
        List<Long> toPush = targets.refresh(decided.touchedItems());
        return new AppliedBatch(decided.finished(), toPush);
    }

    private void writeLines(List<OrderLine> dirty) {
        if (dirty.isEmpty()) {
            return;
        }
        jdbc.update(
                """
                INSERT INTO order_line (store, order_id, line_id, item_key, booked, returned, channel_taken)
                SELECT * FROM unnest(:stores, :orders, :lines, :items, :booked, :returned, :taken)
                ON CONFLICT (store, order_id, line_id)
                DO UPDATE SET booked = EXCLUDED.booked, returned = EXCLUDED.returned,
                              channel_taken = EXCLUDED.channel_taken, updated_at = now()
                """,
                new MapSqlParameterSource()
                        .addValue(
                                "stores",
                                arrays.text(dirty.stream().map(l -> l.store).toList()))
                        .addValue(
                                "orders",
                                arrays.text(dirty.stream().map(l -> l.orderId).toList()))
                        .addValue(
                                "lines",
                                arrays.text(dirty.stream().map(l -> l.lineId).toList()))
                        .addValue(
                                "items",
                                arrays.text(dirty.stream().map(l -> l.itemKey).toList()))
                        .addValue(
                                "booked",
                                arrays.int8(dirty.stream().map(l -> l.booked).toList()))
                        .addValue(
                                "returned",
                                arrays.int8(dirty.stream().map(l -> l.returned).toList()))
                        .addValue(
                                "taken",
                                arrays.int8(
                                        dirty.stream().map(l -> l.channelTaken).toList())));
    }
}
