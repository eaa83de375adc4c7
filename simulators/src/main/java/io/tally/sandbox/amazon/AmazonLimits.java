package io.tally.sandbox.amazon;

import static io.tally.sandbox.amazon.AmazonSimulator.GET_LISTINGS_ITEM;
import static io.tally.sandbox.amazon.AmazonSimulator.GET_ORDERS;
import static io.tally.sandbox.amazon.AmazonSimulator.GET_ORDER_ITEMS;
import static io.tally.sandbox.amazon.AmazonSimulator.PATCH_LISTINGS_ITEM;
import static io.tally.sandbox.amazon.AmazonSimulator.SEARCH_LISTINGS_ITEMS;
import static io.tally.sandbox.amazon.AmazonText.key;

import io.tally.sandbox.TokenBucket;
import io.tally.sandbox.amazon.AmazonSimulator.OperationStats;
import io.tally.sandbox.amazon.AmazonSimulator.RateLimit;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-operation, per-seller token buckets with the documented default rate/burst, the call counters, and the
 * simulated fault windows (outage, throttle storm). All state is guarded by the store's lock.
 */
final class AmazonLimits {

    private final AmazonStore store;
    private final Map<String, RateLimit> limits = new HashMap<>();
    private final Map<String, TokenBucket> buckets = new HashMap<>(); // sellerId \0 op
    private final Map<String, long[]> stats = new TreeMap<>(); // op -> {calls, throttled}
    private Instant outageUntil;
    private int outageStatus;
    private Instant stormUntil;

    AmazonLimits(AmazonStore store) {
        this.store = store;
        limits.put(GET_ORDERS, new RateLimit(0.0167, 20));
        limits.put(GET_ORDER_ITEMS, new RateLimit(0.5, 30));
        limits.put(PATCH_LISTINGS_ITEM, new RateLimit(5, 5));
        limits.put(GET_LISTINGS_ITEM, new RateLimit(5, 10));
        limits.put(SEARCH_LISTINGS_ITEMS, new RateLimit(5, 5));
    }

    void rateLimit(String operation, double ratePerSecond, int burst) {
        synchronized (store.lock) {
            limits.put(operation, new RateLimit(ratePerSecond, burst));
            buckets.keySet().removeIf(k -> k.endsWith("\u0000" + operation));
        }
    }

    RateLimit rateLimit(String operation) {
        synchronized (store.lock) {
            return limits.get(operation);
        }
    }

    /**
     * Takes a token from the seller's bucket for {@code op}; false when the call is throttled (empty bucket, or a
     * throttle storm). Caller holds the lock.
     */
    boolean admit(String sellerId, String op, Instant now) {
        RateLimit limit = limits.get(op);
        boolean storm = stormUntil != null && now.isBefore(stormUntil);
        TokenBucket bucket = buckets.computeIfAbsent(
                key(sellerId, op), k -> new TokenBucket(limit.ratePerSecond(), limit.burst(), now));
        return !storm && bucket.tryTake(now);
    }

    /** The HTTP status of the outage running at {@code now}, or null. Caller holds the lock. */
    Integer outageStatus(Instant now) {
        return outageUntil != null && now.isBefore(outageUntil) ? outageStatus : null;
    }

    void failFor(Duration d, int status) {
        synchronized (store.lock) {
            outageUntil = store.now().plus(d);
            outageStatus = status;
        }
    }

    void throttleStorm(Duration d) {
        synchronized (store.lock) {
            stormUntil = store.now().plus(d);
        }
    }

    void recover() {
        synchronized (store.lock) {
            outageUntil = null;
            stormUntil = null;
        }
    }

    void count(String op, boolean throttled) {
        synchronized (store.lock) {
            long[] s = stats.computeIfAbsent(op, k -> new long[2]);
            if (throttled) {
                s[1]++;
            } else {
                s[0]++;
            }
        }
    }

    Map<String, OperationStats> stats() {
        synchronized (store.lock) {
            Map<String, OperationStats> out = new TreeMap<>();
            stats.forEach((op, s) -> out.put(op, new OperationStats(s[0], s[1])));
            return out;
        }
    }

    OperationStats stats(String operation) {
        synchronized (store.lock) {
            long[] s = stats.get(operation);
            return s == null ? new OperationStats(0, 0) : new OperationStats(s[0], s[1]);
        }
    }

    /** Forgets buckets, stats and faults; keeps the limits. Caller holds the lock. */
    void clear() {
        buckets.clear();
        stats.clear();
        outageUntil = null;
        stormUntil = null;
    }
}
