package io.tally.catalog;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.tally.support.SqlArrays;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

@Repository
public class ListingRepository {

    private static final String SELECT = "SELECT " + Listing.COLUMNS + " FROM listing ";

    private final NamedParameterJdbcTemplate jdbc;
    private final SqlArrays arrays;

    public ListingRepository(NamedParameterJdbcTemplate jdbc, SqlArrays arrays) {
        this.jdbc = jdbc;
        this.arrays = arrays;
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

    /** {@link #findByRef} for many (store, ref) pairs in one query: the listings that exist, in no order. */
    public List<Listing> findByRefs(List<String> stores, List<String> refs) {
        return jdbc.query(SELECT + "WHERE (store, ref) IN (SELECT * FROM unnest(:stores, :refs))",
                new MapSqlParameterSource("stores", arrays.text(stores)).addValue("refs", arrays.text(refs)),
                Listing::map);
    }

    /** {@link #findInStore} for many (store, item) pairs in one query: per pair, master first. */
    public List<Listing> findInStores(List<String> stores, List<String> itemKeys) {
        return jdbc.query(SELECT + "WHERE (store, item_key) IN (SELECT * FROM unnest(:stores, :keys))"
                        + " ORDER BY store, item_key, master DESC, id",
                new MapSqlParameterSource("stores", arrays.text(stores)).addValue("keys", arrays.text(itemKeys)),
                Listing::map);
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

    /** The channel's own ids of a listing: what a push writes to, and the product it belongs to. */
    public void setChannelIds(long id, String item, String location, String product) {
        setChannelIds(id, item, location, product, null);
    }

    /** {@link #setChannelIds}, and the listing's title in the channel's catalog when it has one (null keeps it). */
    public void setChannelIds(long id, String item, String location, String product, String title) {
        jdbc.update("""
                UPDATE listing SET channel_item = :item, channel_location = :location, channel_product = :product,
                                   title = COALESCE(CAST(:title AS text), title)
                WHERE id = :id AND (channel_item IS DISTINCT FROM :item OR channel_location IS DISTINCT FROM :location
                                    OR channel_product IS DISTINCT FROM :product
                                    OR (CAST(:title AS text) IS NOT NULL AND title IS DISTINCT FROM :title))
                """, new MapSqlParameterSource("id", id).addValue("item", item).addValue("location", location)
                .addValue("product", product).addValue("title", title));
    }

    public Optional<Listing> findByChannelItem(String store, String channelItem) {
        return jdbc.query(SELECT + "WHERE store = :store AND channel_item = :item ORDER BY id LIMIT 1",
                Map.of("store", store, "item", channelItem), Listing::map).stream().findFirst();
    }

    /** Records what the channel was observed to hold, and what Tally accepts it holding. */
    public void updateObservedLevels(long id, Long knownLevel, Long syncedLevel, java.time.Instant observedAt) {
        jdbc.update("""
                UPDATE listing SET known_level = :known, synced_level = :synced,
                       known_at = GREATEST(known_at, CAST(:observedAt AS timestamptz)), updated_at = now()
                WHERE id = :id
                """, new MapSqlParameterSource("id", id).addValue("known", knownLevel).addValue("synced", syncedLevel)
                .addValue("observedAt", observedAt == null ? null : java.sql.Timestamp.from(observedAt)));
    }
}
