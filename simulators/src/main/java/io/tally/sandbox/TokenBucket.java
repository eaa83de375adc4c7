package io.tally.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The rate-limit model the marketplace simulators share (SP-API's, and Walmart's gradual replenishment): tokens are added at {@code rate} per second up to {@code burst}, each call takes one,
 * an empty bucket means HTTP 429. Time comes from the simulator's {@link Clock} so tests can move it instead of
 * sleeping. Not thread-safe on its own: the simulator guards it with its lock.
 */
public final class TokenBucket {

    private final double rate;
    private final int burst;
    private double tokens;
    private Instant last;

    public TokenBucket(double rate, int burst, Instant now) {
        this.rate = rate;
        this.burst = burst;
        this.tokens = burst;
        this.last = now;
    }

    /** Takes one token if there is one. */
    public boolean tryTake(Instant now) {
        refill(now);
        if (tokens >= 1.0) {
            tokens -= 1.0;
            return true;
        }
        return false;
    }

    public double tokens(Instant now) {
        refill(now);
        return tokens;
    }

    /** Time until the next whole token is there (zero if one is there now). */
    public Duration untilNextToken(Instant now) {
        refill(now);
        if (tokens >= 1.0 || rate <= 0) {
            return Duration.ZERO;
        }
        return Duration.ofNanos((long) Math.ceil((1.0 - tokens) / rate * 1_000_000_000L));
    }

    private void refill(Instant now) {
        if (now.isAfter(last)) {
            double seconds = Duration.between(last, now).toNanos() / 1_000_000_000.0;
            tokens = Math.min(burst, tokens + seconds * rate);
            last = now;
        }
    }
}
