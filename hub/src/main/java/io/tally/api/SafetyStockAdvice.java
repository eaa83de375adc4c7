package io.tally.api;

import io.tally.policy.StoreProperties;
import io.tally.policy.StoreRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * A safety stock suggested for one store from what was measured, next to the configured one. Between a sale on
 * another channel and this store showing the lower level, the store can sell units that are gone: the suggestion is
 * the units expected to sell in that window, at the busiest rate seen, over the store's measured sync lag.
 *
 * <ul>
 *   <li>sync lag: the 95th percentile, over the latest sales booked on other stores in the window, of the time from
 *       the ledger entry to the first push this store's channel accepted for the item at or after it;
 *   <li>sale velocity: units sold per hour of the busiest item in its busiest hour of the window, on all channels;
 *   <li>suggested: the product, rounded up ({@code 0} below a tenth of a unit).
 * </ul>
 */
@Component
class SafetyStockAdvice {

    /** Sales measured per store; the newest, so the figure follows the store's current lag. */
    static final int MAX_SAMPLES = 2_000;

    private final NamedParameterJdbcTemplate jdbc;
    private final StoreRegistry stores;

    SafetyStockAdvice(NamedParameterJdbcTemplate jdbc, StoreRegistry stores) {
        this.jdbc = jdbc;
        this.stores = stores;
    }

    Map<String, Object> advise(String store, int days) {
        StoreProperties settings = stores.find(store)
                .orElseThrow(() -> new NoSuchElementException("no store '" + store + "' in the config"));
        if (days < 1 || days > 90) {
            throw new IllegalArgumentException("days must be between 1 and 90");
        }
        MapSqlParameterSource args =
                new MapSqlParameterSource("store", store).addValue("days", days).addValue("samples", MAX_SAMPLES);
        Map<String, Object> lag = jdbc.queryForMap("""
                WITH sales AS (
                    SELECT e.item_key, e.created_at FROM ledger_entry e
                    WHERE e.kind = 'sale' AND e.store IS DISTINCT FROM :store
                      AND e.created_at > now() - make_interval(days => :days)
                    ORDER BY e.id DESC LIMIT :samples)
                SELECT count(*) AS samples,
                       percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM p.first_ok - s.created_at)) AS p95
                FROM sales s
                JOIN listing l ON l.item_key = s.item_key AND l.store = :store AND NOT l.hidden
                CROSS JOIN LATERAL (
                    SELECT min(a.at) AS first_ok FROM push_attempt a
                    WHERE a.listing_id = l.id AND a.outcome = 'ok' AND a.at >= s.created_at) p
                WHERE p.first_ok IS NOT NULL
                """, args);
        Number velocity = jdbc.queryForObject("""
                SELECT max(units) FROM (
                    SELECT -sum(delta) AS units FROM ledger_entry
                    WHERE kind = 'sale' AND created_at > now() - make_interval(days => :days)
                    GROUP BY item_key, date_trunc('hour', created_at)) busiest
                """, args, Number.class);
        long samples = ((Number) lag.get("samples")).longValue();
        Double lagSeconds = lag.get("p95") == null ? null : ((Number) lag.get("p95")).doubleValue();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("store", store);
        answer.put("configuredSafetyStock", settings.safetyStock());
        answer.put("days", days);
        answer.put("samples", samples);
        answer.put("syncLagSecondsP95", lagSeconds == null ? null : round(lagSeconds, 3));
        answer.put("peakSalesPerHour", velocity == null ? 0 : velocity.longValue());
        if (lagSeconds == null || velocity == null) {
            answer.put("expectedSalesDuringLag", null);
            answer.put("suggestedSafetyStock", null);
            answer.put(
                    "reason",
                    "no sale on another store was pushed to this store in the last " + days + " day(s): nothing to"
                            + " measure its lag by");
            return answer;
        }
        double expected = velocity.doubleValue() * lagSeconds / 3600.0;
        answer.put("expectedSalesDuringLag", round(expected, 3));
        answer.put("suggestedSafetyStock", expected < 0.1 ? 0 : (long) Math.ceil(expected));
        return answer;
    }

    private static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
