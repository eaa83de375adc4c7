package io.tally.reconcile;

/** The channel could not be read (unreachable, throttled too long, credentials refused): nothing was changed. */
public class ReconciliationFailedException extends RuntimeException {

    public ReconciliationFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
