package io.tally.api;

import io.tally.catalog.Listing;
import io.tally.catalog.TargetRefresher;
import io.tally.policy.StoreRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/** The JSON shapes of contract C1 for items and listings. */
@Component
class ItemViews {

    private final NamedParameterJdbcTemplate jdbc;
    private final StoreRegistry stores;

    ItemViews(NamedParameterJdbcTemplate jdbc, StoreRegistry stores) {
        this.jdbc = jdbc;
        this.stores = stores;
    }

    Map<String, Object> item(String key) {
        List<Map<String, Object>> rows = jdbc.queryForList("""
                SELECT item_key, on_hand, bundle, oversold_at FROM stock_item WHERE item_key = :key
                """, Map.of("key", key));
        if (rows.isEmpty()) {
            throw new NoSuchElementException("no stock item '" + key + "'");
        }
        Map<String, Object> row = rows.get(0);
        boolean bundle = (Boolean) row.get("bundle");
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("key", key);
        if (bundle) {
            Map<String, Object> components = new LinkedHashMap<>();
            long level = Long.MAX_VALUE;
            for (Map<String, Object> c : jdbc.queryForList("""
                    SELECT b.component_key, b.quantity, s.on_hand FROM bundle_component b
                    JOIN stock_item s ON s.item_key = b.component_key WHERE b.bundle_key = :key ORDER BY 1
                    """, Map.of("key", key))) {
                int quantity = ((Number) c.get("quantity")).intValue();
                components.put((String) c.get("component_key"), quantity);
                level = Math.min(level, Math.floorDiv(((Number) c.get("on_hand")).longValue(), quantity));
            }
            long onHand = components.isEmpty() ? 0 : level;
            view.put("onHand", onHand);
            view.put("oversold", onHand < 0);
            view.put("bundle", true);
            view.put("components", components);
        } else {
            long onHand = ((Number) row.get("on_hand")).longValue();
            view.put("onHand", onHand);
            view.put("oversold", onHand < 0);
            view.put("bundle", false);
        }
        List<Map<String, Object>> listingViews =
                listings("l.item_key = :key ORDER BY l.store, l.ref", new MapSqlParameterSource("key", key));
        Map<String, Long> states = new LinkedHashMap<>();
        ListingStates.ALL.forEach(state -> states.put(state, 0L));
        listingViews.forEach(l -> states.merge((String) l.get("state"), 1L, Long::sum));
        view.put(
                "name",
                listingViews.stream()
                        .map(l -> (String) l.get("title"))
                        .filter(t -> t != null)
                        .findFirst()
                        .orElse(null));
        view.put(
                "outOfSync",
                ListingStates.OUT_OF_SYNC.stream().mapToLong(states::get).sum());
        view.put("listingStates", states);
        view.put("listings", listingViews);
        return view;
    }

    /**
     * Up to {@code limit} items, oversold then out of sync first, then by key, after the sort key
     * ({@code oversold, outOfSync, key}) of the previous page's last row, or from the start without one.
     */
    List<Map<String, Object>> items(int limit, Boolean afterOversold, Long afterOutOfSync, String afterKey) {
        MapSqlParameterSource params = new MapSqlParameterSource("limit", limit)
                .addValue("o", afterOversold)
                .addValue("n", afterOutOfSync)
                .addValue("k", afterKey);
        // Descending booleans and counts: a later row has a smaller (oversold, outOfSync) or an equal one and a
        // greater key. The sort key is computed, so the filter wraps the select.
        return jdbc.queryForList(
                "SELECT * FROM (SELECT s.item_key AS \"key\", " + TargetRefresher.LEVEL_OF_S + " AS \"onHand\","
                        + """
                       s.on_hand < 0 AS "oversold", s.bundle,
                       (SELECT l.title FROM listing l WHERE l.item_key = s.item_key AND l.title IS NOT NULL
                        ORDER BY l.master DESC, l.id LIMIT 1) AS "name",
                       (SELECT count(*) FROM listing l WHERE l.item_key = s.item_key) AS "listings",
                       (SELECT count(*) FROM listing l WHERE l.item_key = s.item_key
                          AND""" + " " + ListingStates.STATE_OF_L + " IN (" + ListingStates.OUT_OF_SYNC_SQL
                        + ")) AS \"outOfSync\"" + """
                FROM stock_item s) q
                WHERE CAST(:k AS text) IS NULL
                   OR "oversold" < CAST(:o AS boolean)
                   OR ("oversold" = CAST(:o AS boolean) AND ("outOfSync" < CAST(:n AS bigint)
                       OR ("outOfSync" = CAST(:n AS bigint) AND "key" > CAST(:k AS text))))
                ORDER BY "oversold" DESC, "outOfSync" DESC, "key"
                LIMIT :limit
                """,
                params);
    }

    /** The listing as the API shows it (state, channel level and name included), read again by its id. */
    Map<String, Object> listing(Listing listing) {
        return listings("l.id = :id", new MapSqlParameterSource("id", listing.id()))
                .get(0);
    }

    /** Up to {@code limit} listings, all or one store's, by store and ref, after {@code (afterStore, afterRef)}. */
    List<Map<String, Object>> listings(String store, int limit, String afterStore, String afterRef) {
        return listings(
                "(CAST(:store AS text) IS NULL OR l.store = :store)"
                        + " AND (CAST(:as AS text) IS NULL OR (l.store, l.ref) > (CAST(:as AS text), CAST(:ar AS text)))"
                        + " ORDER BY l.store, l.ref LIMIT :limit",
                new MapSqlParameterSource("store", store)
                        .addValue("as", afterStore)
                        .addValue("ar", afterRef)
                        .addValue("limit", limit));
    }

    /**
     * Listings matching {@code where} (SQL on listing {@code l}). {@code level} is what the channel holds as far as
     * Tally knows (pushed and confirmed, or observed); {@code name} is the channel catalog's title, else the SKU,
     * else the ref.
     */
    private List<Map<String, Object>> listings(String where, MapSqlParameterSource params) {
        return jdbc.query(
                "SELECT " + Listing.COLUMNS.replaceAll("(\\w+)", "l.$1") + ", l.title, " + ListingStates.STATE_OF_L
                        + " AS state FROM listing l WHERE " + where,
                params,
                (rs, n) -> {
                    Listing listing = Listing.map(rs, n);
                    Map<String, Object> view = new LinkedHashMap<>();
                    String title = rs.getString("title");
                    view.put("channel", channel(listing));
                    view.put("store", listing.store());
                    view.put("ref", listing.ref());
                    view.put("name", title != null ? title : listing.sku() != null ? listing.sku() : listing.ref());
                    view.put("title", title);
                    view.put("sku", listing.sku());
                    view.put("barcode", listing.barcode());
                    view.put("handle", listing.handle());
                    view.put("itemKey", listing.itemKey());
                    view.put("master", listing.master());
                    view.put("hidden", listing.hidden());
                    view.put("safetyStock", listing.safetyStock());
                    view.put("maxAvailable", listing.maxAvailable());
                    view.put("sharePercent", listing.sharePercent());
                    view.put("target", listing.target());
                    view.put("level", listing.knownLevel());
                    view.put("lastPushed", listing.lastPushed());
                    view.put("lastPushedAt", listing.lastPushedAt());
                    view.put("state", rs.getString("state"));
                    return view;
                });
    }

    private String channel(Listing listing) {
        return stores.find(listing.store()).map(s -> s.channel()).orElse("unknown");
    }
}
