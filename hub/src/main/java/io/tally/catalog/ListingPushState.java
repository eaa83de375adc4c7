package io.tally.catalog;

import io.tally.support.SqlArrays;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The push columns of the listing table (in flight, last pushed, synced, failed): catalog is the table's only writer,
 * the push module records through here what a push planned and what the channel answered.
 */
@Repository
public class ListingPushState {

    private final NamedParameterJdbcTemplate jdbc;
    private final SqlArrays arrays;

    public ListingPushState(NamedParameterJdbcTemplate jdbc, SqlArrays arrays) {
        this.jdbc = jdbc;
        this.arrays = arrays;
    }

    /** What a push of a listing sends: its newest target and what Tally knew the channel held. */
    public record PlannedPush(
            long listingId,
            String store,
            String ref,
            String sku,
            long target,
            long targetVersion,
            Long knownLevel,
            String channelItem,
            String channelLocation) {}

    /** Marks the listing's target in flight, unless it is hidden, gone or already synced. */
    public Optional<PlannedPush> markInFlight(long listingId) {
        return jdbc
                .query(
                        """
                UPDATE listing SET inflight_level = target
                WHERE id = :id AND NOT hidden AND target IS DISTINCT FROM synced_level
                RETURNING id, store, ref, sku, target, target_version, known_level, channel_item, channel_location
                """,
                        Map.of("id", listingId),
                        (rs, n) -> new PlannedPush(
                                rs.getLong("id"),
                                rs.getString("store"),
                                rs.getString("ref"),
                                rs.getString("sku"),
                                rs.getLong("target"),
                                rs.getLong("target_version"),
                                (Long) rs.getObject("known_level"),
                                rs.getString("channel_item"),
                                rs.getString("channel_location")))
                .stream()
                .findFirst();
    }

    /**
     * The channel took {@code level}. With {@code carry}, units the channel moved itself since the push was planned
     * (from {@code planned}) are carried over; levels written within one channel second ({@code knownAt}) are kept so
     * their late echoes are recognised.
     */
    public void recordConfirmed(long listingId, long level, boolean carry, Long planned, Instant knownAt) {
        jdbc.update(
                """
                UPDATE listing SET last_pushed = :level, last_pushed_at = now(),
                       known_level = CASE WHEN :carry AND known_level IS NOT NULL AND CAST(:planned AS BIGINT) IS NOT NULL
                                          THEN :level + known_level - :planned ELSE :level END,
                       synced_level = CASE WHEN :carry AND known_level IS NOT NULL AND CAST(:planned AS BIGINT) IS NOT NULL
                                          THEN :level + known_level - :planned ELSE :level END,
                       written_levels = CASE
                           WHEN CAST(:channelTime AS timestamptz) IS NULL THEN written_levels
                           WHEN known_at = CAST(:channelTime AS timestamptz)
                               THEN (array_append(written_levels, CAST(:level AS BIGINT)))
                                    [GREATEST(1, COALESCE(array_length(written_levels, 1), 0) - 14):]
                           WHEN known_at IS NULL OR known_at < CAST(:channelTime AS timestamptz)
                               THEN ARRAY[CAST(:level AS BIGINT)]
                           ELSE written_levels END,
                       known_at = GREATEST(known_at, CAST(:channelTime AS timestamptz)),
                       inflight_level = NULL, push_failed = FALSE, updated_at = now()
                WHERE id = :id
                """,
                new MapSqlParameterSource("id", listingId)
                        .addValue("level", level)
                        .addValue("carry", carry)
                        .addValue("planned", planned)
                        .addValue("channelTime", knownAt == null ? null : Timestamp.from(knownAt)));
    }

    /** Nothing was written (a stale compare-and-set): nothing is in flight. */
    public void clearInFlight(long listingId) {
        jdbc.update("UPDATE listing SET inflight_level = NULL WHERE id = :id", Map.of("id", listingId));
    }

    /** The push failed for good (a dead letter holds it). */
    public void markFailed(long listingId) {
        jdbc.update(
                "UPDATE listing SET push_failed = TRUE, inflight_level = NULL WHERE id = :id", Map.of("id", listingId));
    }

    /** A redriven listing: the channel's level is unknown again, so the sweeper re-sends its target. */
    public void forgetSynced(long listingId) {
        jdbc.update(
                "UPDATE listing SET synced_level = NULL, push_failed = FALSE WHERE id = :id", Map.of("id", listingId));
    }

    /** {@link #forgetSynced} for many listings, leaving hidden ones alone. */
    public void forgetSyncedUnlessHidden(Collection<Long> listingIds) {
        jdbc.update("""
                UPDATE listing SET synced_level = NULL, push_failed = FALSE, updated_at = now()
                WHERE id = ANY(:ids) AND NOT hidden
                """, new MapSqlParameterSource("ids", arrays.int8(new ArrayList<>(listingIds))));
    }
}
