package io.tally.channel.walmart;

/**
 * Client-side picture of one Walmart rate limit of one store (a token bucket that refills gradually, as Walmart
 * describes its limits): calls wait for a token instead of being answered 429. A 429 empties the bucket until the
 * time Walmart names in {@code x-next-replenish-time}.
 */
final class WalmartPace {

    private final double perMilli;
    private final double capacity;
    private double tokens;
    private long refilledAt;
    private long blockedUntil;

    WalmartPace(double perMinute) {
        this.perMilli = perMinute / 60_000.0;
        this.capacity = Math.max(1, perMinute);
        this.tokens = capacity;
        this.refilledAt = System.currentTimeMillis();
    }

    /** @return 0 when a call may go now (its token is taken), else how many ms to wait before asking again */
    synchronized long reserve() {
        long now = System.currentTimeMillis();
        if (now < blockedUntil) {
            return blockedUntil - now;
        }
        refill(now);
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return Math.max(1, (long) Math.ceil((1 - tokens) / perMilli));
    }

    /**
     * Walmart answered 429: no call goes before {@code nextReplenishEpochMs} (when Walmart gave it), else before one
     * token's worth of time.
     *
     * @return how long from now the next call may go
     */
    synchronized long throttled(Long nextReplenishEpochMs, Long currentTokens) {
        long now = System.currentTimeMillis();
        tokens = currentTokens == null ? 0 : Math.min(capacity, Math.max(0, currentTokens));
        refilledAt = now;
        long until = nextReplenishEpochMs != null && nextReplenishEpochMs > now
                ? nextReplenishEpochMs : now + Math.max(1, (long) Math.ceil(1 / perMilli));
        blockedUntil = Math.max(blockedUntil, until);
        return blockedUntil - now;
    }

    private void refill(long now) {
        tokens = Math.min(capacity, tokens + (now - refilledAt) * perMilli);
        refilledAt = now;
    }

    synchronized String describe() {
        refill(System.currentTimeMillis());
        return String.format("%.1f/%.0f tokens", tokens, capacity);
    }
}
