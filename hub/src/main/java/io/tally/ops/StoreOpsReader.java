package io.tally.ops;

import io.tally.event.InboxStatus;
import io.tally.policy.StoreRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Per-store operating figures read from PostgreSQL (listing, dead_letter, inbox_event, stock_item), cached for
 * {@code tally.ops.cache-ms} so health checks and metric scrapes cost at most a few queries per period.
 */
final class StoreOpsReader {

    /**
     * The figures of one store. {@code lastPushAt} is null when nothing was ever pushed to it; {@code lastPollAt}
     * (the last successful poll of its orders) and {@code pollError} (the last poll's failure, if it failed) are null
     * for a store Tally does not poll.
     */
    record StoreFigures(
            String store,
            Instant lastPushAt,
            long listings,
            long outOfSync,
            long deadLettersOpen,
            long received,
            long applied,
            long pending,
            long waiting,
            long parked,
            long rejected,
            Instant lastPollAt,
            String pollError) {

        static StoreFigures empty(String store) {
            return new StoreFigures(store, null, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, null);
        }

        StoreFigures withPoll(Instant at, String error) {
            return new StoreFigures(
                    store,
                    lastPushAt,
                    listings,
                    outOfSync,
                    deadLettersOpen,
                    received,
                    applied,
                    pending,
                    waiting,
                    parked,
                    rejected,
                    at,
                    error);
        }
    }

    /** Every store (configured or seen in the tables), plus the global figures; {@code error} if reading failed. */
    record Snapshot(Instant at, Map<String, StoreFigures> stores, long oversoldItems, String error) {

        StoreFigures store(String id) {
            return stores.getOrDefault(id, StoreFigures.empty(id));
        }
    }

    private final JdbcTemplate jdbc;
    private final StoreRegistry registry;
    private final Duration maxAge;
    private final Clock clock;
    private volatile Snapshot current;
    private volatile Consumer<Snapshot> listener = s -> {};

    StoreOpsReader(JdbcTemplate jdbc, StoreRegistry registry, Duration maxAge, Clock clock) {
        this.jdbc = jdbc;
        this.registry = registry;
        this.maxAge = maxAge;
        this.clock = clock;
    }

    /** Called after every refresh (the metrics register meters for stores that appear in the tables). */
    void onRefresh(Consumer<Snapshot> listener) {
        this.listener = listener;
    }

    Snapshot snapshot() {
        Snapshot s = current;
        if (s != null && !s.at().plus(maxAge).isBefore(clock.instant())) {
            return s;
        }
        synchronized (this) {
            s = current;
            if (s == null || s.at().plus(maxAge).isBefore(clock.instant())) {
                s = read();
                current = s;
                listener.accept(s);
            }
            return s;
        }
    }

    private Snapshot read() {
        Instant now = clock.instant();
        Map<String, StoreFigures> stores = new TreeMap<>();
        registry.all().keySet().forEach(id -> stores.put(id, StoreFigures.empty(id)));
        try {
            jdbc.query("""
                    SELECT store, max(last_pushed_at) AS last_push, count(*) AS listings,
                           count(*) FILTER (WHERE NOT hidden AND target IS DISTINCT FROM synced_level) AS out_of_sync
                    FROM listing GROUP BY store""", rs -> {
                String id = rs.getString("store");
                Timestamp last = rs.getTimestamp("last_push");
                StoreFigures f = stores.getOrDefault(id, StoreFigures.empty(id));
                stores.put(
                        id,
                        new StoreFigures(
                                id,
                                last == null ? null : last.toInstant(),
                                rs.getLong("listings"),
                                rs.getLong("out_of_sync"),
                                f.deadLettersOpen(),
                                f.received(),
                                f.applied(),
                                f.pending(),
                                f.waiting(),
                                f.parked(),
                                f.rejected(),
                                f.lastPollAt(),
                                f.pollError()));
            });
            jdbc.query("SELECT store, count(*) AS n FROM dead_letter WHERE status = 'open' GROUP BY store", rs -> {
                String id = rs.getString("store");
                StoreFigures f = stores.getOrDefault(id, StoreFigures.empty(id));
                stores.put(
                        id,
                        new StoreFigures(
                                id,
                                f.lastPushAt(),
                                f.listings(),
                                f.outOfSync(),
                                rs.getLong("n"),
                                f.received(),
                                f.applied(),
                                f.pending(),
                                f.waiting(),
                                f.parked(),
                                f.rejected(),
                                f.lastPollAt(),
                                f.pollError()));
            });
            jdbc.query(
                    """
                    SELECT store, count(*) AS received,
                           count(*) FILTER (WHERE status = %s) AS applied,
                           count(*) FILTER (WHERE status = %s) AS pending,
                           count(*) FILTER (WHERE status = %s) AS waiting,
                           count(*) FILTER (WHERE status = %s) AS parked,
                           count(*) FILTER (WHERE status = %s) AS rejected
                    FROM inbox_event GROUP BY store""".formatted(
                                    InboxStatus.APPLIED.sql(),
                                    InboxStatus.PENDING.sql(),
                                    InboxStatus.WAITING.sql(),
                                    InboxStatus.PARKED.sql(),
                                    InboxStatus.REJECTED.sql()),
                    rs -> {
                        String id = rs.getString("store");
                        StoreFigures f = stores.getOrDefault(id, StoreFigures.empty(id));
                        stores.put(
                                id,
                                new StoreFigures(
                                        id,
                                        f.lastPushAt(),
                                        f.listings(),
                                        f.outOfSync(),
                                        f.deadLettersOpen(),
                                        rs.getLong("received"),
                                        rs.getLong("applied"),
                                        rs.getLong("pending"),
                                        rs.getLong("waiting"),
                                        rs.getLong("parked"),
                                        rs.getLong("rejected"),
                                        f.lastPollAt(),
                                        f.pollError()));
                    });
            jdbc.query(
                    "SELECT store, max(succeeded_at) AS last_poll, max(error) AS error FROM poll_cursor GROUP BY store",
                    rs -> {
                        String id = rs.getString("store");
                        Timestamp last = rs.getTimestamp("last_poll");
                        stores.put(
                                id,
                                stores.getOrDefault(id, StoreFigures.empty(id))
                                        .withPoll(last == null ? null : last.toInstant(), rs.getString("error")));
                    });
            Long oversold = jdbc.queryForObject("SELECT count(*) FROM stock_item WHERE on_hand < 0", Long.class);
            return new Snapshot(now, Collections.unmodifiableMap(stores), oversold == null ? 0 : oversold, null);
        } catch (RuntimeException e) {
            // Keep the last figures for the metrics; health reports the failure.
            Snapshot last = current;
            String error = e.getClass().getSimpleName() + ": " + e.getMessage();
            return last == null
                    ? new Snapshot(now, Collections.unmodifiableMap(stores), 0, error)
                    : new Snapshot(now, last.stores(), last.oversoldItems(), error);
        }
    }
}
