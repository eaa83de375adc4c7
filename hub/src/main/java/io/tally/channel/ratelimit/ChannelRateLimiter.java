package io.tally.channel.ratelimit;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Client-side rate limits of the channel APIs, one {@link TokenBucket} per key (channel, store and operation, e.g.
 * {@code amazon/amz-a/get-orders}), so Tally waits for room instead of collecting 429s. The buckets are Bucket4j's,
 * kept by a {@link BucketStore}: in this hub, or in PostgreSQL when several hubs must share one limit.
 */
@Component
public class ChannelRateLimiter {

    private final BucketStore store;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    public ChannelRateLimiter(BucketStore store) {
        this.store = store;
    }

    /**
     * The bucket of {@code key}; {@code limit} is used only when it is created (later changes go through
     * {@link TokenBucket#reconfigure}). A bucket another replica created keeps the limit it holds.
     */
    public TokenBucket bucket(String key, Limit limit) {
        return buckets.computeIfAbsent(key, k -> {
            Bucket bucket = store.bucket(k, limit::configuration);
            // A shared bucket may already hold another limit (one a channel reported to another replica): that one.
            BucketConfiguration held = bucket.asVerbose().getAvailableTokens().getConfiguration();
            return new TokenBucket(k, bucket, limit.asHeld(held));
        });
    }
}
