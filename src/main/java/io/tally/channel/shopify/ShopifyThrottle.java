package io.tally.channel.shopify;

/**
 * Client-side picture of one store's GraphQL cost bucket, fed from the {@code throttleStatus} Shopify returns with
 * every answer: calls wait for the points they need instead of being throttled (Shopify may lower limits at any
 * time, so the figures always come from the last answer, never from configuration).
 */
final class ShopifyThrottle {

    private double available = Double.NaN;
    private double maximum = Double.NaN;
    private double restoreRate = Double.NaN;
    private long observedAtNanos;

    /** @return how long to wait before a call of this cost can go (0 = now); unknown bucket → go and learn */
    synchronized long waitMillisFor(double cost) {
        if (Double.isNaN(available)) {
            return 0;
        }
        double now = estimate();
        // A call can never need more than a full bucket (Shopify may have shrunk it): wait for a full one at most.
        cost = Math.min(cost, maximum);
        if (now >= cost) {
            available = now - cost;  // reserve, so concurrent callers queue behind each other
            observedAtNanos = System.nanoTime();
            return 0;
        }
        return (long) Math.ceil((cost - now) / restoreRate * 1000.0);
    }

    synchronized void observe(double currentlyAvailable, double maximumAvailable, double restore) {
        available = currentlyAvailable;
        maximum = maximumAvailable;
        restoreRate = restore > 0 ? restore : 1;
        observedAtNanos = System.nanoTime();
    }

    private double estimate() {
        double elapsed = (System.nanoTime() - observedAtNanos) / 1e9;
        return Math.min(maximum, available + elapsed * restoreRate);
    }

    synchronized String describe() {
        return Double.isNaN(available) ? "unknown" : String.format("%.0f/%.0f points, +%.0f/s", estimate(), maximum,
                restoreRate);
    }
}
