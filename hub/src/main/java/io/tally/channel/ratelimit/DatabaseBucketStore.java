package io.tally.channel.ratelimit;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Buckets in PostgreSQL (table {@code rate_limit_bucket}), so that all hub replicas draw on one bucket per key and
 * together stay within each channel's quota.
 *
 * <p>Bucket4j's own PostgreSQL integration does the work: every operation on a bucket (take, refund, set the tokens,
 * replace the configuration) is one transaction that locks the row ({@code SELECT ... FOR UPDATE}), applies the
 * operation to the stored state and writes it back, so what one replica learns from a channel (a 429, a lower rate,
 * Shopify's throttle status) holds for all of them. A waiting reservation sleeps in the JVM, holding no connection.
 * Time is each replica's clock: the replicas need NTP, as any cluster does.
 */
public class DatabaseBucketStore implements BucketStore {

    static final String TABLE = "rate_limit_bucket";

    private final ProxyManager<String> buckets;
    private final JdbcTemplate jdbc;

    public DatabaseBucketStore(DataSource dataSource) {
        this.buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table(TABLE)
                .build();
        this.jdbc = new JdbcTemplate(dataSource);
    }

    @Override
    public Bucket bucket(String key, Supplier<BucketConfiguration> configuration) {
        return buckets.builder().build(key, configuration);
    }

    /**
     * Drops the bucket of {@code key} for every replica; the next use creates it from the configured limit (e.g. to
     * give up a rate a channel once lowered, which the shared row otherwise keeps across restarts).
     */
    public void forget(String key) {
        jdbc.update("DELETE FROM rate_limit_bucket WHERE id = ?", key);
    }
}
