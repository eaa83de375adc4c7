package io.tally.push;

/** The channel asked Tally to slow down (429, a throttled answer, no room in its rate bucket): retried later. */
public class ThrottledPushException extends RetryablePushException {

    public ThrottledPushException(String message) {
        super(message);
    }
}
