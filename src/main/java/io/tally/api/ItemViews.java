package io.tally.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import io.tally.catalog.Listing;
import io.tally.catalog.ListingRepository;
import io.tally.catalog.TargetRefresher;
import io.tally.policy.StoreProperties;
import io.tally.policy.StoreRegistry;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/** The JSON shapes of contract C1 for items and listings. */
@Component
class ItemViews {

    private final NamedParameterJdbcTemplate jdbc;
    private final ListingRepository listings;
    private final StoreRegistry stores;

    ItemViews(NamedParameterJdbcTemplate jdbc, ListingRepository listings, StoreRegistry stores) {
        this.jdbc = jdbc;
        this.listings = listings;
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
        List<Map<String, Object>> listingViews = new ArrayList<>();
        for (Listing listing : listings.findByItem(key)) {
            listingViews.add(listingInItem(listing));
        }
        view.put("listings", listingViews);
        return view;
    }

    List<Map<String, Object>> items(int limit) {
        return jdbc.queryForList("SELECT s.item_key AS \"key\", " + TargetRefresher.LEVEL_OF_S + " AS \"onHand\","
                + """
                       s.on_hand < 0 AS "oversold", s.bundle,
                       count(l.id) AS "listings",
                       count(l.id) FILTER (WHERE NOT l.hidden AND l.target IS DISTINCT FROM l.synced_level)
                           AS "outOfSync"
                FROM stock_item s LEFT JOIN listing l ON l.item_key = s.item_key
                GROUP BY s.item_key
                ORDER BY s.on_hand < 0 DESC, "outOfSync" DESC, s.item_key
                LIMIT :limit
                """, Map.of("limit", limit));
    }

    private Map<String, Object> listingInItem(Listing listing) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("channel", channel(listing));
        view.put("store", listing.store());
        view.put("ref", listing.ref());
        view.put("master", listing.master());
        view.put("target", listing.target());
        view.put("lastPushed", listing.lastPushed());
        view.put("state", listing.state());
        return view;
    }

    Map<String, Object> listing(Listing listing) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("channel", channel(listing));
        view.put("store", listing.store());
        view.put("ref", listing.ref());
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
        view.put("lastPushed", listing.lastPushed());
        view.put("lastPushedAt", listing.lastPushedAt());
        view.put("level", listing.knownLevel());
        view.put("state", listing.state());
        return view;
    }

    private String channel(Listing listing) {
        return stores.find(listing.store()).map(s -> StoreProperties.lower(s.channel())).orElse("unknown");
    }
}
