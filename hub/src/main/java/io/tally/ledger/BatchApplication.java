package io.tally.ledger;

import io.tally.policy.StoreRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * One batch, inside one transaction, in three steps (as a TigerBeetle state machine does): prefetch everything it
 * needs and lock it ({@link BatchSnapshotLoader}), decide what each event books without the database
 * ({@link BatchRules}), write all of it ({@link BatchWriter}). The only read after the rules began is of the cancels
 * and restocks waiting for a sale the batch just booked.
 */
final class BatchApplication {

    private final NamedParameterJdbcTemplate jdbc;
    private final BatchSnapshotLoader loader;
    private final BatchWriter writer;
    private final StoreRegistry stores;
    private final Duration settleWindow;
    private final Clock clock;

    BatchApplication(
            NamedParameterJdbcTemplate jdbc,
            BatchSnapshotLoader loader,
            BatchWriter writer,
            StoreRegistry stores,
            Duration settleWindow,
            Clock clock) {
        this.jdbc = jdbc;
        this.loader = loader;
        this.writer = writer;
        this.stores = stores;
        this.settleWindow = settleWindow;
        this.clock = clock;
    }

    AppliedBatch run(List<Long> inboxIds) {
        // Only the inbox commit must wait for the disk: if this commit is lost in a crash, its inbox rows are
        // still pending and are applied again at start-up, all or nothing, like any unapplied batch.
        jdbc.getJdbcTemplate().execute("SET LOCAL synchronous_commit = off");
        BatchSnapshot snapshot = loader.load(inboxIds);
        if (snapshot == null) {
            return AppliedBatch.EMPTY;
        }
        BatchState state = new BatchState(snapshot);
        BatchRules rules = new BatchRules(state, stores::find, settleWindow, clock);
        rules.decide(snapshot);
        // Applying waiting cancels and restocks books no new sale, so one round is normally all.
        while (state.hasNewBookings()) {
            Map<String, OrderLine> booked = state.takeNewlyBookedLines();
            if (!booked.isEmpty()) {
                List<InboxRow> inBatch = booked.keySet().stream()
                        .flatMap(key -> state.waitingInBatch(key).stream())
                        .toList();
                rules.decideWaiting(booked, loader.loadWaiting(booked.values(), inBatch));
            }
        }
        return writer.write(state.decisions());
    }
}
