package io.tally.channel.ratelimit;

import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TokensInheritanceStrategy;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Tally's copy of one channel limit: a Bucket4j bucket, plus what the channels tell about it in their answers (a
 * lower rate, the tokens they have left, when they have room again). Thread-safe.
 *
 * <p>With a shared bucket ({@link DatabaseBucketStore}) every operation here acts on the one bucket all replicas
 * draw on: tokens taken, refunded, charged or set to the channel's count, and a replaced configuration. Two things
 * stay per replica: {@link #limit()}, this replica's view of the figures (an older one until the channel tells this
 * replica too, which then replaces the shared configuration with the same figures), and the pause until the channel's
 * replenish time: another replica finds the bucket at the channel's count and waits one token's worth, so it sends at
 * most one call into the rest of the pause and gets its own 429 with the replenish time.
 */
public final class TokenBucket {

    private final String key;
    private final Bucket bucket;
    private volatile Limit limit;
    /** No call before this time (epoch ms): the channel said when it has room again. Kept in this replica only. */
    private volatile long pausedUntilMs;

    TokenBucket(String key, Bucket bucket, Limit limit) {
        this.key = key;
        this.bucket = bucket;
        this.limit = limit;
    }

    public String key() {
        return key;
    }

    public Limit limit() {
        return limit;
    }

    /** Takes {@code tokens} if the bucket holds them now. */
    public boolean tryTake(long tokens) {
        return pausedForMs() == 0 && bucket.tryConsume(tokens);
    }

    /**
     * Takes {@code tokens} when the bucket holds them now; else takes nothing.
     *
     * @return 0 when taken, else how many nanoseconds to wait before asking again (always > 0)
     */
    public long takeOrNanosToWait(long tokens) {
        long paused = pausedForMs();
        if (paused > 0) {
            return TimeUnit.MILLISECONDS.toNanos(paused);
        }
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(tokens);
        return probe.isConsumed() ? 0 : Math.max(1, probe.getNanosToWaitForRefill());
    }

    /**
     * Reserves {@code tokens} and waits until they are there, unless that takes longer than {@code maxWait}: then
     * nothing is taken. A reservation may leave the bucket in debt, so concurrent callers queue behind each other.
     *
     * @return whether the tokens were taken
     */
    public boolean reserve(long tokens, Duration maxWait) throws InterruptedException {
        if (maxWait.isZero() || maxWait.isNegative()) {
            return bucket.tryConsume(tokens); // Bucket4j wants a positive wait
        }
        return bucket.asBlocking().tryConsume(tokens, maxWait, BlockingStrategy.PARKING);
    }

    /** The channel answered "too many requests": whatever Tally counted, nothing is left now (a debt is kept). */
    public void empty() {
        bucket.tryConsumeAsMuchAsPossible();
    }

    /**
     * The channel answered "too many requests" and may have said what it has left and when it has room again: the
     * bucket holds {@code channelTokens} (0 when not told) and no call goes before {@code roomAgainAtMs} (when not
     * told or past, before one token's worth of time).
     *
     * @return how many ms from now the next call may go
     */
    public synchronized long throttledUntil(Long channelTokens, Long roomAgainAtMs) {
        setAvailable(channelTokens == null ? 0 : channelTokens);
        long now = System.currentTimeMillis();
        long until = roomAgainAtMs != null && roomAgainAtMs > now
                ? roomAgainAtMs
                : now + Math.max(1, (long) Math.ceil(1000 / limit.perSecond()));
        pausedUntilMs = Math.max(pausedUntilMs, until);
        return pausedUntilMs - now;
    }

    /** Sets the tokens to what the channel reports (within 0 and the capacity). */
    public synchronized void setAvailable(long tokens) {
        long target = Math.max(0, Math.min(limit.capacity(), tokens));
        long difference = target - bucket.getAvailableTokens();
        if (difference > 0) {
            bucket.addTokens(difference);
        } else if (difference < 0) {
            bucket.consumeIgnoringRateLimits(-difference);
        }
    }

    /** Gives back tokens taken for a call that cost less (never above the capacity). */
    public void refund(long tokens) {
        if (tokens > 0) {
            bucket.addTokens(tokens);
        }
    }

    /** Takes tokens a call cost beyond what was taken for it, even into debt. */
    public void charge(long tokens) {
        if (tokens > 0) {
            bucket.consumeIgnoringRateLimits(tokens);
        }
    }

    public long available() {
        return bucket.getAvailableTokens();
    }

    /** New figures for the limit (the channel changed them); the tokens counted so far are kept. */
    public synchronized void reconfigure(Limit newLimit) {
        if (newLimit.perSecond() == limit.perSecond() && newLimit.capacity() == limit.capacity()) {
            return;
        }
        bucket.replaceConfiguration(newLimit.configuration(), TokensInheritanceStrategy.AS_IS);
        limit = newLimit;
    }

    /** The channel reports a lower rate than Tally's (a smaller usage plan): it replaces Tally's; higher is ignored. */
    public synchronized void lowerRateTo(double perSecond) {
        if (perSecond > 0 && perSecond < limit.perSecond()) {
            reconfigure(limit.withRate(perSecond));
        }
    }

    private long pausedForMs() {
        return Math.max(0, pausedUntilMs - System.currentTimeMillis());
    }

    public String describe() {
        return String.format("%d/%d tokens, +%.4g/s", bucket.getAvailableTokens(), limit.capacity(), limit.perSecond());
    }
}
