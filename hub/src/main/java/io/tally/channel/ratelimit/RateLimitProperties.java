package io.tally.channel.ratelimit;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the channels' rate-limit buckets live ({@code tally.rate-limits.*}).
 *
 * @param store {@code database}: in PostgreSQL, one bucket per key for every hub replica (what a cluster needs, or
 *              the replicas together exceed each channel's quota); {@code local}: in this JVM, which is enough for a
 *              single hub and spares one database transaction per API call
 */
@ConfigurationProperties("tally.rate-limits")
public record RateLimitProperties(Store store) {

    public enum Store {
        LOCAL,
        DATABASE
    }

    public RateLimitProperties {
        if (store == null) {
            throw new IllegalArgumentException("tally.rate-limits.store must be local or database");
        }
    }
}
