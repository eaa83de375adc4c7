package io.tally.alerts;

import io.tally.policy.StoreRegistry;
import io.tally.policy.TallyProperties;
import io.tally.support.SqlArrays;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Finds alert conditions in the tables that already hold them and records each episode once (the alert table's
 * unique key): no code path that books, pushes, polls or reconciles has to remember to raise an alert, and a
 * condition that arose while the hub was down is still reported. Runs as a clustered job (one replica at a time).
 */
@Component
public class AlertScan {

    private static final Logger log = LoggerFactory.getLogger(AlertScan.class);

    /** History older than this when alerts are first enabled is not reported as news. */
    private static final String RECENT = "interval '1 day'";

    private final NamedParameterJdbcTemplate jdbc;
    private final SqlArrays arrays;
    private final StoreRegistry stores;
    private final TallyProperties.Alerts settings;
    private final TransactionTemplate transaction;

    public AlertScan(
            NamedParameterJdbcTemplate jdbc,
            SqlArrays arrays,
            StoreRegistry stores,
            TallyProperties properties,
            TransactionTemplate transaction) {
        this.jdbc = jdbc;
        this.arrays = arrays;
        this.stores = stores;
        this.settings = properties.alerts();
        this.transaction = transaction;
    }

    /** @return alerts raised by this scan, per kind */
    public Map<String, Integer> scan() {
        Map<String, Integer> raised = new LinkedHashMap<>();
        transaction.executeWithoutResult(status -> {
            raised.put(AlertKind.OVERSOLD.wire, oversold());
            raised.put(AlertKind.PUSH_FAILING.wire, pushFailing());
            raised.put(AlertKind.POLLER_STOPPED.wire, pollerStopped());
            raised.put(AlertKind.RECONCILIATION_CORRECTED.wire, reconciliationCorrected());
        });
        raised.forEach((kind, n) -> {
            if (n > 0) {
                // INFO: the alert itself goes to the operator's endpoint; WARN lines are kept for what failed.
                log.info("alert: {} new '{}' alert(s); GET /api/alerts lists them", n, kind);
            }
        });
        return raised;
    }

    /** An item below zero: a real sale was booked beyond the stock (it is never refused). */
    private int oversold() {
        return jdbc.update("""
                INSERT INTO alert (kind, subject, occurrence, detail)
                SELECT :kind, item_key, oversold_at::text,
                       'item ' || item_key || ' is oversold: on-hand ' || on_hand || ' (sold ' || -on_hand
                       || ' more than the stock)'
                FROM stock_item WHERE oversold_at IS NOT NULL AND oversold_at > now() - %s
                ON CONFLICT DO NOTHING
                """.formatted(RECENT), new MapSqlParameterSource("kind", AlertKind.OVERSOLD.wire));
    }

    /** A store with open dead letters; one episode lasts while its oldest open dead letter stays open. */
    private int pushFailing() {
        return jdbc.update("""
                INSERT INTO alert (kind, subject, occurrence, detail)
                SELECT :kind, d.store, min(d.id)::text,
                       'pushes to store ' || d.store || ' are failing: ' || count(*)
                       || ' listing(s) dead-lettered; latest error: ' || left((array_agg(d.error ORDER BY d.id DESC))[1], 300)
                FROM dead_letter d WHERE d.status = 'open' AND d.created_at > now() - %s
                GROUP BY d.store
                ON CONFLICT DO NOTHING
                """.formatted(RECENT), new MapSqlParameterSource("kind", AlertKind.PUSH_FAILING.wire));
    }

    /** A configured store's poller that has not polled successfully for the configured time. */
    private int pollerStopped() {
        List<String> configured = new ArrayList<>(stores.all().keySet());
        if (configured.isEmpty()) {
            return 0;
        }
        return jdbc.update(
                """
                INSERT INTO alert (kind, subject, occurrence, detail)
                SELECT :kind, c.store || '/' || c.feed, COALESCE(c.succeeded_at::text, 'never'),
                       'the ' || c.feed || ' poller of store ' || c.store || ' has not polled successfully since '
                       || COALESCE(to_char(c.succeeded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), 'it started')
                       || COALESCE('; last error: ' || left(c.error, 300), '')
                FROM poll_cursor c
                WHERE c.store = ANY(:stores)
                  AND COALESCE(c.succeeded_at, c.polled_at) < now() - make_interval(secs => :after / 1000.0)
                ON CONFLICT DO NOTHING
                """,
                new MapSqlParameterSource("kind", AlertKind.POLLER_STOPPED.wire)
                        .addValue("stores", arrays.text(configured))
                        .addValue("after", settings.pollerStoppedAfterMs()));
    }

    /** A reconciliation that had to correct many listings: something edits levels behind Tally's back. */
    private int reconciliationCorrected() {
        return jdbc.update(
                """
                INSERT INTO alert (kind, subject, occurrence, detail)
                SELECT :kind, r.store, r.id::text,
                       'reconciliation ' || r.id || ' of store ' || r.store || ' corrected ' || r.corrections
                       || ' listing(s) of ' || r.checked || ' (alert threshold ' || :threshold || ')'
                FROM reconciliation r
                WHERE r.corrections > :threshold AND r.finished_at > now() - %s
                ON CONFLICT DO NOTHING
                """.formatted(RECENT),
                new MapSqlParameterSource("kind", AlertKind.RECONCILIATION_CORRECTED.wire)
                        .addValue("threshold", settings.reconciliationCorrections()));
    }
}
