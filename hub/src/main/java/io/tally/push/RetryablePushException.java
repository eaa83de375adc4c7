package io.tally.push;

/** The channel could not take the push now (429, 5xx, timeout): retried with backoff, then dead-lettered. */
public class RetryablePushException extends RuntimeException {

    public RetryablePushException(String message) {
        super(message);
    }
}
