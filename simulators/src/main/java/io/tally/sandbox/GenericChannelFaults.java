package io.tally.sandbox;

import java.time.Duration;

/** The faults injected into the generic channel: forced statuses, Retry-After, delays. Guarded by the ledger's lock. */
final class GenericChannelFaults {

    private final Object lock;
    private int failNextCount;
    private int failNextStatus;
    private Integer failAlwaysStatus;
    private int retryAfterSeconds = 1;
    private Duration delay = Duration.ZERO;
    private int delayNextCount;
    private Duration delayNext = Duration.ZERO;

    GenericChannelFaults(Object lock) {
        this.lock = lock;
    }

    void failNext(int n, int status) {
        synchronized (lock) {
            failNextCount = n;
            failNextStatus = status;
        }
    }

    void failAlways(int status) {
        synchronized (lock) {
            failAlwaysStatus = status;
        }
    }

    void retryAfterSeconds(int seconds) {
        synchronized (lock) {
            retryAfterSeconds = seconds;
        }
    }

    int retryAfterSeconds() {
        synchronized (lock) {
            return retryAfterSeconds;
        }
    }

    void recover() {
        synchronized (lock) {
            failNextCount = 0;
            failAlwaysStatus = null;
            delay = Duration.ZERO;
            delayNextCount = 0;
            delayNext = Duration.ZERO;
        }
    }

    void delay(Duration d) {
        synchronized (lock) {
            delay = d == null ? Duration.ZERO : d;
        }
    }

    void delayNext(int n, Duration d) {
        synchronized (lock) {
            delayNextCount = n;
            delayNext = d == null ? Duration.ZERO : d;
        }
    }

    /** The wait before every answer. Caller holds the lock. */
    Duration delay() {
        return delay;
    }

    /**
     * The extra wait of a request that {@link #delayNext} catches (used up by this call), or null if none does.
     * Caller holds the lock.
     */
    Duration takeDelayNext() {
        if (delayNextCount > 0) {
            delayNextCount--;
            return delayNext;
        }
        return null;
    }

    /** The status forced on this request (a failNext is used up), or null. Caller holds the lock. */
    Integer takeForcedStatus() {
        if (failAlwaysStatus != null) {
            return failAlwaysStatus;
        }
        if (failNextCount > 0) {
            failNextCount--;
            return failNextStatus;
        }
        return null;
    }
}
