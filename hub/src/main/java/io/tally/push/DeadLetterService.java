package io.tally.push;

import io.micrometer.core.instrument.MeterRegistry;
import io.tally.catalog.ListingPushState;
import io.tally.connector.PushCommand;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Pushes that failed after their last retry: stored, listed, and re-sent on request. */
@Service("deadLetters")
public class DeadLetterService {

    private static final Logger log = LoggerFactory.getLogger("io.tally.push");

    private final NamedParameterJdbcTemplate jdbc;
    private final MeterRegistry meters;
    private final ListingPushState pushState;
    private final PushLeaseOwner owner;

    public DeadLetterService(
            NamedParameterJdbcTemplate jdbc, MeterRegistry meters, ListingPushState pushState, PushLeaseOwner owner) {
        this.jdbc = jdbc;
        this.meters = meters;
        this.pushState = pushState;
        this.owner = owner;
    }

    /**
     * Called by the dead-letter channel of the push routes. A listing holds at most one open dead letter (unique
     * index {@code dead_letter_one_open}): the first failed series of an episode opens it (one WARN: store, SKU, ref,
     * the channel's answer, how to redrive), later ones (the sweeper retrying, a newer target failing too) add their
     * attempts and newest error to it (DEBUG only). Confirming a push resolves it ({@link PushPlanner#confirm}).
     */
    @Transactional
    public void record(Exchange exchange) {
        Long listingId = exchange.getProperty("listingId", Long.class);
        PushCommand command = exchange.getProperty("pushCommand", PushCommand.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        int attempts = exchange.getProperty("pushAttempts", 1, Integer.class);
        String error = PushEpisodes.answer(cause);
        if (listingId == null) {
            log.error("push failed for an unknown listing: {}", error);
            return;
        }
        var params = new MapSqlParameterSource("id", listingId)
                .addValue("level", command == null ? null : command.level())
                .addValue("version", command == null ? null : command.version())
                .addValue("error", error.length() > 2000 ? error.substring(0, 2000) : error)
                .addValue("attempts", attempts);
        List<Map<String, Object>> letter = jdbc.queryForList("""
                INSERT INTO dead_letter (listing_id, store, ref, level, version, error, attempts)
                SELECT id, store, ref, :level, :version, :error, :attempts FROM listing WHERE id = :id
                ON CONFLICT (listing_id) WHERE status = 'open' DO UPDATE
                    SET level = EXCLUDED.level, version = EXCLUDED.version, error = EXCLUDED.error,
                        attempts = dead_letter.attempts + EXCLUDED.attempts, updated_at = now()
                RETURNING id, store, ref, attempts, (xmax = 0) AS opened,
                          (SELECT sku FROM listing WHERE id = :id) AS sku
                """, params);
        pushState.markFailed(listingId, owner.id());
        if (letter.isEmpty()) {
            log.warn("push of listing id={} failed for good ({}), but the listing is gone", listingId, error);
            return;
        }
        Map<String, Object> row = letter.get(0);
        String who = "store=" + row.get("store") + " sku=" + row.get("sku") + " ref=" + row.get("ref");
        if (Boolean.TRUE.equals(row.get("opened"))) {
            meters.counter(
                            "tally.dead.letters.opened",
                            "store",
                            String.valueOf(row.get("store")),
                            "channel",
                            command == null ? "unknown" : command.channel())
                    .increment();
            log.warn(
                    "push to {} level={} dead-lettered after {} attempts: {}; the sweep keeps retrying it, or"
                            + " redrive: POST /api/dead-letters/{}/redrive",
                    who,
                    params.getValue("level"),
                    attempts,
                    error,
                    row.get("id"));
        } else {
            log.debug(
                    "push to {} level={} failed {} more attempts, added to open dead letter {} ({} in all): {}",
                    who,
                    params.getValue("level"),
                    attempts,
                    row.get("id"),
                    row.get("attempts"),
                    error);
        }
    }

    /** Newest first; {@code before} (an id, or null) continues a previous page. */
    public List<Map<String, Object>> list(String status, int limit, Long before) {
        return jdbc.queryForList(
                """
                SELECT d.id, d.store, d.ref, l.sku, d.level, d.version, d.error, d.attempts, d.status,
                       d.created_at AS "createdAt", d.updated_at AS "updatedAt"
                FROM dead_letter d JOIN listing l ON l.id = d.listing_id
                WHERE (CAST(:status AS text) IS NULL OR d.status = :status)
                  AND (CAST(:before AS bigint) IS NULL OR d.id < :before)
                ORDER BY d.id DESC LIMIT :limit
                """,
                new MapSqlParameterSource("status", status)
                        .addValue("limit", limit)
                        .addValue("before", before));
    }

    /**
     * Marks the dead letter redriven and makes its listing due for a push of its current target (which may be newer
     * than the level that failed).
     *
     * @return the listing to push, or empty when there is no such dead letter
     */
    @Transactional
    public Optional<Long> redrive(long id) {
        List<Long> listing = jdbc.queryForList("""
                UPDATE dead_letter SET status = 'redriven', updated_at = now() WHERE id = :id RETURNING listing_id
                """, Map.of("id", id), Long.class);
        if (listing.isEmpty()) {
            return Optional.empty();
        }
        pushState.forgetSynced(listing.get(0));
        return Optional.of(listing.get(0));
    }

    /** The listing holds its target now: its open dead letter, if any, is resolved. */
    void resolve(long listingId) {
        jdbc.update(
                "UPDATE dead_letter SET status = 'resolved', updated_at = now() WHERE listing_id = :id"
                        + " AND status = 'open'",
                Map.of("id", listingId));
    }

    /** Every open dead letter of a store, redriven: the listings they held. */
    public List<Long> redriveStore(String store) {
        return jdbc.queryForList("""
                UPDATE dead_letter SET status = 'redriven', updated_at = now()
                WHERE store = :store AND status = 'open' RETURNING listing_id
                """, Map.of("store", store), Long.class);
    }
}
