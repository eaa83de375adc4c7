package io.tally.connector;

import java.time.Instant;

/**
 * What a channel answered to one push that it did not fail: held in exchange property {@code pushOutcome} by the
 * channel's route, read by route push-attempt (confirm or abandon) and by the push metrics.
 */
public sealed interface PushOutcome {

    /** The exchange property a channel's push route leaves its outcome in. */
    String PROPERTY = "pushOutcome";

    /** True when the channel wrote nothing because its level had moved: the push is planned again. */
    boolean isStale();

    static PushOutcome confirmed() {
        return new Confirmed(null);
    }

    static PushOutcome confirmed(Instant channelTime) {
        return new Confirmed(channelTime);
    }

    static PushOutcome stale(Long levelRead, Instant readAt) {
        return new Stale(levelRead, readAt);
    }

    /**
     * The channel took the level.
     *
     * @param channelTime the channel's own time of the change, when it reports one (later observations must be
     *                    newer); null otherwise
     */
    record Confirmed(Instant channelTime) implements PushOutcome {
        @Override
        public boolean isStale() {
            return false;
        }
    }

    /**
     * A compare-and-set found the channel's level moved since Tally knew it; nothing was written.
     *
     * @param levelRead the channel's level read after the refusal, null when it could not tell
     * @param readAt    the channel's time of that level, when known
     */
    record Stale(Long levelRead, Instant readAt) implements PushOutcome {
        @Override
        public boolean isStale() {
            return true;
        }
    }
}
