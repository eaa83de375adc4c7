package io.tally.sandbox.shopify;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How one simulated shop behaves: credentials, the webhook subscription, the GraphQL leaky bucket, its
 * locations and the delivery quirks (retries, duplicates, varying webhook ids) the hub must survive.
 *
 * <p>Defaults follow what Shopify documents (see channels.md §1): Standard plan bucket (100 points/s,
 * 2000 points), 8 retries, 5 s delivery timeout, {@code @idempotent} required (as from API 2026-04).
 * The retry backoff (1 s doubling) is shorter than Shopify's real 4 h schedule, whose intervals are
 * unconfirmed; tests shrink it further.
 *
 * @param accessToken           value the {@code X-Shopify-Access-Token} header must carry
 * @param webhookSecret         the app's client secret: key of the webhook HMAC
 * @param webhookUrl            where webhooks go; null = keep them queued until one is set
 * @param domain                the {@code *.myshopify.com} domain; null = {@code <name>.myshopify.com}
 * @param restoreRate           GraphQL bucket refill, points per second
 * @param bucketSize            GraphQL bucket size ({@code maximumAvailable})
 * @param locations             location names; the first is the primary one
 * @param requireIdempotencyKey whether the two inventory mutations fail without {@code @idempotent(key:)}
 * @param maxRetries            retries after the first failed delivery attempt
 * @param retryBaseDelay        delay before the first retry; doubles on each further retry
 * @param timeout               delivery timeout (whole request)
 * @param duplicateDeliveries   extra copies of every webhook (0 = each delivered once when all goes well)
 * @param webhookIdVaries       whether each retry and duplicate gets a fresh {@code X-Shopify-Webhook-Id}
 */
public record ShopSettings(
        String accessToken,
        String webhookSecret,
        String webhookUrl,
        String domain,
        double restoreRate,
        double bucketSize,
        List<String> locations,
        boolean requireIdempotencyKey,
        int maxRetries,
        Duration retryBaseDelay,
        Duration timeout,
        int duplicateDeliveries,
        boolean webhookIdVaries) {

    public ShopSettings {
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(webhookSecret, "webhookSecret");
        locations = locations == null || locations.isEmpty() ? List.of("Main warehouse") : List.copyOf(locations);
        retryBaseDelay = retryBaseDelay == null ? Duration.ofSeconds(1) : retryBaseDelay;
        timeout = timeout == null ? Duration.ofSeconds(5) : timeout;
        if (restoreRate <= 0 || bucketSize <= 0) {
            throw new IllegalArgumentException("restoreRate and bucketSize must be positive");
        }
        if (maxRetries < 0 || duplicateDeliveries < 0) {
            throw new IllegalArgumentException("maxRetries and duplicateDeliveries must be >= 0");
        }
    }

    /** Settings with every default and the given credentials. */
    public static ShopSettings of(String accessToken, String webhookSecret) {
        return builder().accessToken(accessToken).webhookSecret(webhookSecret).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder preset with the current values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.accessToken = accessToken;
        b.webhookSecret = webhookSecret;
        b.webhookUrl = webhookUrl;
        b.domain = domain;
        b.restoreRate = restoreRate;
        b.bucketSize = bucketSize;
        b.locations = locations;
        b.requireIdempotencyKey = requireIdempotencyKey;
        b.maxRetries = maxRetries;
        b.retryBaseDelay = retryBaseDelay;
        b.timeout = timeout;
        b.duplicateDeliveries = duplicateDeliveries;
        b.webhookIdVaries = webhookIdVaries;
        return b;
    }

    /** Fluent builder; unset values take the documented defaults. */
    public static final class Builder {
        private String accessToken = "shpat_sandbox";
        private String webhookSecret = "sandbox-client-secret";
        private String webhookUrl;
        private String domain;
        private double restoreRate = 100.0;
        private double bucketSize = 2000.0;
        private List<String> locations = List.of("Main warehouse");
        private boolean requireIdempotencyKey = true;
        private int maxRetries = 8;
        private Duration retryBaseDelay = Duration.ofSeconds(1);
        private Duration timeout = Duration.ofSeconds(5);
        private int duplicateDeliveries;
        private boolean webhookIdVaries;

        public Builder accessToken(String v) {
            accessToken = v;
            return this;
        }

        public Builder webhookSecret(String v) {
            webhookSecret = v;
            return this;
        }

        public Builder webhookUrl(String v) {
            webhookUrl = v;
            return this;
        }

        public Builder domain(String v) {
            domain = v;
            return this;
        }

        public Builder restoreRate(double v) {
            restoreRate = v;
            return this;
        }

        public Builder bucketSize(double v) {
            bucketSize = v;
            return this;
        }
        /** Location names, the first being primary. */
        public Builder locations(List<String> v) {
            locations = v;
            return this;
        }

        public Builder requireIdempotencyKey(boolean v) {
            requireIdempotencyKey = v;
            return this;
        }

        public Builder maxRetries(int v) {
            maxRetries = v;
            return this;
        }

        public Builder retryBaseDelay(Duration v) {
            retryBaseDelay = v;
            return this;
        }

        public Builder timeout(Duration v) {
            timeout = v;
            return this;
        }

        public Builder duplicateDeliveries(int v) {
            duplicateDeliveries = v;
            return this;
        }

        public Builder webhookIdVaries(boolean v) {
            webhookIdVaries = v;
            return this;
        }

        public ShopSettings build() {
            return new ShopSettings(
                    accessToken,
                    webhookSecret,
                    webhookUrl,
                    domain,
                    restoreRate,
                    bucketSize,
                    locations,
                    requireIdempotencyKey,
                    maxRetries,
                    retryBaseDelay,
                    timeout,
                    duplicateDeliveries,
                    webhookIdVaries);
        }
    }
}
