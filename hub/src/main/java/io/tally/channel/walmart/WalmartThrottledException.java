package io.tally.channel.walmart;

import io.tally.push.ThrottledPushException;

/** Walmart kept answering 429 (or the client-side pace had no room) for longer than the caller may wait. */
public class WalmartThrottledException extends ThrottledPushException {

    private final long retryAfterMs;

    public WalmartThrottledException(String message, long retryAfterMs) {
        super(message);
        this.retryAfterMs = retryAfterMs;
    }

    /** When Walmart will have room again, as far as it said. */
    public long retryAfterMs() {
        return retryAfterMs;
    }
}
