package io.tally.catalog;

import io.tally.policy.StoreProperties;
import io.tally.policy.StoreRegistry;
import io.tally.policy.TargetCalculator;
import io.tally.support.SqlArrays;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Recomputes the target of every listing of the given stock items (and of bundles made of them) inside the
 * caller's transaction. The caller holds the row locks of those items, so the levels read here are current.
 */
@Component
public class TargetRefresher {

    /** SQL for the sellable level of stock item {@code s}: on-hand, or for a bundle the complete sets. */
    public static final String LEVEL_OF_S = """
            CASE WHEN s.bundle THEN
                COALESCE((SELECT min(floor(c.on_hand::numeric / b.quantity))::bigint
                          FROM bundle_component b JOIN stock_item c ON c.item_key = b.component_key
                          WHERE b.bundle_key = s.item_key), 0)
            ELSE s.on_hand END""";

    private final NamedParameterJdbcTemplate jdbc;
    private final SqlArrays arrays;
    private final StoreRegistry stores;

    public TargetRefresher(NamedParameterJdbcTemplate jdbc, SqlArrays arrays, StoreRegistry stores) {
        this.jdbc = jdbc;
        this.arrays = arrays;
        this.stores = stores;
    }

    /** Bundles that contain any of these items: they must be locked and refreshed with them. */
    public Set<String> bundlesContaining(Collection<String> itemKeys) {
        if (itemKeys.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(jdbc.queryForList(
                "SELECT DISTINCT bundle_key FROM bundle_component WHERE component_key = ANY(:keys)",
                new MapSqlParameterSource("keys", arrays.text(itemKeys)),
                String.class));
    }

    /** @return ids of listings whose channel does not hold their (possibly new) target */
    public List<Long> refresh(Collection<String> itemKeys) {
        if (itemKeys.isEmpty()) {
            return List.of();
        }
        Set<String> keys = new HashSet<>(itemKeys);
        keys.addAll(bundlesContaining(itemKeys));
        Map<String, Long> levels = levels(keys);
        List<Listing> listings = jdbc.query(
                "SELECT " + Listing.COLUMNS + " FROM listing WHERE item_key = ANY(:keys)",
                new MapSqlParameterSource("keys", arrays.text(keys)),
                Listing::map);
        List<Long> changedIds = new ArrayList<>();
        List<Long> changedTargets = new ArrayList<>();
        List<Long> toPush = new ArrayList<>();
        for (Listing listing : listings) {
            StoreProperties store = stores.find(listing.store()).orElse(null);
            if (store == null) {
                continue; // a store removed from config keeps its rows but gets no pushes
            }
            long target = TargetCalculator.target(
                    levels.getOrDefault(listing.itemKey(), 0L),
                    listing.hidden(),
                    listing.safetyStock(),
                    listing.maxAvailable(),
                    listing.sharePercent(),
                    store);
            if (target != listing.target()) {
                changedIds.add(listing.id());
                changedTargets.add(target);
            }
            // A changed target is always offered, even when the row says the channel holds it: a push of the
            // old target may be in flight and about to overwrite synced_level, and only the offer re-plans it.
            boolean inSync = listing.syncedLevel() != null && listing.syncedLevel() == target;
            if (!listing.hidden() && (!inSync || target != listing.target())) {
                toPush.add(listing.id());
            }
        }
        if (!changedIds.isEmpty()) {
            jdbc.update(
                    """
                    UPDATE listing l SET target = x.target, target_version = l.target_version + 1, updated_at = now()
                    FROM unnest(:ids, :targets) AS x(id, target) WHERE l.id = x.id
                    """,
                    new MapSqlParameterSource("ids", arrays.int8(changedIds))
                            .addValue("targets", arrays.int8(changedTargets)));
        }
        return toPush;
    }

    /** The sellable level of each item: on-hand, or for a bundle the number of complete sets its components make. */
    Map<String, Long> levels(Set<String> keys) {
        Map<String, Long> levels = new HashMap<>();
        jdbc.query(
                "SELECT s.item_key, " + LEVEL_OF_S + " AS level FROM stock_item s WHERE s.item_key = ANY(:keys)",
                new MapSqlParameterSource("keys", arrays.text(keys)),
                rs -> {
                    levels.put(rs.getString("item_key"), rs.getLong("level"));
                });
        return levels;
    }
}
