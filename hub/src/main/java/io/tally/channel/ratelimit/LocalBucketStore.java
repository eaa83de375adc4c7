package io.tally.channel.ratelimit;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.local.LocalBucketBuilder;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** Buckets in this JVM: each hub paces its own calls (a single hub: {@code tally.rate-limits.store: local}). */
public class LocalBucketStore implements BucketStore {

    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    @Override
    public Bucket bucket(String key, Supplier<BucketConfiguration> configuration) {
        return buckets.computeIfAbsent(key, k -> {
            LocalBucketBuilder builder = Bucket.builder();
            for (Bandwidth bandwidth : configuration.get().getBandwidths()) {
                builder.addLimit(bandwidth);
            }
            return builder.build();
        });
    }
}
