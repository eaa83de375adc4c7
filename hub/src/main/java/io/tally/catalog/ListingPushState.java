package io.tally.catalog;

import io.tally.support.SqlArrays;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The push columns of the listing table (in flight, last pushed, synced, failed, the push lease): catalog is the table's only writer,
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

    /**
     * Claims the listing for one push attempt by {@code owner} (a hub process) and marks its target in flight, unless
     * it is hidden, gone or already synced, or another owner holds a live lease on it: that hub is pushing it, and the
     * listing stays off target here for the sweep if its push does not land. The owner's own lease is renewed (every
     * retry claims again); a lease that ran out (its hub died or stalled) is taken over.
     */
    public Optional<PlannedPush> markInFlight(long listingId, UUID owner, long leaseMillis) {
        return jdbc
                .query(
                        """
                UPDATE listing SET inflight_level = target, push_lease_owner = :owner,
                       push_lease_until = now() + CAST(:leaseMillis AS BIGINT) * INTERVAL '1 millisecond'
                WHERE id = :id AND NOT hidden AND target IS DISTINCT FROM synced_level
                  AND (push_lease_owner IS NULL OR push_lease_owner = :owner OR push_lease_until <= now())
                RETURNING id, store, ref, sku, target, target_version, known_level, channel_item, channel_location
                """,
                        new MapSqlParameterSource("id", listingId)
                                .addValue("owner", owner)
                                .addValue("leaseMillis", leaseMillis),
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
     * their late echoes are recognised. {@code owner}'s lease is released.
     *
     * <p>Only a push of a target at least as new as the last one confirmed lands ({@code version} against
     * last_pushed_version): a slow push overtaken by a newer one (another hub took over its expired lease) is refused,
     * so an older target never overwrites a newer one.
     *
     * @return false when the confirm was refused (the listing is gone, or a newer target was confirmed already)
     */
    public boolean recordConfirmed(
            long listingId, long version, long level, boolean carry, Long planned, Instant knownAt, UUID owner) {
        boolean recorded = jdbc.update(
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
                       inflight_level = NULL, push_failed = FALSE, updated_at = now(), last_pushed_version = :version,
                       push_lease_owner = CASE WHEN push_lease_owner = :owner THEN NULL ELSE push_lease_owner END,
                       push_lease_until = CASE WHEN push_lease_owner = :owner THEN NULL ELSE push_lease_until END
                WHERE id = :id AND (last_pushed_version IS NULL OR last_pushed_version <= :version)
                """,
                        new MapSqlParameterSource("id", listingId)
                                .addValue("version", version)
                                .addValue("owner", owner)
                                .addValue("level", level)
                                .addValue("carry", carry)
                                .addValue("planned", planned)
                                .addValue("channelTime", knownAt == null ? null : Timestamp.from(knownAt)))
                > 0;
        if (!recorded) {
            releaseLease(listingId, owner);
        }
        return recorded;
    }

    /** {@code owner}'s push of the listing is over without landing: its lease, if it still holds it, is released. */
    public void releaseLease(long listingId, UUID owner) {
        jdbc.update("""
                UPDATE listing SET push_lease_owner = NULL, push_lease_until = NULL
                WHERE id = :id AND push_lease_owner = :owner
                """, new MapSqlParameterSource("id", listingId).addValue("owner", owner));
    }

    /** Nothing was written (a stale compare-and-set): nothing is in flight, and {@code owner}'s lease is released. */
    public void clearInFlight(long listingId, UUID owner) {
        jdbc.update("""
                UPDATE listing SET inflight_level = NULL,
                       push_lease_owner = CASE WHEN push_lease_owner = :owner THEN NULL ELSE push_lease_owner END,
                       push_lease_until = CASE WHEN push_lease_owner = :owner THEN NULL ELSE push_lease_until END
                WHERE id = :id
                """, new MapSqlParameterSource("id", listingId).addValue("owner", owner));
    }

    /** The push failed for good (a dead letter holds it): {@code owner}'s lease is released. */
    public void markFailed(long listingId, UUID owner) {
        jdbc.update("""
                UPDATE listing SET push_failed = TRUE, inflight_level = NULL,
                       push_lease_owner = CASE WHEN push_lease_owner = :owner THEN NULL ELSE push_lease_owner END,
                       push_lease_until = CASE WHEN push_lease_owner = :owner THEN NULL ELSE push_lease_until END
                WHERE id = :id
                """, new MapSqlParameterSource("id", listingId).addValue("owner", owner));
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
