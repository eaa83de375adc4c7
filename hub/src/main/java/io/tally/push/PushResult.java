package io.tally.push;

import java.util.Locale;

/**
 * What one push attempt came to, whatever the channel: the {@code result} tag of {@code tally_pushes_total} and
 * {@code tally_push_duration_seconds}, and what the push log says. Five values, the same for every channel:
 *
 * <ul>
 *   <li>{@code confirmed}: the channel took the level (2xx and, where the channel answers with a status, an
 *       accepting one).</li>
 *   <li>{@code stale}: a compare-and-set found that the channel's level had moved (Shopify
 *       {@code CHANGE_FROM_QUANTITY_STALE}); nothing was written, the push is planned again from the level read.</li>
 *   <li>{@code throttled}: the channel said "too many requests" (429, a throttled GraphQL answer), or the
 *       channel's rate bucket had no room within the wait Tally allows; retried after the channel's delay.</li>
 *   <li>{@code retryable_failure}: the channel failed or could not be reached (5xx on every channel, timeouts,
 *       connection refused, an answer that does not hold the level); retried with backoff, then dead-lettered.</li>
 *   <li>{@code rejected}: the channel refused the push for good (another 4xx, an unknown SKU, a refusal in the
 *       body); dead-lettered at once, not retried.</li>
 * </ul>
 *
 * A push series that ends in a dead letter is counted by {@code tally_dead_letters_opened_total}, not here.
 */
public enum PushResult {
    CONFIRMED,
    STALE,
    THROTTLED,
    RETRYABLE_FAILURE,
    REJECTED;

    /** The tag value: lower case, as listed above. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean failed() {
        return this == THROTTLED || this == RETRYABLE_FAILURE || this == REJECTED;
    }

    /**
     * @param failure the exception the channel's route ended with, or null
     * @param stale   whether the channel reported a stale compare-and-set
     */
    public static PushResult of(Throwable failure, boolean stale) {
        if (failure == null) {
            return stale ? STALE : CONFIRMED;
        }
        // The channel's own exception may come wrapped (a bean invocation, a Camel runtime exception).
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RejectedPushException) {
                return REJECTED;
            }
            if (t instanceof ThrottledPushException) {
                return THROTTLED;
            }
            if (t instanceof RetryablePushException) {
                return RETRYABLE_FAILURE;
            }
        }
        // Anything else (a connection refused or timed out in Camel's http client, a bug) is retried by push-errors.
        return RETRYABLE_FAILURE;
    }
}
