package io.tally.channel.ratelimit;

import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Picks the {@link BucketStore} named by {@code tally.rate-limits.store}. */
@Configuration(proxyBeanMethods = false)
class RateLimitStoreConfiguration {

    @Bean
    BucketStore bucketStore(RateLimitProperties properties, ObjectProvider<DataSource> dataSource) {
        return switch (properties.store()) {
            case LOCAL -> new LocalBucketStore();
            case DATABASE -> new DatabaseBucketStore(dataSource.getObject());
        };
    }
}
