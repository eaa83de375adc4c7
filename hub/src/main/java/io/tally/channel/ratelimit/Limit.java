package io.tally.channel.ratelimit;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import java.time.Duration;

/**
 * One channel limit as a token bucket: {@code capacity} tokens at most (the burst), refilled continuously at
 * {@code perSecond}; a new bucket starts with {@code initialTokens}.
 */
public record Limit(double perSecond, long capacity, long initialTokens) {

    /** Bucket4j counts whole tokens per period: a long period keeps a rate like 0.0167/s exact enough. */
    private static final long PERIOD_SECONDS = 1_000_000;

    public Limit {
        if (!(perSecond > 0) || capacity < 1) {
            throw new IllegalArgumentException("a limit needs a rate > 0 and a capacity >= 1");
        }
        initialTokens = Math.max(0, Math.min(initialTokens, capacity));
    }

    /** A bucket that starts full. */
    public static Limit of(double perSecond, long capacity) {
        return new Limit(perSecond, capacity, capacity);
    }

    /** {@code perMinute} calls a minute, all of them at once when the bucket is full (Walmart's description). */
    public static Limit perMinute(double perMinute) {
        return of(perMinute / 60.0, Math.max(1, (long) Math.floor(perMinute)));
    }

    public Limit withRate(double newPerSecond) {
        return new Limit(newPerSecond, capacity, initialTokens);
    }

    /**
     * The limit a bucket holds now (another replica may have replaced the configured one), with this limit's
     * {@code initialTokens}; this limit itself when the rate and capacity are the same.
     */
    Limit asHeld(BucketConfiguration held) {
        Bandwidth bandwidth = held.getBandwidths()[0];
        double heldPerSecond = bandwidth.getRefillTokens() * 1e9 / bandwidth.getRefillPeriodNanos();
        boolean same = bandwidth.getCapacity() == capacity
                && bandwidth.getRefillTokens() == Math.max(1, Math.round(perSecond * PERIOD_SECONDS))
                && bandwidth.getRefillPeriodNanos()
                        == Duration.ofSeconds(PERIOD_SECONDS).toNanos();
        return same ? this : new Limit(heldPerSecond, bandwidth.getCapacity(), initialTokens);
    }

    BucketConfiguration configuration() {
        return BucketConfiguration.builder()
                .addLimit(Bandwidth.builder()
                        .capacity(capacity)
                        .refillGreedy(
                                Math.max(1, Math.round(perSecond * PERIOD_SECONDS)), Duration.ofSeconds(PERIOD_SECONDS))
                        .initialTokens(initialTokens)
                        .build())
                .build();
    }
}
