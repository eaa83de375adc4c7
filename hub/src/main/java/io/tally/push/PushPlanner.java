package io.tally.push;

import io.tally.catalog.ListingPushState;
import io.tally.catalog.ListingRepository;
import io.tally.connector.PushCommand;
import io.tally.connector.PushOutcome;
import io.tally.policy.StoreProperties;
import io.tally.policy.StoreRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.camel.ExchangeProperty;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** Decides what to push for a listing (its newest target, if the channel doesn't hold it) and records success. */
@Component("pushPlanner")
public class PushPlanner {

    private final NamedParameterJdbcTemplate jdbc;
    private final StoreRegistry stores;
    private final ListingRepository listings;
    private final ListingPushState pushState;
    private final DeadLetterService deadLetters;
    private final TransactionTemplate transaction;
    private final PushLeaseOwner owner;
    private final long leaseMillis;

    public PushPlanner(
            NamedParameterJdbcTemplate jdbc,
            StoreRegistry stores,
            ListingRepository listings,
            ListingPushState pushState,
            DeadLetterService deadLetters,
            TransactionTemplate transaction,
            PushLeaseOwner owner,
            @Value("${tally.push.lease-ms}") long leaseMillis) {
        this.jdbc = jdbc;
        this.stores = stores;
        this.listings = listings;
        this.pushState = pushState;
        this.deadLetters = deadLetters;
        this.transaction = transaction;
        this.owner = owner;
        this.leaseMillis = leaseMillis;
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

    /**
     * Claims the listing for this hub ({@link PushLeaseOwner}, for {@code tally.push.lease-ms}) and plans its push.
     *
     * @return the push to make, or null when the listing is hidden, gone, already holds its target, or is being pushed
     *     by another hub (whose lease is live)
     */
    public PushCommand plan(Long listingId) {
        PushCommand command = relaxed(() -> pushState.markInFlight(listingId, owner.id(), leaseMillis))
                .flatMap(planned -> stores.find(planned.store())
                        .map(store -> new PushCommand(
                                planned.listingId(),
                                planned.store(),
                                store.channel(),
                                planned.ref(),
                                planned.sku(),
                                planned.target(),
                                planned.targetVersion(),
                                store.pushUrl(),
                                store.maxPushesPerSecond(),
                                planned.knownLevel(),
                                planned.channelItem(),
                                planned.channelLocation(),
                                // Carrying the channel's own changes over a push is only sound for a compare-and-set.
                                store.channelAdjustsOwnLevel() && store.pushComparesAndSets())))
                .orElse(null);
        if (command == null) {
            // Nothing to push (or a store no longer configured): no lease of this hub may hold the listing back.
            relaxed(() -> {
                pushState.releaseLease(listingId, owner.id());
                return null;
            });
        }
        return command;
    }

    /**
     * The channel accepted the level: it is now what the listing holds and what Tally last pushed.
     *
     * <p>On a channel that moves its own level, units it took or put back since the push was planned (booked by the
     * ledger meanwhile) happened after the compare-and-set succeeded, so they are carried over onto the new level.
     *
     * @param outcome what the channel answered (null if its route left none): its own time of the change, when it
     *                reports one (later observations must be newer); the levels Tally wrote within one channel
     *                second are kept, so that their late echoes in that second are recognised (BatchApplication)
     */
    public void confirm(
            @ExchangeProperty("pushCommand") PushCommand command,
            @ExchangeProperty(PushOutcome.PROPERTY) PushOutcome outcome) {
        Instant channelTime = outcome instanceof PushOutcome.Confirmed confirmed ? confirmed.channelTime() : null;
        // A marketplace that reports no time for the change: its level is known as of now, so a read taken before
        // this push is stale when it is judged. The generic channel has no level of its own to judge.
        boolean marketplace = stores.find(command.store())
                .map(StoreProperties::channelAdjustsOwnLevel)
                .orElse(false);
        Instant knownAt = channelTime != null || !marketplace ? channelTime : Instant.now();
        relaxed(() -> {
            // A newer target confirmed already (by another hub that took over an expired lease) is left standing.
            if (pushState.recordConfirmed(
                    command.listingId(),
                    command.version(),
                    command.level(),
                    command.selfAdjusting(),
                    command.knownLevel(),
                    knownAt,
                    owner.id())) {
                deadLetters.resolve(command.listingId());
            }
            return null;
        });
    }

    /**
     * The channel's level had moved (a stale compare-and-set): nothing was written, so nothing is in flight. The
     * observation recorded for it re-plans the push once the ledger has judged it.
     */
    public void abandon(@ExchangeProperty("pushCommand") PushCommand command) {
        relaxed(() -> {
            pushState.clearInFlight(command.listingId(), owner.id());
            return null;
        });
    }

    /** Listings whose channel is not known to hold their target: the sweeper re-sends them. */
    public List<Long> outOfSync() {
        return listings.findOutOfSync(10_000);
    }

    /**
     * One page of {@link #outOfSync()} in id order after {@code afterId} (a keyset cursor on the partial index
     * listing_out_of_sync): a sweep pages through any number of listings with one page in memory.
     */
    public List<Long> outOfSyncAfter(long afterId, int limit) {
        return jdbc.queryForList("""
                SELECT id FROM listing WHERE NOT hidden AND target IS DISTINCT FROM synced_level AND id > :after
                ORDER BY id LIMIT :limit
                """, Map.of("after", afterId, "limit", limit), Long.class);
    }
}
