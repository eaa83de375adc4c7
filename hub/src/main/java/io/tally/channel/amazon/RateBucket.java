package io.tally.channel.amazon;

/**
 * Client-side copy of one SP-API operation's token bucket for one seller: calls wait for a token instead of being
 * answered 429. Starts full at the configured burst; a 429 empties it, and a lower rate reported in
 * {@code x-amzn-RateLimit-Limit} replaces the configured one. Thread-safe: a token is reserved when the wait is
 * handed out, so concurrent callers queue behind each other.
 */
final class RateBucket {

    private double rate;
    private final int burst;
    private double tokens;
    private long lastNanos;

    RateBucket(double rate, int burst) {
        this.rate = rate;
        this.burst = burst;
        this.tokens = burst;
        this.lastNanos = System.nanoTime();
    }

    /** Reserves a token; @return how long to wait before using it (0 = now), or -1 if longer than maxWaitMs. */
    synchronized long reserve(long maxWaitMs) {
        refill();
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        long waitMs = (long) Math.ceil((1 - tokens) / rate * 1000.0);
        if (waitMs > maxWaitMs) {
            return -1;
        }
        tokens -= 1; // may go negative: the next caller waits behind this one
        return waitMs;
    }

    /** Amazon said 429: whatever we thought, the bucket is empty now. */
    synchronized void throttled(Double reportedRate) {
        refill();
        tokens = Math.min(tokens, 0);
        observeRate(reportedRate);
    }

    synchronized void observeRate(Double reportedRate) {
        if (reportedRate != null && reportedRate > 0 && reportedRate < rate) {
            rate = reportedRate;
        }
    }

    synchronized double rate() {
        return rate;
    }

    private void refill() {
        long now = System.nanoTime();
        tokens = Math.min(burst, tokens + (now - lastNanos) / 1e9 * rate);
        lastNanos = now;
    }
}
