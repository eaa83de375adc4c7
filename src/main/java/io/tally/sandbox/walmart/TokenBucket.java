package io.tally.sandbox.walmart;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Walmart's per-API throttling model (replenished gradually, not at window end): tokens are added at {@code rate} per second up to {@code burst}, each call takes one,
 * an empty bucket means HTTP 429. Time comes from the simulator's {@link Clock} so tests can move it instead of
 * sleeping. Not thread-safe on its own: the simulator guards it with its lock.
 */
final class TokenBucket {

    private final double rate;
    private final int burst;
    private double tokens;
    private Instant last;

    TokenBucket(double rate, int burst, Instant now) {
        this.rate = rate;
        this.burst = burst;
        this.tokens = burst;
        this.last = now;
    }

    /** Takes one token if there is one. */
    boolean tryTake(Instant now) {
        refill(now);
        if (tokens >= 1.0) {
            tokens -= 1.0;
            return true;
        }
        return false;
    }

    double tokens(Instant now) {
        refill(now);
        return tokens;
    }

    /** Time until the next whole token is there (zero if one is there now). */
    Duration untilNextToken(Instant now) {
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
