package io.tally.channel.amazon;

import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings shared by every Amazon seller store ({@code tally.amazon.*}); per-store secrets and ids are under
 * {@code tally.stores.<id>.credentials}. Limits that reference/channels.md marks UNCONFIRMED, and the documented
 * defaults Amazon may change per account (dynamic usage plans), are all here.
 *
 * @param lwaUrl              Login with Amazon host; a store's {@code credentials.lwa-url} overrides it
 * @param marketplaceId       default marketplace; a store's {@code credentials.marketplace-id} overrides it
 * @param pollIntervalMs      how often each seller's orders are polled (getOrders refills one token a minute)
 * @param visibilityLagMs     the 2-minute rule: an order changed this recently may not be listed yet, so the cursor
 *                            never passes {@code now - visibilityLag}
 * @param overlapMs           extra re-read before the cursor (clock skew; LastUpdateDate has whole seconds)
 * @param initialLookbackMs   how far back the first poll of a new store reads
 * @param maxResultsPerPage   getOrders page size, 1..100
 * @param fulfillmentChannels getOrders FulfillmentChannels: MFN only by default (FBA stock is Amazon's to count)
 * @param productType         productType sent with a patch when the listing's own type is not known yet
 * @param patchOp             {@code merge} keeps lead_time_to_ship_max_days and restock_date; {@code replace} is the
 *                            older form
 * @param listingProcessingMs a patch is ACCEPTED, then applied asynchronously: a level read within this time of a push
 *                            is not judged (it may not show the push yet)
 * @param tokenRefreshMarginMs an access token is renewed this long before it expires
 * @param timeoutMs           HTTP connect and request timeout
 * @param maxThrottleWaitMs   a call waits at most this long for the operation's client-side token bucket, else it is
 *                            retried later
 * @param rateLimits          per operation (kebab-case name): requests per second and burst, as Amazon's default
 *                            usage plan; lowered at run time to an {@code x-amzn-RateLimit-Limit} Amazon reports
 */
@ConfigurationProperties("tally.amazon")
public record AmazonProperties(
        String lwaUrl,
        String marketplaceId,
        long pollIntervalMs,
        long visibilityLagMs,
        long overlapMs,
        long initialLookbackMs,
        int maxResultsPerPage,
        List<String> fulfillmentChannels,
        String productType,
        String patchOp,
        long listingProcessingMs,
        long tokenRefreshMarginMs,
        long timeoutMs,
        long maxThrottleWaitMs,
        int catalogPageSize,
        Map<String, RateLimit> rateLimits) {

    public static final String GET_ORDERS = "get-orders";
    public static final String GET_ORDER_ITEMS = "get-order-items";
    public static final String PATCH_LISTINGS_ITEM = "patch-listings-item";
    public static final String GET_LISTINGS_ITEM = "get-listings-item";
    public static final String SEARCH_LISTINGS_ITEMS = "search-listings-items";

    static final List<String> OPERATIONS =
            List.of(GET_ORDERS, GET_ORDER_ITEMS, PATCH_LISTINGS_ITEM, GET_LISTINGS_ITEM, SEARCH_LISTINGS_ITEMS);

    public AmazonProperties {
        // Amazon's default usage plan is in config/application.yaml (the one place for defaults); a store file that
        // overrides one operation keeps the others, because Spring merges the maps.
        Map<String, RateLimit> limits = rateLimits == null ? Map.of() : Map.copyOf(rateLimits);
        List<String> missing = OPERATIONS.stream()
                .filter(operation -> !limits.containsKey(operation))
                .toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("tally.amazon.rate-limits lacks " + missing);
        }
        rateLimits = limits;
        if (maxResultsPerPage < 1 || maxResultsPerPage > 100) {
            throw new IllegalArgumentException("tally.amazon.max-results-per-page must be between 1 and 100");
        }
        if (catalogPageSize < 1 || catalogPageSize > 20) {
            throw new IllegalArgumentException("tally.amazon.catalog-page-size must be between 1 and 20");
        }
        if (!patchOp.equals("merge") && !patchOp.equals("replace")) {
            throw new IllegalArgumentException("tally.amazon.patch-op must be merge or replace");
        }
        if (pollIntervalMs < 100) {
            throw new IllegalArgumentException("tally.amazon.poll-interval-ms must be >= 100");
        }
    }

    public RateLimit limit(String operation) {
        return rateLimits.get(operation);
    }

    /** Requests per second and bucket size of one operation. */
    public record RateLimit(double rate, int burst) {
        public RateLimit {
            if (rate <= 0 || burst < 1) {
                throw new IllegalArgumentException("a rate limit needs rate > 0 and burst >= 1");
            }
        }
    }
}
