package io.tally.ledger;

import io.tally.support.SqlArrays;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** Stock item rows: on-hand counts and the row locks that serialize every change to one item. */
@Repository
public class StockItemRepository {

    private final NamedParameterJdbcTemplate jdbc;
    private final SqlArrays arrays;

    public StockItemRepository(NamedParameterJdbcTemplate jdbc, SqlArrays arrays) {
        this.jdbc = jdbc;
        this.arrays = arrays;
    }

    public record StockItem(String key, long onHand, boolean bundle, int seedRank) {}

    public void createIfAbsent(String key) {
        jdbc.update("INSERT INTO stock_item (item_key) VALUES (:key) ON CONFLICT DO NOTHING", Map.of("key", key));
    }

    /** {@link #createIfAbsent} for many keys in one statement. */
    public void createAllIfAbsent(Collection<String> keys) {
        if (keys.isEmpty()) {
            return;
        }
        jdbc.update(
                "INSERT INTO stock_item (item_key) SELECT unnest(:keys) ON CONFLICT DO NOTHING",
                new MapSqlParameterSource("keys", arrays.text(new TreeSet<>(keys))));
    }

    /** The keys of these that exist as stock items. */
    public Set<String> existing(Collection<String> keys) {
        if (keys.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(jdbc.queryForList(
                "SELECT item_key FROM stock_item WHERE item_key = ANY(:keys)",
                new MapSqlParameterSource("keys", arrays.text(keys)),
                String.class));
    }

    /**
     * Locks the items in key order (so two batches never deadlock) and returns the ones that exist. Reads
     * after this see every change committed before the lock was granted.
     */
    public Map<String, StockItem> lock(Collection<String> keys) {
        Map<String, StockItem> items = new HashMap<>();
        if (keys.isEmpty()) {
            return items;
        }
        jdbc.query("""
                SELECT item_key, on_hand, bundle, seed_rank FROM stock_item
                WHERE item_key = ANY(:keys) ORDER BY item_key FOR UPDATE
                """, new MapSqlParameterSource("keys", arrays.text(new TreeSet<>(keys))), rs -> {
            items.put(rs.getString(1), new StockItem(rs.getString(1), rs.getLong(2), rs.getBoolean(3), rs.getInt(4)));
        });
        return items;
    }

    public Map<String, Integer> components(String bundleKey) {
        Map<String, Integer> components = new HashMap<>();
        jdbc.query(
                "SELECT component_key, quantity FROM bundle_component WHERE bundle_key = :key ORDER BY component_key",
                Map.of("key", bundleKey),
                rs -> {
                    components.put(rs.getString(1), rs.getInt(2));
                });
        return components;
    }

    public Map<String, Map<String, Integer>> components(Collection<String> bundleKeys) {
        Map<String, Map<String, Integer>> result = new HashMap<>();
        if (bundleKeys.isEmpty()) {
            return result;
        }
        jdbc.query(
                "SELECT bundle_key, component_key, quantity FROM bundle_component WHERE bundle_key = ANY(:keys)",
                new MapSqlParameterSource("keys", arrays.text(bundleKeys)),
                rs -> {
                    result.computeIfAbsent(rs.getString(1), k -> new HashMap<>())
                            .put(rs.getString(2), rs.getInt(3));
                });
        return result;
    }

    /** Adds the net change booked by a batch; flags an oversell when an item goes below zero, never refuses it. */
    public void addToOnHand(Map<String, Long> deltas) {
        if (deltas.isEmpty()) {
            return;
        }
        List<String> keys = new ArrayList<>(deltas.keySet());
        List<Long> values = keys.stream().map(deltas::get).toList();
        jdbc.update("""
                UPDATE stock_item s SET on_hand = s.on_hand + x.delta, updated_at = now(),
                       oversold_at = CASE WHEN s.on_hand + x.delta < 0 THEN COALESCE(s.oversold_at, now()) END
                FROM unnest(:keys, :deltas) AS x(item_key, delta) WHERE s.item_key = x.item_key
                """, new MapSqlParameterSource("keys", arrays.text(keys)).addValue("deltas", arrays.int8(values)));
    }

    /** The item's level is computed from its components from now on (it never holds stock of its own). */
    public void markBundle(String key) {
        jdbc.update(
                "UPDATE stock_item SET bundle = TRUE, updated_at = now() WHERE item_key = :key", Map.of("key", key));
    }

    /**
     * Seeds many items in one statement: adds each one's booked seed delta (none when the level matched) and sets
     * the rank of the listing it was seeded from. Seeds never take an item below zero.
     */
    public void seed(Map<String, Long> deltas, Map<String, Integer> ranks) {
        if (ranks.isEmpty()) {
            return;
        }
        List<String> keys = new ArrayList<>(ranks.keySet());
        jdbc.update(
                """
                UPDATE stock_item s SET on_hand = s.on_hand + x.delta, seed_rank = x.rank, updated_at = now()
                FROM unnest(:keys, :deltas, :ranks) AS x(item_key, delta, rank) WHERE s.item_key = x.item_key
                """,
                new MapSqlParameterSource("keys", arrays.text(keys))
                        .addValue(
                                "deltas",
                                arrays.int8(keys.stream()
                                        .map(k -> deltas.getOrDefault(k, 0L))
                                        .toList()))
                        .addValue(
                                "ranks",
                                arrays.int4(keys.stream().map(ranks::get).toList())));
    }

    public void setSeedRank(String key, int rank) {
        jdbc.update("UPDATE stock_item SET seed_rank = :rank WHERE item_key = :key", Map.of("key", key, "rank", rank));
    }
}
