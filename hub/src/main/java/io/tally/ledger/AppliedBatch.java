package io.tally.ledger;

import java.util.List;

/** The result of one ledger transaction: how many events were finished and which listings now need a push. */
public record AppliedBatch(int events, List<Long> listingsToPush) {

    public static final AppliedBatch EMPTY = new AppliedBatch(0, List.of());
}
