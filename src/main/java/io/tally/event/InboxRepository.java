package io.tally.event;

import java.sql.Timestamp;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** The durable inbox: an event is stored here under its idempotency key before the sender gets a 2xx. */
@Repository
public class InboxRepository {

    private final NamedParameterJdbcTemplate jdbc;

    public InboxRepository(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** @return the inbox id, or null when an event with the same idempotency key was already stored */
    public Long insertIfAbsent(CanonicalEvent event) {
        var params = new MapSqlParameterSource()
                .addValue("idemKey", event.idempotencyKey())
                .addValue("eventId", event.id())
                .addValue("channel", event.channel())
                .addValue("store", event.store())
                .addValue("type", event.type().wireName())
                .addValue("keyKind", event.keyKind().wireName())
                .addValue("keyValue", event.keyValue())
                .addValue("quantity", event.quantity())
                .addValue("orderId", event.orderId())
                .addValue("lineId", event.effectiveLineId())
                .addValue("stage", event.stage())
                .addValue("cause", event.cause())
                .addValue("occurredAt", event.occurredAt() == null ? null : Timestamp.from(event.occurredAt()))
                .addValue("payload", event.payload());
        List<Long> ids = jdbc.queryForList("""
                INSERT INTO inbox_event (idem_key, event_id, channel, store, type, key_kind, key_value, quantity,
                                         order_id, line_id, stage, cause, occurred_at, payload)
                VALUES (:idemKey, :eventId, :channel, :store, :type, :keyKind, :keyValue, :quantity,
                        :orderId, :lineId, :stage, :cause, :occurredAt, CAST(:payload AS jsonb))
                ON CONFLICT (idem_key) DO NOTHING
                RETURNING id
                """, params, Long.class);
        return ids.isEmpty() ? null : ids.get(0);
    }

    /** Unfinished events still to be applied, oldest first: read at start-up and by the recovery job. */
    public List<PendingEvent> findPending(int olderThanMillis, int limit) {
        return jdbc.query("""
                SELECT id, key_kind, key_value, store FROM inbox_event
                WHERE status = 'pending' AND received_at < now() - make_interval(secs => :olderThan / 1000.0)
                ORDER BY id LIMIT :limit
                """, Map.of("olderThan", olderThanMillis, "limit", limit),
                (rs, n) -> new PendingEvent(rs.getLong("id"), correlationKey(rs.getString("key_kind"),
                        rs.getString("store"), rs.getString("key_value"))));
    }

    /**
     * Safety net for cancels and restocks left waiting although their sale has since been booked (the batch that
     * booked the sale normally applies them itself): makes them pending again.
     */
    public List<PendingEvent> releaseAnsweredWaits() {
        return jdbc.query("""
                UPDATE inbox_event e SET status = 'pending', outcome = NULL
                FROM order_line l
                WHERE e.status = 'waiting' AND l.store = e.store AND l.order_id = e.order_id
                  AND l.line_id = e.line_id AND l.booked > 0
                RETURNING e.id, e.key_kind, e.store, e.key_value
                """, Map.of(), (rs, n) -> new PendingEvent(rs.getLong(1),
                correlationKey(rs.getString(2), rs.getString(3), rs.getString(4))));
    }

    public List<Map<String, Object>> findByStatus(String status, int limit) {
        return jdbc.queryForList("""
                SELECT event_id AS "id", store, channel, type,
                       CASE WHEN key_kind = 'sku' THEN key_value END AS sku,
                       CASE WHEN key_kind = 'barcode' THEN key_value END AS barcode,
                       CASE WHEN key_kind = 'handle' THEN key_value END AS handle,
                       CASE WHEN key_kind = 'ref' THEN key_value END AS ref, quantity,
                       order_id AS "orderId", line_id AS "lineId", status, outcome, received_at AS "receivedAt"
                FROM inbox_event WHERE (:status::text IS NULL OR status = :status)
                ORDER BY id DESC LIMIT :limit
                """, new MapSqlParameterSource("status", status).addValue("limit", limit));
    }

    static String correlationKey(String keyKind, String store, String keyValue) {
        return KeyKind.REF.wireName().equals(keyKind) ? "ref:" + store + ":" + keyValue : keyValue;
    }

    /** An inbox row waiting to be applied, with the key the aggregator batches it by. */
    public record PendingEvent(long inboxId, String correlationKey) implements java.io.Serializable {
    }
}
