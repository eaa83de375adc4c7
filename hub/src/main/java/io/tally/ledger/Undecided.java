package io.tally.ledger;

import java.time.Instant;

/**
 * A level the channel showed that its time could not decide (see {@link ObservedLevelRules}): the level, the known
 * level it differed from, and when it was first seen.
 */
record Undecided(long level, Long known, Instant since) {}
