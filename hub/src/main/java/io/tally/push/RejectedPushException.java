package io.tally.push;

/** The channel refused the push for good (a 4xx other than 429): dead-lettered at once, not retried. */
public class RejectedPushException extends RuntimeException {

    public RejectedPushException(String message) {
        super(message);
    }
}
