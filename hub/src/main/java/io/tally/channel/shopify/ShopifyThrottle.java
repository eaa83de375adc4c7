package io.tally.channel.shopify;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.channel.ratelimit.ChannelRateLimiter;
import io.tally.channel.ratelimit.Limit;
import io.tally.channel.ratelimit.TokenBucket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Tally's copy of one store's GraphQL cost bucket, so that Tally never sends a call the bucket cannot pay for.
 *
 * <p>Shopify's model (https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits and the leaky bucket of
 * https://shopify.dev/docs/api/usage/limits#the-leaky-bucket-algorithm): each app and store has a bucket of
 * {@code maximumAvailable} points that refills continuously at {@code restoreRate} points per second; a call is
 * charged its {@code requestedQueryCost} before it runs (THROTTLED when the bucket holds less), and the difference to
 * its {@code actualQueryCost} is refunded after it ran. Every answer reports {@code throttleStatus}; Shopify may lower
 * the limits at any time, so the figures come from the answers, never from configuration.
 *
 * <p>Here the bucket is one of the {@link ChannelRateLimiter}'s (capacity {@code maximumAvailable}, refilled at
 * {@code restoreRate}/s, both replaced when an answer reports other figures). A call <em>reserves</em> its cost
 * before it is sent: callers queue in arrival order behind a fair lock; only the head waits for the refill, and it
 * takes the points only after waking, so a resync that lowered the bucket meanwhile is honoured. The answer then refunds {@code reserved - actualQueryCost} (everything for
 * a THROTTLED answer, which was not charged), and the bucket is lowered to {@code currentlyAvailable} when Shopify has
 * less than Tally counted. Until the first answer the bucket is unknown: one call goes alone to learn it.
 */
final class ShopifyThrottle {

    private final ChannelRateLimiter limiter;
    private final String key;
    private final ReentrantLock queue = new ReentrantLock(true);
    /** The last requestedQueryCost Shopify reported per query text: reserved when above Tally's own estimate. */
    private final Map<String, Long> requestedCosts = new ConcurrentHashMap<>();

    /**
     * Shopify's bucket refills from the moment it charges a call, which is later than the moment Tally reserved it (the
     * call's way over the network and through a busy machine): a call is sent only when the bucket also holds what
     * 100 ms of refill would add, so a first call that travelled slowly cannot leave a later one THROTTLED.
     */
    static final double CUSHION_SECONDS = 0.1;

    private volatile TokenBucket bucket;
    private double maximum = Double.NaN;
    private volatile double restoreRate = Double.NaN;

    /** @param key the store's bucket in the limiter, e.g. {@code shopify/<store>} */
    ShopifyThrottle(ChannelRateLimiter limiter, String key) {
        this.limiter = limiter;
        this.key = key;
    }

    /** Points taken from the bucket for one call; {@code learning} when the bucket was unknown and nothing was taken. */
    record Reservation(long points, boolean learning) {}

