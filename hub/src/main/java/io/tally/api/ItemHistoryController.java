package io.tally.api;

import io.tally.event.KeyKind;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * GET /api/items/{key}/history: an item's on-hand (from its ledger) and, per listing, its target and the level its
 * channel took (from the push history, push_attempt) over the last {@code minutes}. Each series starts with the value
 * it had when the window opened, when known, and ends with the value now; {@code level}'s last point is what Tally
 * knows the channel holds now, including changes the channel made itself (its own sales) that no push recorded.
 */
@RestController
@RequestMapping("/api/items")
class ItemHistoryController {

    static final int MAX_POINTS = 5_000;

    private final NamedParameterJdbcTemplate jdbc;
    private final ItemViews views;

    ItemHistoryController(NamedParameterJdbcTemplate jdbc, ItemViews views) {
        this.jdbc = jdbc;
        this.views = views;
    }

    @GetMapping("/{key}/history")
    Map<String, Object> history(@PathVariable String key, @RequestParam(defaultValue = "60") int minutes) {
        if (minutes < 1 || minutes > StoreViews.MAX_MINUTES) {
            throw new IllegalArgumentException("minutes must be between 1 and " + StoreViews.MAX_MINUTES);
        }
        String itemKey = KeyKind.SKU.normalize(key);
        Map<String, Object> item = views.item(itemKey); // 404 for an unknown item
        Instant to = Instant.now();
        Instant from = to.minusSeconds(minutes * 60L);
        MapSqlParameterSource window = new MapSqlParameterSource("key", itemKey)
                .addValue("from", Timestamp.from(from))
                .addValue("limit", MAX_POINTS);

        Map<String, Object> view = new LinkedHashMap<>();
        view.put("key", itemKey);
        view.put("name", item.get("name"));
        view.put("from", from);
        view.put("to", to);
        long onHand = ((Number) item.get("onHand")).longValue();
        view.put(
                "onHand",
                Boolean.TRUE.equals(item.get("bundle"))
                        ? List.of(point(from, onHand), point(to, onHand)) // a bundle's level is its components' sets
                        : onHandSeries(window, from, to, onHand));

        Map<Long, Map<String, Object>> listings = new LinkedHashMap<>();
        jdbc.query("""
                SELECT l.id, l.store, l.ref, l.target, l.known_level, l.title, l.sku FROM listing l
                WHERE l.item_key = :key AND NOT l.hidden ORDER BY l.store, l.ref""", window, rs -> {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("store", rs.getString("store"));
            l.put("ref", rs.getString("ref"));
            String title = rs.getString("title");
            l.put(
                    "name",
                    title != null ? title : rs.getString("sku") != null ? rs.getString("sku") : rs.getString("ref"));
            l.put("targetNow", rs.getLong("target"));
            l.put("levelNow", rs.getObject("known_level"));
            l.put("target", new ArrayList<Map<String, Object>>());
            l.put("level", new ArrayList<Map<String, Object>>());
            listings.put(rs.getLong("id"), l);
        });
        // The last attempt before the window (where each line starts), then the window's attempts, oldest first.
        jdbc.query("""
                (SELECT DISTINCT ON (a.listing_id, a.outcome = 'ok') a.listing_id, a.at, a.level, a.outcome, TRUE AS before
                 FROM push_attempt a JOIN listing l ON l.id = a.listing_id
                 WHERE l.item_key = :key AND a.at < :from AND a.outcome <> 'stale'
                 ORDER BY a.listing_id, a.outcome = 'ok', a.at DESC)
                UNION ALL
                (SELECT a.listing_id, a.at, a.level, a.outcome, FALSE FROM push_attempt a JOIN listing l ON l.id = a.listing_id
                 WHERE l.item_key = :key AND a.at >= :from AND a.outcome <> 'stale' ORDER BY a.at DESC LIMIT :limit)
                ORDER BY at, before DESC""", window, rs -> {
            Map<String, Object> l = listings.get(rs.getLong("listing_id"));
            if (l == null) {
                return;
            }
            boolean before = rs.getBoolean("before");
            Instant at = before ? from : rs.getTimestamp("at").toInstant();
            long level = rs.getLong("level");
            boolean ok = "ok".equals(rs.getString("outcome"));
            // every attempt sent the target of its time; only the accepted ones set the channel's level
            if (!before || !ok) {
                add(series(l, "target"), at, level);
            }
            if (ok) {
                add(series(l, "level"), at, level);
                if (before) {
                    add(series(l, "target"), at, level);
                }
            }
        });
        for (Map<String, Object> l : listings.values()) {
            add(series(l, "target"), to, ((Number) l.get("targetNow")).longValue());
            if (l.get("levelNow") != null) {
                add(series(l, "level"), to, ((Number) l.get("levelNow")).longValue());
            }
        }
        view.put("listings", new ArrayList<>(listings.values()));
        return view;
    }

    /** On hand after each ledger entry of the window, from the level when the window opened to the level now. */
    private List<Map<String, Object>> onHandSeries(
            MapSqlParameterSource window, Instant from, Instant to, long onHand) {
        List<Object[]> entries = new ArrayList<>(); // newest first
        jdbc.query("""
                SELECT created_at, delta FROM ledger_entry WHERE item_key = :key AND created_at >= :from
                ORDER BY id DESC LIMIT :limit""", window, rs -> {
            entries.add(new Object[] {rs.getTimestamp("created_at").toInstant(), rs.getLong("delta")});
        });
        List<Map<String, Object>> points = new ArrayList<>();
        long level = onHand;
        points.add(point(to, onHand));
        for (Object[] e : entries) {
            points.add(0, point((Instant) e[0], level));
            level -= (Long) e[1];
        }
        // The level before the window's first entry, unless the item did not exist then (its first entry is a seed
        // from nothing: drawing the 0 before it would squash the chart).
        boolean older = entries.isEmpty() || Boolean.TRUE.equals(jdbc.queryForObject("""
                SELECT EXISTS (SELECT 1 FROM ledger_entry WHERE item_key = :key AND created_at < :from)""", window, Boolean.class));
        if (older) {
            points.add(0, point(from, level));
        }
        return points;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> series(Map<String, Object> listing, String name) {
        return (List<Map<String, Object>>) listing.get(name);
    }

    private static void add(List<Map<String, Object>> series, Instant at, long level) {
        series.add(point(at, level));
    }

    private static Map<String, Object> point(Instant at, long level) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("at", at);
        p.put("level", level);
        return p;
    }
}
