package io.tally.reconcile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Timestamp;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/** The {@code reconciliation} table: one row per run of a store, opened when it starts and completed when it ends. */
@Component
class ReconciliationRuns {

    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper objectMapper;

    ReconciliationRuns(NamedParameterJdbcTemplate jdbc, ObjectMapper objectMapper) {
        this.jdbc = jdbc;
        this.objectMapper = objectMapper;
    }

    long start(String store, String trigger) {
        return jdbc.queryForObject(
                "INSERT INTO reconciliation (store, trigger) VALUES (:store, :trigger) RETURNING id",
                Map.of("store", store, "trigger", trigger),
                Long.class);
    }

    void finish(long id, int checked, int corrections, int repushed, String error, List<String> details) {
        String json;
        try {
            json = objectMapper.writeValueAsString(details);
        } catch (JsonProcessingException e) {
            json = "[]";
        }
        jdbc.update(
                """
                UPDATE reconciliation SET finished_at = now(), checked = :checked, corrections = :corrections,
                       repushed = :repushed, error = :error, details = CAST(:details AS jsonb)
                WHERE id = :id
                """,
                new MapSqlParameterSource("id", id)
                        .addValue("checked", checked)
                        .addValue("corrections", corrections)
                        .addValue("repushed", repushed)
                        .addValue("error", error)
                        .addValue("details", json));
    }

    /** Newest first; {@code store} null for every store. */
    List<Map<String, Object>> recent(String store, int limit, Long before) {
        return jdbc.query(
                """
                SELECT id, store, trigger, started_at, finished_at, checked, corrections, repushed, error,
                       details::text AS details
                FROM reconciliation
                WHERE (CAST(:store AS text) IS NULL OR store = :store) AND (CAST(:before AS bigint) IS NULL OR id < :before)
                ORDER BY id DESC LIMIT :limit
                """,
                new MapSqlParameterSource("store", store)
                        .addValue("limit", limit)
                        .addValue("before", before),
                (rs, n) -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("id", rs.getLong("id"));
                    row.put("store", rs.getString("store"));
                    row.put("trigger", rs.getString("trigger"));
                    row.put("startedAt", instant(rs.getTimestamp("started_at")));
                    row.put("finishedAt", instant(rs.getTimestamp("finished_at")));
                    row.put("checked", rs.getInt("checked"));
                    row.put("corrections", rs.getInt("corrections"));
                    row.put("repushed", rs.getInt("repushed"));
                    row.put("error", rs.getString("error"));
                    try {
                        row.put(
                                "details",
                                rs.getString("details") == null
                                        ? List.of()
                                        : objectMapper.readValue(rs.getString("details"), List.class));
                    } catch (JsonProcessingException e) {
                        row.put("details", List.of());
                    }
                    return row;
                });
    }

    /** Corrections per store over all reconciliations. */
    Map<String, Long> correctionsByStore() {
        Map<String, Long> totals = new HashMap<>();
        jdbc.query("SELECT store, COALESCE(SUM(corrections), 0) FROM reconciliation GROUP BY store", rs -> {
            totals.put(rs.getString(1), rs.getLong(2));
        });
        return totals;
    }

    private static String instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant().toString();
    }
}