    /**
     * Waits (in arrival order) until the bucket holds the call's cost, and takes it.
     *
     * @param expectedCost Tally's estimate of the call's requested cost
     * @return the reservation, to be settled with {@link #answered} or {@link #unanswered}
     * @throws BucketTimeout when the cost cannot be paid before the deadline
     */
    Reservation reserve(String query, double expectedCost, long deadlineNanos) throws InterruptedException {
        long cost = Math.max((long) Math.ceil(expectedCost), requestedCosts.getOrDefault(shape(query), 0L));
        if (!queue.tryLock(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            throw new BucketTimeout();
        }
        boolean keepLock = false;
        try {
            while (true) {
                TokenBucket current = bucket;
                if (current == null) {
                    // Nothing known yet: this call goes alone and the queue waits for its answer.
                    keepLock = true;
                    return new Reservation(0, true);
                }
                // A call can never need more than a full bucket (Shopify may have shrunk it).
                long full = Math.max(1, (long) Math.floor(maximum));
                long points = Math.min(cost, full);
                long cushion = Math.min(full - points, (long) Math.ceil(restoreRate * CUSHION_SECONDS));
                long wait = current.takeOrNanosToWait(points + cushion);
                if (wait == 0) {
                    current.refund(cushion);
                    return new Reservation(points, false);
                }
                if (System.nanoTime() + wait > deadlineNanos) {
                    throw new BucketTimeout();
                }
                TimeUnit.NANOSECONDS.sleep(wait); // the head of the queue; re-checked after waking
            }
        } finally {
            if (!keepLock) {
                queue.unlock();
            }
        }
    }

    /**
     * Settles a reservation with Shopify's answer: refunds what was reserved but not charged, and lowers the bucket
     * to Shopify's {@code currentlyAvailable} when Shopify has less.
     *
     * @param cost      the answer's {@code extensions.cost} (missing when the answer had none)
     * @param throttled the answer was THROTTLED: nothing was charged
     */
    void answered(String query, Reservation reservation, JsonNode cost, boolean throttled) {
        try {
            JsonNode status = cost == null ? null : cost.path("throttleStatus");
            if (cost != null && cost.path("requestedQueryCost").isNumber()) {
                if (requestedCosts.size() > 1000) {
                    requestedCosts.clear();
                }
                requestedCosts.put(shape(query), cost.path("requestedQueryCost").asLong());
            }
            synchronized (this) {
                if (status != null && status.isObject()) {
                    configure(
                            status.path("maximumAvailable").asDouble(),
                            status.path("restoreRate").asDouble(),
                            status.path("currentlyAvailable").asDouble());
                }
                TokenBucket current = bucket;
                if (current == null || reservation.learning()) {
                    return;
                }
                JsonNode actual = cost == null ? null : cost.path("actualQueryCost");
                long charged =
                        throttled ? 0 : actual != null && actual.isNumber() ? actual.asLong() : reservation.points();
                refund(current, reservation.points() - charged);
                if (status != null && status.isObject()) {
                    long server =
                            (long) Math.floor(status.path("currentlyAvailable").asDouble());
                    long local = current.available();
                    if (server < local) {
                        current.charge(local - server);
                    }
                }
            }
        } finally {
            release(reservation);
        }
    }

    /** No answer (a timeout, a broken connection): Shopify may have charged the call, so nothing is refunded. */
    void unanswered(Reservation reservation) {
        release(reservation);
    }

    /** The query without its idempotency key, which differs per push while the cost does not. */
    private static String shape(String query) {
        return query == null ? "" : IDEMPOTENCY_KEY.matcher(query).replaceAll("");
    }

    private static final java.util.regex.Pattern IDEMPOTENCY_KEY =
            java.util.regex.Pattern.compile("@idempotent\\(key:\\s*\"[^\"]*\"\\)");

    private void release(Reservation reservation) {
        if (reservation.learning() && queue.isHeldByCurrentThread()) {
            queue.unlock();
        }
    }

    private void refund(TokenBucket current, long points) {
        if (points > 0) {
            current.refund(points);
        } else if (points < 0) {
            current.charge(-points); // charged more than reserved
        }
    }

    private void configure(double maximumAvailable, double restore, double currentlyAvailable) {
        if (!(maximumAvailable > 0)) {
            return;
        }
        double rate = restore > 0 ? restore : 1;
        if (bucket != null && maximumAvailable == maximum && rate == restoreRate) {
            return;
        }
        Limit limit = new Limit(rate, Math.max(1, (long) Math.floor(maximumAvailable)), (long)
                Math.floor(Math.min(currentlyAvailable, maximumAvailable)));
        if (bucket == null) {
            bucket = limiter.bucket(key, limit);
        }
        // The points counted so far are kept; a no-op for a new bucket unless another replica's holds other figures.
        bucket.reconfigure(limit);
        maximum = maximumAvailable;
        restoreRate = rate;
    }

    synchronized String describe() {
        TokenBucket current = bucket;
        return current == null
                ? "unknown"
                : String.format("%d/%.0f points, +%.0f/s", current.available(), maximum, restoreRate);
    }

    /** The bucket cannot pay for the call before the caller's deadline. */
    static final class BucketTimeout extends RuntimeException {
        BucketTimeout() {
            super(null, null, false, false);
        }
    }
}
