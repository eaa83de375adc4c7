package io.tally.sandbox.shopify;

import io.tally.sandbox.shopify.Shop.Call;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a shop's Admin GraphQL endpoint meters: its leaky bucket, the injected faults and latency, and the call
 * accounting. Not thread-safe on its own: every method runs under the owning {@link Shop}'s monitor (its
 * {@code synchronized} methods), as it always has, apart from the lock that guards the shop's catalog.
 */
final class ShopApiLimits {

    private final Shop shop;
    private double bucketAvailable;
    private long bucketNanos;
    private long failUntilNanos;
    private int failForStatus;
    private int failNextCount;
    private int failNextStatus;
    private Duration latency = Duration.ZERO;
    private int graphqlCalls;
    private int mutationCalls;
    private int throttledCalls;
    private final List<Call> calls = new ArrayList<>();

    ShopApiLimits(Shop shop) {
        this.shop = shop;
        this.bucketAvailable = shop.settings().bucketSize();
        this.bucketNanos = System.nanoTime();
    }

    // ------------------------------------------------------------------ faults and accounting

    /** Answer every GraphQL request with {@code status} for the given time; nothing changes meanwhile. */
    void failFor(Duration d, int status) {
        failUntilNanos = System.nanoTime() + d.toNanos();
        failForStatus = status;
    }

    /** Answer the next {@code n} GraphQL requests with {@code status}. */
    void failNext(int n, int status) {
        failNextCount = n;
        failNextStatus = status;
    }

    /** Clear injected failures and latency. */
    void recover() {
        failUntilNanos = 0;
        failNextCount = 0;
        latency = Duration.ZERO;
    }

    /** Delay every GraphQL answer by this much. */
    void setLatency(Duration d) {
        latency = d == null ? Duration.ZERO : d;
    }

    Duration latency() {
        return latency;
    }

    /** The status to fail the current request with, or 0. Consumes one {@link #failNext} slot. */
    int injectedFailure() {
        if (failUntilNanos != 0 && System.nanoTime() < failUntilNanos) {
            return failForStatus;
        }
        if (failNextCount > 0) {
            failNextCount--;
            return failNextStatus;
        }
        return 0;
    }

    int graphqlCalls() {
        return graphqlCalls;
    }

    int mutationCalls() {
        return mutationCalls;
    }

    int throttledCalls() {
        return throttledCalls;
    }

    List<Call> calls() {
        return List.copyOf(calls);
    }

    void resetCounters() {
        graphqlCalls = 0;
        mutationCalls = 0;
        throttledCalls = 0;
        calls.clear();
    }

    void record(Call c) {
        graphqlCalls++;
        if (c.mutation()) {
            mutationCalls++;
        }
        if (c.throttled()) {
            throttledCalls++;
        }
        calls.add(c);
    }

    // ------------------------------------------------------------------ leaky bucket
    // Shopify's documented GraphQL bucket (https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits, and
    // https://shopify.dev/docs/api/usage/limits#the-leaky-bucket-algorithm): maximumAvailable points per app and store,
    // refilled continuously at restoreRate points/s; a query's requested cost is charged before it runs (THROTTLED,
    // charged nothing, when the bucket holds less) and the difference to its actual cost is refunded afterwards.

    private void refill() {
        long now = System.nanoTime();
        bucketAvailable = Math.min(
                shop.settings().bucketSize(),
                bucketAvailable + (now - bucketNanos) / 1e9 * shop.settings().restoreRate());
        bucketNanos = now;
    }

    /** Charge {@code cost} up front; false (nothing charged) when the bucket holds less. */
    boolean charge(int cost) {
        refill();
        if (bucketAvailable < cost) {
            return false;
        }
        bucketAvailable -= cost;
        return true;
    }

    void refund(int points) {
        refill();
        bucketAvailable = Math.min(shop.settings().bucketSize(), bucketAvailable + points);
    }

    /** {@code throttleStatus} as Shopify reports it. */
    Map<String, Object> throttleStatus() {
        refill();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("maximumAvailable", shop.settings().bucketSize());
        m.put("currentlyAvailable", Math.floor(bucketAvailable));
        m.put("restoreRate", shop.settings().restoreRate());
        return m;
    }

    /** Fill the bucket (e.g. between tests). */
    void resetBucket() {
        bucketAvailable = shop.settings().bucketSize();
        bucketNanos = System.nanoTime();
    }
}
