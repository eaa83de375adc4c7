package io.tally.channel.ratelimit;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import java.util.function.Supplier;

/**
 * Where the client-side buckets live: in this hub ({@link LocalBucketStore}) or in PostgreSQL for all replicas
 * ({@link DatabaseBucketStore}); a Bucket4j {@link Bucket} either way, so nothing above this interface changes.
 */
public interface BucketStore {

    /**
     * The bucket of {@code key}, created from {@code configuration} when it does not exist yet.
     */
    Bucket bucket(String key, Supplier<BucketConfiguration> configuration);
}
