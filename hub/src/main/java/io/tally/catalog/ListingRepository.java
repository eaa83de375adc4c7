package io.tally.catalog;

import io.tally.support.SqlArrays;
import java.util.Collection;
import java.util.HashMap;
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
    private final SqlArrays arrays;

    public ListingRepository(NamedParameterJdbcTemplate jdbc, SqlArrays arrays) {
        this.jdbc = jdbc;
        this.arrays = arrays;
    }

    public Optional<Listing> findById(long id) {
        return jdbc.query(SELECT + "WHERE id = :id", Map.of("id", id), Listing::map).stream()
                .findFirst();
    }

    public Optional<Listing> findByRef(String store, String ref) {
        return jdbc
                .query(SELECT + "WHERE store = :store AND ref = :ref", Map.of("store", store, "ref", ref), Listing::map)
                .stream()
                .findFirst();
    }

    /** Listings of one item in one store, master first. */
    public List<Listing> findInStore(String store, String itemKey) {
        return jdbc.query(
                SELECT + "WHERE store = :store AND item_key = :key ORDER BY master DESC, id",
                Map.of("store", store, "key", itemKey),
                Listing::map);
    }

    /** {@link #findByRef} for many (store, ref) pairs in one query: the listings that exist, in no order. */
    public List<Listing> findByRefs(List<String> stores, List<String> refs) {
        return jdbc.query(
                SELECT + "WHERE (store, ref) IN (SELECT * FROM unnest(:stores, :refs))",
                new MapSqlParameterSource("stores", arrays.text(stores)).addValue("refs", arrays.text(refs)),
                Listing::map);
    }

    /** {@link #findInStore} for many (store, item) pairs in one query: per pair, master first. */
    public List<Listing> findInStores(List<String> stores, List<String> itemKeys) {
        return jdbc.query(
                SELECT + "WHERE (store, item_key) IN (SELECT * FROM unnest(:stores, :keys))"
                        + " ORDER BY store, item_key, master DESC, id",
                new MapSqlParameterSource("stores", arrays.text(stores)).addValue("keys", arrays.text(itemKeys)),
                Listing::map);
    }

    public List<Listing> findByItem(String itemKey) {
        return jdbc.query(SELECT + "WHERE item_key = :key ORDER BY store, ref", Map.of("key", itemKey), Listing::map);
    }

    public List<Listing> findByStore(String store) {
        return jdbc.query(
                SELECT + "WHERE (CAST(:store AS text) IS NULL OR store = :store) ORDER BY store, ref",
                new MapSqlParameterSource("store", store),
                Listing::map);
    }

    public List<Long> findOutOfSync(int limit) {
        return jdbc.queryForList("""
                SELECT id FROM listing WHERE NOT hidden AND target IS DISTINCT FROM synced_level
                ORDER BY id LIMIT :limit
                """, Map.of("limit", limit), Long.class);
    }

    /** A listing the channel no longer has: unlinked from its stock item and hidden (never pushed again). */
    public void unlinkAndHide(String store, String ref) {
        jdbc.update("""
                UPDATE listing SET item_key = NULL, hidden = TRUE, updated_at = now() WHERE store = :store AND ref = :ref
                """, Map.of("store", store, "ref", ref));
    }

    /**
     * Creates or updates a declared listing. A level the declaration reports becomes what Tally knows the channel
     * shows; without one the known level stays.
     */
    public void declare(String store, String ref, ListingSettings settings) {
        declareAll(List.of(store), List.of(ref), List.of(settings));
    }

    /** {@link #declare} for many listings in one statement; each (store, ref) appears at most once. */
    public void declareAll(List<String> stores, List<String> refs, List<ListingSettings> settings) {
        if (stores.isEmpty()) {
            return;
        }
        jdbc.update(
                """
                INSERT INTO listing (store, ref, item_key, sku, barcode, handle, master, hidden, safety_stock,
                                     max_available, share_percent, known_level, synced_level)
                SELECT x.store, x.ref, x.item, x.sku, x.barcode, x.handle, x.master, x.hidden, x.safety, x.max,
                       x.share, x.level, x.level
                FROM unnest(:stores, :refs, :items, :skus, :barcodes, :handles, :masters, :hiddens, :safeties,
                            :maxes, :shares, :levels)
                     AS x(store, ref, item, sku, barcode, handle, master, hidden, safety, max, share, level)
                ON CONFLICT (store, ref) DO UPDATE SET
                    item_key = EXCLUDED.item_key, sku = EXCLUDED.sku, barcode = EXCLUDED.barcode,
                    handle = EXCLUDED.handle, master = EXCLUDED.master, hidden = EXCLUDED.hidden,
                    safety_stock = EXCLUDED.safety_stock, max_available = EXCLUDED.max_available,
                    share_percent = EXCLUDED.share_percent,
                    known_level = COALESCE(EXCLUDED.known_level, listing.known_level),
                    synced_level = COALESCE(EXCLUDED.synced_level, listing.synced_level),
                    updated_at = now()
                """,
                new MapSqlParameterSource()
                        .addValue("stores", arrays.text(stores))
                        .addValue("refs", arrays.text(refs))
                        .addValue(
                                "items",
                                arrays.text(settings.stream()
                                        .map(ListingSettings::itemKey)
                                        .toList()))
                        .addValue(
                                "skus",
                                arrays.text(settings.stream()
                                        .map(ListingSettings::sku)
                                        .toList()))
                        .addValue(
                                "barcodes",
                                arrays.text(settings.stream()
                                        .map(ListingSettings::barcode)
                                        .toList()))
                        .addValue(
                                "handles",
                                arrays.text(settings.stream()
                                        .map(ListingSettings::handle)
                                        .toList()))
                        .addValue(
                                "masters",
                                arrays.bool(settings.stream()
                                        .map(ListingSettings::master)
                                        .toList()))
                        .addValue(
                                "hiddens",
                                arrays.bool(settings.stream()
                                        .map(ListingSettings::hidden)
                                        .toList()))
                        .addValue(
                                "safeties",
                                arrays.int4(settings.stream()
                                        .map(ListingSettings::safetyStock)
                                        .toList()))
                        .addValue(
                                "maxes",
                                arrays.int4(settings.stream()
                                        .map(ListingSettings::maxAvailable)
                                        .toList()))
                        .addValue(
                                "shares",
                                arrays.int4(settings.stream()
                                        .map(ListingSettings::sharePercent)
                                        .toList()))
                        .addValue(
                                "levels",
                                arrays.int8(settings.stream()
                                        .map(ListingSettings::level)
                                        .toList())));
    }

    /** What a declaration sets on a listing; {@code itemKey} is null for a hidden one. */
    public record ListingSettings(
            String itemKey,
            String sku,
            String barcode,
            String handle,
            boolean master,
            boolean hidden,
            Integer safetyStock,
            Integer maxAvailable,
            Integer sharePercent,
            Long level) {}

    /** The channel's own ids of a listing: what a push writes to, and the product it belongs to. */
    public void setChannelIds(long id, String item, String location, String product) {
        setChannelIds(id, item, location, product, null);
    }

    /** {@link #setChannelIds}, and the listing's title in the channel's catalog when it has one (null keeps it). */
    public void setChannelIds(long id, String item, String location, String product, String title) {
        jdbc.update(
                """
                UPDATE listing SET channel_item = :item, channel_location = :location, channel_product = :product,
                                   title = COALESCE(CAST(:title AS text), title)
                WHERE id = :id AND (channel_item IS DISTINCT FROM :item OR channel_location IS DISTINCT FROM :location
                                    OR channel_product IS DISTINCT FROM :product
                                    OR (CAST(:title AS text) IS NOT NULL AND title IS DISTINCT FROM :title))
                """,
                new MapSqlParameterSource("id", id)
                        .addValue("item", item)
                        .addValue("location", location)
                        .addValue("product", product)
                        .addValue("title", title));
    }

    public Optional<Listing> findByChannelItem(String store, String channelItem) {
        return jdbc
                .query(
                        SELECT + "WHERE store = :store AND channel_item = :item ORDER BY id LIMIT 1",
                        Map.of("store", store, "item", channelItem),
                        Listing::map)
                .stream()
                .findFirst();
    }

    /** Records what the channel was observed to hold, and what Tally accepts it holding. */
    public void updateObservedLevels(long id, Long knownLevel, Long syncedLevel, java.time.Instant observedAt) {
        jdbc.update(
                """
                UPDATE listing SET known_level = :known, synced_level = :synced,
                       known_at = GREATEST(known_at, CAST(:observedAt AS timestamptz)), updated_at = now()
                WHERE id = :id
                """,
                new MapSqlParameterSource("id", id)
                        .addValue("known", knownLevel)
                        .addValue("synced", syncedLevel)
                        .addValue("observedAt", observedAt == null ? null : java.sql.Timestamp.from(observedAt)));
    }

    /**
     * Locks listings in id order (so two batches never deadlock) and re-reads them: a push confirmed since they were
     * last read is seen, and none can be confirmed until the locking transaction ends.
     */
    public List<Listing> lockByIds(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.query(
                SELECT + "WHERE id = ANY(:ids) ORDER BY id FOR UPDATE",
                new MapSqlParameterSource("ids", arrays.int8(ids)),
                Listing::map);
    }

    /**
     * What the ledger remembers of a listing's level snapshots: the level that could not be decided by its time (null
     * when none), the known level it differed from, when it was first seen, and the levels Tally's pushes wrote in the
     * channel second the listing is known at.
     */
    public record UndecidedLevel(Long level, Long known, java.time.Instant since, List<Long> writtenLevels) {}

    /** {@link UndecidedLevel} of the listings that exist among these ids. */
    public Map<Long, UndecidedLevel> findUndecided(Collection<Long> ids) {
        Map<Long, UndecidedLevel> found = new HashMap<>();
        if (ids.isEmpty()) {
            return found;
        }
        jdbc.query(
                "SELECT id, undecided_level, undecided_known, undecided_since, written_levels FROM listing"
                        + " WHERE id = ANY(:ids)",
                new MapSqlParameterSource("ids", arrays.int8(ids)),
                rs -> {
                    java.sql.Array written = rs.getArray(5);
                    java.sql.Timestamp since = rs.getTimestamp(4);
                    found.put(
                            rs.getLong(1),
                            new UndecidedLevel(
                                    (Long) rs.getObject(2),
                                    (Long) rs.getObject(3),
                                    since == null ? null : since.toInstant(),
                                    written == null
                                            ? List.of()
                                            : java.util.Arrays.asList((Long[]) written.getArray())));
                });
        return found;
    }

    /** Records (or, with a null level, forgets) the level a listing showed that its time could not decide. */
    public void updateUndecided(long id, Long level, Long known, java.time.Instant since) {
        jdbc.update(
                "UPDATE listing SET undecided_level = :level, undecided_known = :known,"
                        + " undecided_since = :since WHERE id = :id",
                new MapSqlParameterSource("id", id)
                        .addValue("level", level)
                        .addValue("known", known)
                        .addValue("since", since == null ? null : java.sql.Timestamp.from(since)));
    }
}
