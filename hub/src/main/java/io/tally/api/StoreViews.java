package io.tally.api;

import io.tally.catalog.ListingPushState;
import io.tally.policy.StoreProperties;
import io.tally.policy.StoreRegistry;
import io.tally.push.DeadLetterService;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Per-store figures for the status page's store panel (listing states as {@link ListingStates} decides them, open
 * dead letters, last push, last poll, last push error), the push history per store, and redrive of a whole store.
 */
@Component
class StoreViews {

    /** The push history chart: at most this many buckets, each at least {@link #MIN_BUCKET_SECONDS} long. */
    static final int MAX_BUCKETS = 120;

    static final int MIN_BUCKET_SECONDS = 5;
    static final int MAX_MINUTES = 7 * 24 * 60;

    private final NamedParameterJdbcTemplate jdbc;
    private final StoreRegistry stores;
    private final DeadLetterService deadLetters;
    private final ListingPushState pushState;

    StoreViews(
            NamedParameterJdbcTemplate jdbc,
            StoreRegistry stores,
            DeadLetterService deadLetters,
            ListingPushState pushState) {
        this.jdbc = jdbc;
        this.stores = stores;
        this.deadLetters = deadLetters;
        this.pushState = pushState;
    }

    /** Every configured store, and stores that only the tables still know (removed from the configuration). */
    List<Map<String, Object>> stores() {
        Map<String, Map<String, Object>> views = new TreeMap<>();
        stores.all().keySet().forEach(id -> views.put(id, empty(id)));
        jdbc.query(
                "SELECT l.store, " + ListingStates.STATE_OF_L + " AS state, count(*) AS n,"
                        + " max(l.last_pushed_at) AS last_push FROM listing l GROUP BY l.store, 2",
                rs -> {
                    Map<String, Object> view = views.computeIfAbsent(rs.getString("store"), this::empty);
                    long n = rs.getLong("n");
                    view.merge("listings", n, (a, b) -> (Long) a + (Long) b);
                    @SuppressWarnings("unchecked")
                    Map<String, Long> states = (Map<String, Long>) view.get("listingStates");
                    states.merge(rs.getString("state"), n, Long::sum);
                    if (ListingStates.OUT_OF_SYNC.contains(rs.getString("state"))) {
                        view.merge("outOfSync", n, (a, b) -> (Long) a + (Long) b);
                    }
                    Instant last = instant(rs.getTimestamp("last_push"));
                    Instant known = (Instant) view.get("lastPushAt");
                    if (last != null && (known == null || last.isAfter(known))) {
                        view.put("lastPushAt", last);
                    }
                });
        jdbc.query(
                "SELECT store, count(*) AS n FROM dead_letter WHERE status = 'open' GROUP BY store",
                (org.springframework.jdbc.core.RowCallbackHandler)
                        rs -> views.computeIfAbsent(rs.getString("store"), this::empty)
                                .put("deadLettersOpen", rs.getLong("n")));
        jdbc.query("""
                SELECT store, max(succeeded_at) AS last_poll, max(polled_at) AS polled,
                       string_agg(feed || ': ' || error, '; ' ORDER BY feed) AS error
                FROM poll_cursor GROUP BY store""", rs -> {
            Map<String, Object> view = views.computeIfAbsent(rs.getString("store"), this::empty);
            view.put("lastPollAt", instant(rs.getTimestamp("last_poll")));
            view.put("pollError", rs.getString("error"));
        });
        for (Map<String, Object> view : views.values()) {
            jdbc.query("""
                    SELECT at, error FROM push_attempt WHERE store = :store AND outcome = 'failed'
                    ORDER BY at DESC LIMIT 1""", Map.of("store", view.get("store")), rs -> {
                view.put("lastPushError", rs.getString("error"));
                view.put("lastPushErrorAt", instant(rs.getTimestamp("at")));
            });
        }
        return new ArrayList<>(views.values());
    }

