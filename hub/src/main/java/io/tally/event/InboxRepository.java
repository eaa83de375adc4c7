package io.tally.event;

import io.tally.support.SqlArrays;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** The durable inbox: an event is stored here under its idempotency key before the sender gets a 2xx. */
@Repository
public class InboxRepository {

    private final NamedParameterJdbcTemplate jdbc;
    private final SqlArrays arrays;

    public InboxRepository(NamedParameterJdbcTemplate jdbc, SqlArrays arrays) {
        this.jdbc = jdbc;
        this.arrays = arrays;
    }

    /** Unfinished events still to be applied, oldest first: read at start-up and by the recovery job. */
    public List<PendingEvent> findPending(int olderThanMillis, int limit) {
        return jdbc.query(
                """
                SELECT id, key_kind, key_value, store FROM inbox_event
                WHERE status = %s AND received_at < now() - make_interval(secs => :olderThan / 1000.0)
                ORDER BY id LIMIT :limit
                """.formatted(InboxStatus.PENDING.sql()),
                Map.of("olderThan", olderThanMillis, "limit", limit),
                (rs, n) -> new PendingEvent(
                        rs.getLong("id"),
                        correlationKey(rs.getString("key_kind"), rs.getString("store"), rs.getString("key_value"))));
    }

    /**
     * Safety net for cancels and restocks left waiting although their sale has since been booked (the batch that
     * booked the sale normally applies them itself): makes them pending again.
     */
    public List<PendingEvent> releaseAnsweredWaits() {
        return jdbc.query(
                """
                UPDATE inbox_event e SET status = %s, outcome = NULL, outcome_code = NULL
                FROM order_line l
                WHERE e.status = %s AND l.store = e.store AND l.order_id = e.order_id
                  AND l.line_id = e.line_id AND l.booked > 0
                RETURNING e.id, e.key_kind, e.store, e.key_value
                """.formatted(InboxStatus.PENDING.sql(), InboxStatus.WAITING.sql()),
                Map.of(),
                (rs, n) -> new PendingEvent(
                        rs.getLong(1), correlationKey(rs.getString(2), rs.getString(3), rs.getString(4))));
    }

    /**
     * Events parked because nothing matched their key, now that a listing declared in {@code store} under {@code ref}
     * links it to {@code itemKey}: pending again, with their old outcome cleared.
     */
    public List<PendingEvent> unpark(String store, String ref, String itemKey) {
        return jdbc.query(
                """
                UPDATE inbox_event SET status = %s, outcome = NULL, outcome_code = NULL
                WHERE status = %s
                  AND ((key_kind = 'ref' AND store = :store AND key_value = :ref)
                       OR (key_kind <> 'ref' AND key_value = :key))
                RETURNING id, key_kind, store, key_value
                """.formatted(InboxStatus.PENDING.sql(), InboxStatus.PARKED.sql()),
                new MapSqlParameterSource("store", store).addValue("ref", ref).addValue("key", itemKey),
                (rs, n) -> new PendingEvent(
                        rs.getLong(1), correlationKey(rs.getString(2), rs.getString(3), rs.getString(4))));
    }

    /**
     * {@link #unpark} for many listings at once (a catalog import): parked events keyed by one of the listings'
     * refs in its store, or by one of the item keys.
     */
    public List<PendingEvent> unparkAll(List<String> stores, List<String> refs, java.util.Collection<String> itemKeys) {
        if (refs.isEmpty() && itemKeys.isEmpty()) {
            return List.of();
        }
        java.util.Set<String> values = new java.util.HashSet<>(refs);
        values.addAll(itemKeys);
        return jdbc.query(
                """
                UPDATE inbox_event SET status = %s, outcome = NULL, outcome_code = NULL
                WHERE status = %s AND key_value = ANY(:values)
                  AND ((key_kind = 'ref' AND (store, key_value) IN (SELECT * FROM unnest(:stores, :refs)))
                       OR (key_kind <> 'ref' AND key_value = ANY(:keys)))
                RETURNING id, key_kind, store, key_value
                """.formatted(InboxStatus.PENDING.sql(), InboxStatus.PARKED.sql()),
                new MapSqlParameterSource("values", arrays.text(values))
                        .addValue("stores", arrays.text(stores))
                        .addValue("refs", arrays.text(refs))
                        .addValue("keys", arrays.text(itemKeys)),
                (rs, n) -> new PendingEvent(
                        rs.getLong(1), correlationKey(rs.getString(2), rs.getString(3), rs.getString(4))));
    }

