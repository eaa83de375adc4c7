package io.tally.channel.shopify;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TokensInheritanceStrategy;

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
 * <p>Here the bucket is a Bucket4j token bucket (capacity {@code maximumAvailable}, greedy refill of
 * {@code restoreRate}/s). A call <em>reserves</em> its cost before it is sent: callers queue in arrival order behind
 * a fair lock; only the head waits for the refill, and it takes the points only after waking, so a resync that
 * lowered the bucket meanwhile is honoured. The answer then refunds {@code reserved - actualQueryCost} (everything for
 * a THROTTLED answer, which was not charged), and the bucket is lowered to {@code currentlyAvailable} when Shopify has
 * less than Tally counted. Until the first answer the bucket is unknown: one call goes alone to learn it.
 */
final class ShopifyThrottle {

    private final ReentrantLock queue = new ReentrantLock(true);
    /** The last requestedQueryCost Shopify reported per query text: reserved when above Tally's own estimate. */
    private final Map<String, Long> requestedCosts = new ConcurrentHashMap<>();
    private volatile Bucket bucket;
    private double maximum = Double.NaN;
    private double restoreRate = Double.NaN;

    /** Points taken from the bucket for one call; {@code learning} when the bucket was unknown and nothing was taken. */
    record Reservation(long points, boolean learning) {
    }

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
                Bucket current = bucket;
                if (current == null) {
                    // Nothing known yet: this call goes alone and the queue waits for its answer.
                    keepLock = true;
                    return new Reservation(0, true);
                }
                // A call can never need more than a full bucket (Shopify may have shrunk it).
                long points = Math.min(cost, Math.max(1, (long) Math.floor(maximum)));
                ConsumptionProbe probe = current.tryConsumeAndReturnRemaining(points);
                if (probe.isConsumed()) {
                    return new Reservation(points, false);
                }
                long wait = probe.getNanosToWaitForRefill();
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
                    configure(status.path("maximumAvailable").asDouble(), status.path("restoreRate").asDouble(),
                            status.path("currentlyAvailable").asDouble());
                }
                Bucket current = bucket;
                if (current == null || reservation.learning()) {
                    return;
                }
                JsonNode actual = cost == null ? null : cost.path("actualQueryCost");
                long charged = throttled ? 0 : actual != null && actual.isNumber() ? actual.asLong() : reservation.points();
                refund(current, reservation.points() - charged);
                if (status != null && status.isObject()) {
                    long server = (long) Math.floor(status.path("currentlyAvailable").asDouble());
                    long local = current.getAvailableTokens();
                    if (server < local) {
                        current.consumeIgnoringRateLimits(local - server);
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

    private void refund(Bucket current, long points) {
        if (points > 0) {
            current.addTokens(points);
        } else if (points < 0) {
            current.consumeIgnoringRateLimits(-points); // charged more than reserved
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
        // Points per 1000 s keep a fractional restore rate exact in Bucket4j's whole tokens.
        BucketConfiguration configuration = BucketConfiguration.builder()
                .addLimit(Bandwidth.builder().capacity((long) Math.floor(maximumAvailable))
                        .refillGreedy(Math.max(1, Math.round(rate * 1000)), Duration.ofSeconds(1000))
                        .initialTokens(Math.max(0, (long) Math.floor(Math.min(currentlyAvailable, maximumAvailable))))
                        .build())
                .build();
        if (bucket == null) {
            bucket = Bucket.builder().addLimit(configuration.getBandwidths()[0]).build();
        } else {
            bucket.replaceConfiguration(configuration, TokensInheritanceStrategy.AS_IS);
        }
        maximum = maximumAvailable;
        restoreRate = rate;
    }

    synchronized String describe() {
        Bucket current = bucket;
        return current == null ? "unknown" : String.format("%d/%.0f points, +%.0f/s", current.getAvailableTokens(),
                maximum, restoreRate);
    }

    /** The bucket cannot pay for the call before the caller's deadline. */
    static final class BucketTimeout extends RuntimeException {
        BucketTimeout() {
            super(null, null, false, false);
        }
    }
}
