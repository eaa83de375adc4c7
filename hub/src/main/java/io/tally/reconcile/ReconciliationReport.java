package io.tally.reconcile;

import java.time.Instant;
import java.util.List;

/**
 * The outcome of one reconciliation of a store.
 *
 * @param corrections listings whose level on the channel differed from their target with nothing in flight: an
 *                    event or a push was missed, and has now been made good
 */
public record ReconciliationReport(
        long id,
        String store,
        String trigger,
        Instant startedAt,
        Instant finishedAt,
        int checked,
        int declared,
        int unlinked,
        int corrections,
        int repushed,
        String error,
        List<String> details) {}