    /** Number of inbox events per status other than applied (which only grows). */
    public Map<String, Long> unfinishedCounts() {
        Map<String, Long> counts = new java.util.TreeMap<>();
        for (InboxStatus status : InboxStatus.values()) {
            if (status != InboxStatus.APPLIED) {
                counts.put(status.dbValue(), 0L);
            }
        }
        jdbc.query(
                "SELECT status, count(*) FROM inbox_event WHERE status <> " + InboxStatus.APPLIED.sql()
                        + " GROUP BY status",
                Map.of(),
                rs -> {
                    counts.put(rs.getString(1), rs.getLong(2));
                });
        return counts;
    }

    public List<Map<String, Object>> findByStatus(String status, int limit) {
        return jdbc.queryForList("""
                SELECT event_id AS "id", store, channel, type,
                       CASE WHEN key_kind = 'sku' THEN key_value END AS sku,
                       CASE WHEN key_kind = 'barcode' THEN key_value END AS barcode,
                       CASE WHEN key_kind = 'handle' THEN key_value END AS handle,
                       CASE WHEN key_kind = 'ref' THEN key_value END AS ref, quantity,
                       order_id AS "orderId", line_id AS "lineId", status, outcome,
                       CASE WHEN outcome IS NOT NULL THEN outcome_code END AS "outcomeCode",
                       received_at AS "receivedAt"
                FROM inbox_event WHERE (:status::text IS NULL OR status = :status)
                ORDER BY id DESC LIMIT :limit
                """, new MapSqlParameterSource("status", status).addValue("limit", limit));
    }

    /**
     * Marks a ledger batch's events with what was decided for each (status, outcome code and prose), in one
     * statement; an applied event is stamped with the time it was applied.
     */
    public void markOutcomes(List<Long> ids, List<InboxStatus> statuses, List<String> codes, List<String> outcomes) {
        jdbc.update(
                """
                UPDATE inbox_event e SET status = x.status, outcome = x.outcome, outcome_code = x.code,
                       applied_at = CASE WHEN x.status = %s THEN now() END
                FROM unnest(:ids, :statuses, :codes, :outcomes) AS x(id, status, code, outcome) WHERE e.id = x.id
                """.formatted(InboxStatus.APPLIED.sql()),
                new MapSqlParameterSource()
                        .addValue("ids", arrays.int8(ids))
                        .addValue(
                                "statuses",
                                arrays.text(statuses.stream()
                                        .map(InboxStatus::dbValue)
                                        .toList()))
                        .addValue("codes", arrays.text(codes))
                        .addValue("outcomes", arrays.text(outcomes)));
    }

    /** Rejects an event that is still pending, keeping the reason for review. */
    public void rejectPending(long id, String reason) {
        jdbc.update(
                "UPDATE inbox_event SET status = " + InboxStatus.REJECTED.sql() + ", outcome = :reason,"
                        + " outcome_code = NULL WHERE id = :id AND status = " + InboxStatus.PENDING.sql(),
                Map.of("id", id, "reason", reason));
    }

    static String correlationKey(String keyKind, String store, String keyValue) {
        return KeyKind.REF.wireName().equals(keyKind) ? "ref:" + store + ":" + keyValue : keyValue;
    }

    /** An inbox row waiting to be applied, with the key the aggregator batches it by. */
    public record PendingEvent(long inboxId, String correlationKey) implements java.io.Serializable {}
}
