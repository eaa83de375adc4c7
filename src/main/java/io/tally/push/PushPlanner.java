package io.tally.push;

import java.util.List;
import java.util.Map;

import io.tally.catalog.ListingRepository;
import io.tally.policy.StoreProperties;
import io.tally.policy.StoreRegistry;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** Decides what to push for a listing (its newest target, if the channel doesn't hold it) and records success. */
@Component("pushPlanner")
public class PushPlanner {

    private final NamedParameterJdbcTemplate jdbc;
    private final StoreRegistry stores;
    private final ListingRepository listings;
    private final TransactionTemplate transaction;

    public PushPlanner(NamedParameterJdbcTemplate jdbc, StoreRegistry stores, ListingRepository listings,
            TransactionTemplate transaction) {
        this.jdbc = jdbc;
        this.stores = stores;
        this.listings = listings;
        this.transaction = transaction;
    }

    /**
     * Push bookkeeping need not wait for the disk: if it is lost in a crash, the listing merely looks out of sync
     * and the sweeper sends its target again (pushes are absolute levels, so repeating one is harmless).
     */
    private <T> T relaxed(java.util.function.Supplier<T> work) {
        return transaction.execute(status -> {
            jdbc.getJdbcTemplate().execute("SET LOCAL synchronous_commit = off");
            return work.get();
        });
    }

    /** @return the push to make, or null when the listing is hidden, gone, or already holds its target */
    public PushCommand plan(Long listingId) {
        List<PushCommand> commands = relaxed(() -> jdbc.query("""
                UPDATE listing SET inflight_level = target
                WHERE id = :id AND NOT hidden AND target IS DISTINCT FROM synced_level
                RETURNING id, store, ref, sku, target, target_version
                """, Map.of("id", listingId), (rs, n) -> {
                    StoreProperties store = stores.find(rs.getString("store")).orElse(null);
                    if (store == null) {
                        return null;
                    }
                    return new PushCommand(rs.getLong("id"), rs.getString("store"),
                            StoreProperties.lower(store.channel()), rs.getString("ref"), rs.getString("sku"),
                            rs.getLong("target"), rs.getLong("target_version"), store.pushUrl(),
                            store.maxPushesPerSecond());
                }));
        return commands.isEmpty() ? null : commands.get(0);
    }

    /** The channel accepted the level: it is now what the listing holds and what Tally last pushed. */
    public void confirm(PushCommand command) {
        relaxed(() -> jdbc.update("""
                UPDATE listing SET last_pushed = :level, last_pushed_at = now(), known_level = :level,
                       synced_level = :level, inflight_level = NULL, push_failed = FALSE, updated_at = now()
                WHERE id = :id
                """, new MapSqlParameterSource("id", command.listingId()).addValue("level", command.level()))
                + jdbc.update("""
                UPDATE dead_letter SET status = 'resolved', updated_at = now() WHERE listing_id = :id AND status = 'open'
                """, Map.of("id", command.listingId())));
    }

    /** Listings whose channel is not known to hold their target: the sweeper re-sends them. */
    public List<Long> outOfSync() {
        return listings.findOutOfSync(10_000);
    }
}