    private Map<String, Object> empty(String id) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("store", id);
        view.put("channel", stores.find(id).map(s -> s.channel()).orElse("unknown"));
        view.put(
                "role",
                stores.find(id).map(s -> StoreProperties.lower(s.role())).orElse(null));
        view.put("listings", 0L);
        view.put("outOfSync", 0L);
        Map<String, Long> states = new LinkedHashMap<>();
        ListingStates.ALL.forEach(s -> states.put(s, 0L));
        view.put("listingStates", states);
        view.put("deadLettersOpen", 0L);
        view.put("lastPushAt", null);
        view.put("lastPollAt", null);
        view.put("pollError", null);
        view.put("lastPushError", null);
        view.put("lastPushErrorAt", null);
        return view;
    }

    /**
     * Push attempts of one store over the last {@code minutes}, in equal buckets (empty buckets included):
     * attempts the channel took ({@code ok}), failed ones (retried or dead-lettered), stale compare-and-sets, and
     * latency (average, 95th percentile, maximum; null for a bucket without attempts).
     */
    Map<String, Object> pushes(String store, int minutes) {
        requireKnown(store);
        if (minutes < 1 || minutes > MAX_MINUTES) {
            throw new IllegalArgumentException("minutes must be between 1 and " + MAX_MINUTES);
        }
        int bucket = Math.max(MIN_BUCKET_SECONDS, (int) Math.ceil(minutes * 60.0 / MAX_BUCKETS));
        long nowSeconds = Instant.now().getEpochSecond();
        long last = Math.floorDiv(nowSeconds, bucket) * bucket;
        long first = last - (long) bucket * ((minutes * 60 + bucket - 1) / bucket - 1);
        Map<Long, Map<String, Object>> buckets = new LinkedHashMap<>();
        for (long t = first; t <= last; t += bucket) {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("at", Instant.ofEpochSecond(t));
            b.put("ok", 0L);
            b.put("failed", 0L);
            b.put("stale", 0L);
            b.put("avgMs", null);
            b.put("p95Ms", null);
            b.put("maxMs", null);
            buckets.put(t, b);
        }
        jdbc.query(
                """
                SELECT floor(extract(epoch FROM at) / :bucket)::bigint * :bucket AS t,
                       count(*) FILTER (WHERE outcome = 'ok') AS ok,
                       count(*) FILTER (WHERE outcome = 'failed') AS failed,
                       count(*) FILTER (WHERE outcome = 'stale') AS stale,
                       avg(duration_ms) AS avg_ms,
                       percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) AS p95_ms,
                       max(duration_ms) AS max_ms
                FROM push_attempt WHERE store = :store AND at >= :from
                GROUP BY 1 ORDER BY 1""",
                new MapSqlParameterSource("store", store)
                        .addValue("bucket", bucket)
                        .addValue("from", Timestamp.from(Instant.ofEpochSecond(first))),
                rs -> {
                    Map<String, Object> b = buckets.get(rs.getLong("t"));
                    if (b == null) {
                        return; // an attempt stamped after "now" by a clock step: not in the window
                    }
                    b.put("ok", rs.getLong("ok"));
                    b.put("failed", rs.getLong("failed"));
                    b.put("stale", rs.getLong("stale"));
                    b.put("avgMs", Math.round(rs.getDouble("avg_ms") * 10) / 10.0);
                    b.put("p95Ms", Math.round(rs.getDouble("p95_ms") * 10) / 10.0);
                    b.put("maxMs", rs.getLong("max_ms"));
                });
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("store", store);
        view.put("from", Instant.ofEpochSecond(first));
        view.put("to", Instant.ofEpochSecond(last + bucket));
        view.put("bucketSeconds", bucket);
        view.put("buckets", new ArrayList<>(buckets.values()));
        return view;
    }

    /**
     * Re-queues every listing of the store that failed: its open dead letters are marked redriven, and those
     * listings and the ones still retrying after a failure are made due for a push of their current target.
     *
     * @return the listings to push
     */
    @Transactional
    Redrive redriveAll(String store) {
        requireKnown(store);
        Set<Long> listings = new LinkedHashSet<>(jdbc.queryForList(
                "SELECT l.id FROM listing l WHERE l.store = :store" + " AND " + ListingStates.STATE_OF_L
                        + " IN ('failed', 'dead_letter') ORDER BY l.id",
                Map.of("store", store),
                Long.class));
        List<Long> deadLetters = this.deadLetters.redriveStore(store);
        listings.addAll(deadLetters);
        pushState.forgetSyncedUnlessHidden(listings);
        return new Redrive(store, deadLetters.size(), new ArrayList<>(listings));
    }

    record Redrive(String store, int deadLetters, List<Long> listings) {}

    /**
     * The "SKU missing on channel" report: stock items the store has no linked listing for, by item key, after
     * {@code afterKey}, at most {@code limit} rows. Each row names the stores that do list the item, so a merchant sees
     * what to create on this channel; an item listed nowhere yet (counted in Tally only) shows an empty list.
     */
    List<Map<String, Object>> missingSkus(String store, int limit, String afterKey) {
        if (stores.find(store).isEmpty()) {
            throw new NoSuchElementException("no store '" + store + "' in the config");
        }
        return jdbc.query(
                """
                SELECT s.item_key, s.bundle, s.on_hand,
                       ARRAY(SELECT DISTINCT l.store FROM listing l
                             WHERE l.item_key = s.item_key AND NOT l.hidden ORDER BY l.store) AS listed_on
                FROM stock_item s
                WHERE NOT EXISTS (SELECT 1 FROM listing l WHERE l.item_key = s.item_key AND l.store = :store)
                  AND (CAST(:after AS text) IS NULL OR s.item_key > CAST(:after AS text))
                ORDER BY s.item_key
                LIMIT :limit
                """,
                new MapSqlParameterSource("store", store)
                        .addValue("after", afterKey)
                        .addValue("limit", limit),
                (rs, n) -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("store", store);
                    row.put("itemKey", rs.getString("item_key"));
                    row.put("bundle", rs.getBoolean("bundle"));
                    row.put("onHand", rs.getLong("on_hand"));
                    row.put("listedOn", List.of((String[])
                            rs.getArray("listed_on").getArray()));
                    return row;
                });
    }

    private void requireKnown(String store) {
        if (stores.find(store).isEmpty()
                && !Boolean.TRUE.equals(jdbc.queryForObject(
                        "SELECT EXISTS (SELECT 1 FROM listing WHERE store = :store)",
                        Map.of("store", store),
                        Boolean.class))) {
            throw new NoSuchElementException("no store '" + store + "'");
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
