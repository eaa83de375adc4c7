package io.tally.push;

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

    private static final Logger log = LoggerFactory.getLogger(DeadLetterService.class);

    private final NamedParameterJdbcTemplate jdbc;

    public DeadLetterService(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Called by the dead-letter channel of the push routes. */
    @Transactional
    public void record(Exchange exchange) {
        Long listingId = exchange.getProperty("listingId", Long.class);
        PushCommand command = exchange.getProperty("pushCommand", PushCommand.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        int attempts = exchange.getProperty("pushAttempts", 1, Integer.class);
        String error = cause == null ? "unknown error" : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        if (listingId == null) {
            log.error("push failed for an unknown listing: {}", error);
            return;
        }
        var params = new MapSqlParameterSource("id", listingId)
                .addValue("level", command == null ? null : command.level())
                .addValue("version", command == null ? null : command.version())
                .addValue("error", error.length() > 2000 ? error.substring(0, 2000) : error)
                .addValue("attempts", attempts);
        // One open dead letter per listing: a channel that stays down updates it instead of piling up rows.
        int updated = jdbc.update("""
                UPDATE dead_letter SET level = :level, version = :version, error = :error,
                       attempts = attempts + :attempts, updated_at = now()
                WHERE listing_id = :id AND status = 'open'
                """, params);
        if (updated == 0) {
            jdbc.update("""
                    INSERT INTO dead_letter (listing_id, store, ref, level, version, error, attempts)
                    SELECT id, store, ref, :level, :version, :error, :attempts FROM listing WHERE id = :id
                    """, params);
        }
        jdbc.update("UPDATE listing SET push_failed = TRUE, inflight_level = NULL WHERE id = :id",
                Map.of("id", listingId));
        log.warn("push of listing {} dead-lettered after {} attempts: {}", listingId, attempts, error);
    }

    public List<Map<String, Object>> list(String status, int limit) {
        return jdbc.queryForList("""
                SELECT d.id, d.store, d.ref, l.sku, d.level, d.version, d.error, d.attempts, d.status,
                       d.created_at AS "createdAt", d.updated_at AS "updatedAt"
                FROM dead_letter d JOIN listing l ON l.id = d.listing_id
                WHERE (CAST(:status AS text) IS NULL OR d.status = :status)
                ORDER BY d.id DESC LIMIT :limit
                """, new MapSqlParameterSource("status", status).addValue("limit", limit));
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
        jdbc.update("UPDATE listing SET synced_level = NULL, push_failed = FALSE WHERE id = :id",
                Map.of("id", listing.get(0)));
        return Optional.of(listing.get(0));
    }
}
