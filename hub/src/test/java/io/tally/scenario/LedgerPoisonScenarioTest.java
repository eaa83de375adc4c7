package io.tally.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.dispatch.Dispatch;
import io.tally.event.InboxRepository.PendingEvent;
import io.tally.ledger.AppliedBatch;
import io.tally.ledger.LedgerService;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Issue 17, defect 0: an event whose data PostgreSQL cannot store (here a key over btree's 2704-byte index row limit)
 * must not fail the batch it is in, again and again: it is isolated, kept for review with a reason, and the valid
 * events of its batch and partition are booked. The poisoned rows are written straight into the inbox, as an older
 * intake (or a connector) may have stored them; intake limits are a separate defence.
 */
class LedgerPoisonScenarioTest extends ScenarioBase {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    LedgerService ledger;

    @Autowired
    Dispatch dispatch;

    /** Random letters do not compress, so PostgreSQL keeps the whole value in an index row. */
    private static String longKey(long seed) {
        Random rnd = new Random(seed);
        StringBuilder s = new StringBuilder("long-");
        while (s.length() < 4000) {
            s.append((char) ('a' + rnd.nextInt(26))).append((char) ('A' + rnd.nextInt(26)));
        }
        return s.toString();
    }

    private long inbox(String store, String type, String sku, long quantity, String orderId, String lineId) {
        String eventId = type + "-" + java.util.UUID.randomUUID();
        return jdbc.queryForObject(
                """
                INSERT INTO inbox_event (idem_key, event_id, channel, store, type, key_kind, key_value, quantity,
                                         order_id, line_id)
                VALUES (?, ?, 'http', ?, ?, 'sku', ?, ?, ?, ?) RETURNING id
                """, Long.class, store + ":" + eventId, eventId, store, type, sku, quantity, orderId, lineId);
    }

    private String status(long inboxId) {
        return jdbc.queryForObject("SELECT status FROM inbox_event WHERE id = ?", String.class, inboxId);
    }

    private String outcomeCode(long inboxId) {
        return jdbc.queryForObject("SELECT outcome_code FROM inbox_event WHERE id = ?", String.class, inboxId);
    }

    private String outcome(long inboxId) {
        return jdbc.queryForObject("SELECT outcome FROM inbox_event WHERE id = ?", String.class, inboxId);
    }

    @Test
    void aLongUnknownKeyIsParkedAndTheSalesOfItsBatchAreBooked() {
        declare("main", "poison-park-1", "sku", "poison-park", "level", 30);
        awaitOnHand("poison-park", 30);
        long poisoned = inbox("main", "sale", longKey(1), 1, "pp-o1", "l1");
        long valid = inbox("main", "sale", "poison-park", 2, "pp-o2", "l1");

        // One batch, as the aggregator would hand it over: before the fix this threw (SQLState 54000) every time.
        AppliedBatch applied = ledger.applyBatch(List.of(poisoned, valid));

        assertThat(applied.events()).as("events finished by the batch").isEqualTo(2);
        assertThat(status(valid)).isEqualTo("applied");
        assertThat(status(poisoned))
                .as("the unknown key waits for its listing like any other")
                .isEqualTo("parked");
        assertThat(outcomeCode(poisoned)).isEqualTo("PARKED_UNKNOWN_KEY");
        assertThat(outcomeCode(valid)).isEqualTo("BOOKED");
        assertThat(api.events("parked").findValuesAsText("outcomeCode")).contains("PARKED_UNKNOWN_KEY");
        awaitOnHand("poison-park", 28);
        assertLedgerConsistent("poison-park");
    }

    @Test
    void anEventThePartitionCannotStoreIsRejectedAloneAndTheRestOfThePartitionIsBooked() {
        declare("main", "poison-wait-1", "sku", "poison-wait", "level", 40);
        awaitOnHand("poison-wait", 40);
        // A cancel that arrives before its sale waits, indexed by its order line: a 4,000-byte order id cannot be.
        long poisoned = inbox("main", "cancel", "poison-wait", 1, longKey(2), "l1");
        long sale = inbox("main", "sale", "poison-wait", 3, "pw-o1", "l1");
        long restock = inbox("main", "restock", "poison-wait", 5, null, null);

        // Through the route, as intake and the recovery job hand events over.
        dispatch.applyEvents(List.of(
                new PendingEvent(poisoned, "poison-wait"),
                new PendingEvent(sale, "poison-wait"),
                new PendingEvent(restock, "poison-wait")));

        eventually(() -> {
            assertThat(status(sale)).isEqualTo("applied");
            assertThat(status(restock)).isEqualTo("applied");
            assertThat(status(poisoned)).isEqualTo("rejected");
        });
        // Not a booking rule's decision: no outcome code, the database's reason is kept for review.
        assertThat(outcomeCode(poisoned)).isNull();
        assertThat(outcome(poisoned))
                .as("the reason is kept for review")
                .contains("could not be stored")
                .contains("index row size");
        awaitOnHand("poison-wait", 40 - 3 + 5);
        assertLedgerConsistent("poison-wait");
        JsonNode rejected = api.events("rejected");
        assertThat(rejected.findValuesAsText("outcome")).anyMatch(o -> o.contains("index row size"));
    }
}
