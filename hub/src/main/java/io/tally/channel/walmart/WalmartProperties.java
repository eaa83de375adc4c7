package io.tally.channel.walmart;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Walmart connector settings shared by every Walmart store ({@code tally.walmart.*}; per-store keys and secrets are
 * under {@code tally.stores.<id>}). Walmart's US production rate limits are not published; the defaults follow the
 * third-party table in channels.md §3.6 and are meant to be lowered if Walmart answers 429 often.
 *
 * @param serviceName             sent as {@code WM_SVC.NAME} on every call
 * @param timeoutMs               connect and answer timeout of one call
 * @param tokenRefreshMarginMs    a cached access token is renewed this long before it expires (tokens live 900 s)
 * @param pollIntervalMs          how often each store's orders are polled (a backup to the webhooks)
 * @param pollOverlapMs           each poll re-reads this much before the previous poll's start (late indexing, clock
 *                                skew); the inbox dedupes what was already read
 * @param pollWindow              {@code modified} polls by {@code lastModifiedStartDate} (new orders and later
 *                                cancellations), {@code created} by {@code createdStartDate} (new orders only)
 * @param pollPageSize            {@code limit} of one {@code GET /v3/orders} page (at most 200)
 * @param pollMaxPages            pages read in one poll at most; the rest is read by the next poll
 * @param inventoryUpdatesPerMinute client-side pace of {@code PUT /v3/inventory} per store
 * @param inventoryReadsPerMinute client-side pace of {@code GET /v3/inventory} per store (reconciliation)
 * @param orderReadsPerMinute     client-side pace of {@code GET /v3/orders} per store
 * @param maxThrottleWaitMs       a call waits at most this long for room (client-side pace or Walmart's
 *                                {@code x-next-replenish-time}) before it is handed back as retryable
 */
@ConfigurationProperties("tally.walmart")
public record WalmartProperties(
        String serviceName,
        long timeoutMs,
        long tokenRefreshMarginMs,
        long pollIntervalMs,
        long pollOverlapMs,
        String pollWindow,
        int pollPageSize,
        int pollMaxPages,
        double inventoryUpdatesPerMinute,
        double inventoryReadsPerMinute,
        double orderReadsPerMinute,
        long maxThrottleWaitMs) {

    public WalmartProperties {
        if (pollPageSize < 1 || pollPageSize > 200) {
            throw new IllegalArgumentException("tally.walmart.poll-page-size must be between 1 and 200");
        }
        if (!"modified".equals(pollWindow) && !"created".equals(pollWindow)) {
            throw new IllegalArgumentException("tally.walmart.poll-window must be 'modified' or 'created'");
        }
        if (inventoryUpdatesPerMinute <= 0 || inventoryReadsPerMinute <= 0 || orderReadsPerMinute <= 0) {
            throw new IllegalArgumentException("tally.walmart.*-per-minute must be > 0");
        }
        if (pollMaxPages < 1) {
            throw new IllegalArgumentException("tally.walmart.poll-max-pages must be >= 1");
        }
    }
}
