package io.tally.catalog;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

@Repository
public class ListingRepository {

    private static final String SELECT = "SELECT " + Listing.COLUMNS + " FROM listing ";

    private final NamedParameterJdbcTemplate jdbc;

    public ListingRepository(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Listing> findById(long id) {
        return jdbc.query(SELECT + "WHERE id = :id", Map.of("id", id), Listing::map).stream().findFirst();
    }

    public Optional<Listing> findByRef(String store, String ref) {
        return jdbc.query(SELECT + "WHERE store = :store AND ref = :ref", Map.of("store", store, "ref", ref),
                Listing::map).stream().findFirst();
    }

    /** Listings of one item in one store, master first. */
    public List<Listing> findInStore(String store, String itemKey) {
        return jdbc.query(SELECT + "WHERE store = :store AND item_key = :key ORDER BY master DESC, id",
                Map.of("store", store, "key", itemKey), Listing::map);
    }

    public List<Listing> findByItem(String itemKey) {
        return jdbc.query(SELECT + "WHERE item_key = :key ORDER BY store, ref", Map.of("key", itemKey), Listing::map);
    }

    public List<Listing> findByStore(String store) {
        return jdbc.query(SELECT + "WHERE (CAST(:store AS text) IS NULL OR store = :store) ORDER BY store, ref",
                new MapSqlParameterSource("store", store), Listing::map);
    }

    public List<Long> findOutOfSync(int limit) {
        return jdbc.queryForList("""
                SELECT id FROM listing WHERE NOT hidden AND target IS DISTINCT FROM synced_level
                ORDER BY id LIMIT :limit
                """, Map.of("limit", limit), Long.class);
    }

    /** Records what the channel was observed to hold, and what Tally accepts it holding. */
    public void updateObservedLevels(long id, Long knownLevel, Long syncedLevel) {
        jdbc.update("""
                UPDATE listing SET known_level = :known, synced_level = :synced, updated_at = now() WHERE id = :id
                """, new MapSqlParameterSource("id", id).addValue("known", knownLevel).addValue("synced", syncedLevel));
    }
}
