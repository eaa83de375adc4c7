package io.tally.channel.polling;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Where each channel poller has read up to, per store and feed ({@code poll_cursor}). A position is an instant (the
 * start of the next window). It only ever moves forward: when two hubs poll one store, the one that finishes last
 * with an older window must not move the cursor back over what the other already stored.
 *
 * <p>Callers advance the cursor inside the transaction that stores the window's events, so both stay or go together.
 */
@Component
public class PollCursors {

    private static final int MAX_ERROR_LENGTH = 2000;

    private final NamedParameterJdbcTemplate jdbc;

    public PollCursors(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Where the next window starts, or null before the first successful poll. */
    public Instant position(String store, String feed) {
        List<String> position = jdbc.queryForList("""
                SELECT position FROM poll_cursor WHERE store = :store AND feed = :feed AND succeeded_at IS NOT NULL
                """, Map.of("store", store, "feed", feed), String.class);
        return position.isEmpty() ? null : Instant.parse(position.get(0));
    }

    /**
     * Records a successful poll and moves the cursor to {@code position}, unless it already stands further on.
     *
     * @param position the new start of the window, or null to keep the current one (a new cursor starts now)
     */
    public void advance(String store, String feed, Instant position) {
        String value = position == null ? null : position.toString();
        // Positions are compared as instants: ISO texts with and without fractions do not sort as text.
        jdbc.update(
                """
                INSERT INTO poll_cursor (store, feed, position, polled_at, succeeded_at, error)
                VALUES (:store, :feed, COALESCE(CAST(:position AS text), :now), now(), now(), NULL)
                ON CONFLICT (store, feed) DO UPDATE SET
                    position = CASE
                        WHEN CAST(:position AS text) IS NULL THEN poll_cursor.position
                        WHEN poll_cursor.succeeded_at IS NULL
                            OR CAST(poll_cursor.position AS timestamptz) < CAST(CAST(:position AS text) AS timestamptz)
                            THEN EXCLUDED.position
                        ELSE poll_cursor.position END,
                    polled_at = now(), succeeded_at = now(), error = NULL
                """,
                new MapSqlParameterSource("store", store)
                        .addValue("feed", feed)
                        .addValue("position", value)
                        .addValue("now", Instant.now().toString()));
    }

    /**
     * Records a failed poll: the cursor stays where it is.
     *
     * @param positionIfNew the position of a cursor that does not exist yet (kept as not yet succeeded), or null to
     *                      record nothing for a store without a cursor
     */
    public void failed(String store, String feed, String error, Instant positionIfNew) {
        String text =
                error == null ? "" : error.length() > MAX_ERROR_LENGTH ? error.substring(0, MAX_ERROR_LENGTH) : error;
        MapSqlParameterSource parameters =
                new MapSqlParameterSource("store", store).addValue("feed", feed).addValue("error", text);
        if (positionIfNew == null) {
            jdbc.update("""
                    UPDATE poll_cursor SET polled_at = now(), error = :error WHERE store = :store AND feed = :feed
                    """, parameters);
            return;
        }
        jdbc.update("""
                INSERT INTO poll_cursor (store, feed, position, polled_at, error)
                VALUES (:store, :feed, :position, now(), :error)
                ON CONFLICT (store, feed) DO UPDATE SET polled_at = now(), error = EXCLUDED.error
                """, parameters.addValue("position", positionIfNew.toString()));
    }
}
