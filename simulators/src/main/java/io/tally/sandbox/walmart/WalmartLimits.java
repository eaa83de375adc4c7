package io.tally.sandbox.walmart;

import static io.tally.sandbox.walmart.WalmartSimulator.GET_ALL_ORDERS;
import static io.tally.sandbox.walmart.WalmartSimulator.GET_INVENTORY;
import static io.tally.sandbox.walmart.WalmartSimulator.GET_ORDER;
import static io.tally.sandbox.walmart.WalmartSimulator.UPDATE_INVENTORY;
import static io.tally.sandbox.walmart.WalmartText.key;

import io.tally.sandbox.TokenBucket;
import io.tally.sandbox.walmart.WalmartSimulator.OperationStats;
import io.tally.sandbox.walmart.WalmartSimulator.RateLimit;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-operation, per-seller token buckets (US production limits are unconfirmed; defaults follow the third-party
 * table in channels.md) with the usage headers {@code x-current-token-count} / {@code x-next-replenish-time}
 * (epoch ms), the call counters, and the simulated fault windows. All state is guarded by the store's lock.
 */
final class WalmartLimits {

    /** Whether a call may go on, and the usage headers to send either way. */
    record Admission(boolean ok, Map<String, String> usage) {}

    private final WalmartStore store;
    private final Map<String, RateLimit> limits = new HashMap<>();
    private final Map<String, TokenBucket> buckets = new HashMap<>();
    private final Map<String, long[]> stats = new TreeMap<>();
    private Instant outageUntil;
    private int outageStatus;
    private Instant stormUntil;

    WalmartLimits(WalmartStore store) {
        this.store = store;
        limits.put(GET_ALL_ORDERS, new RateLimit(5000 / 60.0, 5000));
        limits.put(GET_ORDER, new RateLimit(5000 / 60.0, 5000));
        limits.put(UPDATE_INVENTORY, new RateLimit(200 / 60.0, 200));
        limits.put(GET_INVENTORY, new RateLimit(200 / 60.0, 200));
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

    /** Takes a token from the seller's bucket for {@code op} unless a throttle storm runs. Caller holds the lock. */
    Admission admit(String sellerId, String op, Instant now) {
        RateLimit limit = limits.get(op);
        TokenBucket bucket = buckets.computeIfAbsent(
                key(sellerId, op), k -> new TokenBucket(limit.ratePerSecond(), limit.burst(), now));
        boolean storm = stormUntil != null && now.isBefore(stormUntil);
        boolean ok = !storm && bucket.tryTake(now);
        Map<String, String> usage = Map.of(
                "x-current-token-count",
                Long.toString((long) Math.floor(bucket.tokens(now))),
                "x-next-replenish-time",
                Long.toString(now.plus(bucket.untilNextToken(now)).toEpochMilli()));
        return new Admission(ok, usage);
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

    /** Caller holds the lock. */
    void count(String op, boolean throttled) {
        long[] s = stats.computeIfAbsent(op, k -> new long[2]);
        if (throttled) {
            s[1]++;
        } else {
            s[0]++;
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
