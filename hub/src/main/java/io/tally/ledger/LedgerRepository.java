package io.tally.ledger;

import io.tally.support.SqlArrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** The append-only ledger. */
@Repository
public class LedgerRepository {

    private final NamedParameterJdbcTemplate jdbc;
    private final SqlArrays arrays;

    public LedgerRepository(NamedParameterJdbcTemplate jdbc, SqlArrays arrays) {
        this.jdbc = jdbc;
        this.arrays = arrays;
    }

    /**
     * Inserts the entries in one statement; entries whose key already exists are skipped.
     *
     * @return the net delta per item of the entries actually inserted: on-hand must change by exactly this
     */
    public Map<String, Long> insert(List<LedgerEntry> entries) {
        Map<String, Long> inserted = new HashMap<>();
        if (entries.isEmpty()) {
            return inserted;
        }
        var params = new MapSqlParameterSource()
                .addValue(
                        "items",
                        arrays.text(entries.stream().map(LedgerEntry::itemKey).toList()))
                .addValue(
                        "deltas",
                        arrays.int8(entries.stream().map(LedgerEntry::delta).toList()))
                .addValue(
                        "kinds",
                        arrays.text(entries.stream().map(LedgerEntry::kind).toList()))
                .addValue(
                        "keys",
                        arrays.text(entries.stream().map(LedgerEntry::entryKey).toList()))
                .addValue(
                        "events",
                        arrays.text(entries.stream().map(LedgerEntry::eventId).toList()))
                .addValue(
                        "stores",
                        arrays.text(entries.stream().map(LedgerEntry::store).toList()))
                .addValue(
                        "refs",
                        arrays.text(entries.stream().map(LedgerEntry::ref).toList()))
                .addValue(
                        "reasons",
                        arrays.text(entries.stream().map(LedgerEntry::reason).toList()));
        jdbc.query("""
                INSERT INTO ledger_entry (item_key, delta, kind, entry_key, event_id, store, ref, reason)
                SELECT * FROM unnest(:items, :deltas, :kinds, :keys, :events, :stores, :refs, :reasons)
                ON CONFLICT (entry_key) DO NOTHING
                RETURNING item_key, delta
                """, params, rs -> {
            inserted.merge(rs.getString(1), rs.getLong(2), Long::sum);
        });
        return inserted;
    }

    public List<Map<String, Object>> entries(String itemKey, int limit, Long before) {
        return jdbc.queryForList(
                """
                SELECT id, delta, kind, event_id AS "eventId", store, ref, reason, created_at AS "at"
                FROM ledger_entry
                WHERE item_key = :key AND (CAST(:before AS bigint) IS NULL OR id < :before)
                ORDER BY id DESC LIMIT :limit
                """,
                new MapSqlParameterSource("key", itemKey)
                        .addValue("before", before)
                        .addValue("limit", limit));
    }
}
