package io.tally.channel.ratelimit;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import java.util.function.Supplier;

/**
 * Where the client-side buckets live. Today each hub keeps its own ({@link LocalBucketStore}); for limits shared by
 * several hubs, an implementation can hand out Bucket4j proxies of buckets kept in PostgreSQL
 * ({@code PostgreSQLadvisoryLockBasedProxyManager.builder().build(key, configuration)} returns a {@link Bucket} too),
 * and nothing above this interface changes.
 */
public interface BucketStore {

    /**
     * The bucket of {@code key}, created from {@code configuration} when it does not exist yet.
     */
    Bucket bucket(String key, Supplier<BucketConfiguration> configuration);
}
