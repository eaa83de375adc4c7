package io.tally.ledger;

import io.tally.event.EventType;
import io.tally.event.KeyKind;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;

/** An inbox event as the ledger reads it, locked for the length of the batch transaction. */
record InboxRow(
        long id,
        String idemKey,
        String eventId,
        String store,
        EventType type,
        KeyKind keyKind,
        String keyValue,
        long quantity,
        String orderId,
        String lineId,
        String stage,
        String cause,
        java.time.Instant occurredAt) {

    static final String COLUMNS = "id, idem_key, event_id, store, type, key_kind, key_value, quantity, order_id,"
            + " line_id, stage, cause, occurred_at";

    static InboxRow map(ResultSet rs, int rowNum) throws SQLException {
        return new InboxRow(
                rs.getLong("id"),
                rs.getString("idem_key"),
                rs.getString("event_id"),
                rs.getString("store"),
                EventType.valueOf(rs.getString("type").toUpperCase(Locale.ROOT)),
                KeyKind.valueOf(rs.getString("key_kind").toUpperCase(Locale.ROOT)),
                rs.getString("key_value"),
                rs.getLong("quantity"),
                rs.getString("order_id"),
                rs.getString("line_id"),
                rs.getString("stage"),
                rs.getString("cause"),
                rs.getTimestamp("occurred_at") == null
                        ? null
                        : rs.getTimestamp("occurred_at").toInstant());
    }
}
