package io.tally.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.tally.policy.StoreRegistry;
import io.tally.push.PushEpisodes;
import java.time.Clock;
import java.time.Duration;
import javax.security.auth.login.Configuration;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Operations: the {@code tally} health component, Tally's Prometheus metrics, push counters, and the login Hawtio
 * and Jolokia ask for on the management port (Hawtio's own JAAS authentication, realm {@code hawtio.realm}).
 * Jolokia's access policy is {@link JolokiaAccessPolicy}.
 */
@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
class OpsConfiguration {

    @Bean
    StoreOpsReader storeOpsReader(
            JdbcTemplate jdbc, StoreRegistry stores, @Value("${tally.ops.cache-ms}") long cacheMs) {
        return new StoreOpsReader(jdbc, stores, Duration.ofMillis(cacheMs), Clock.systemUTC());
    }

    @Bean(destroyMethod = "close")
    DatabaseProbe databaseProbe(DataSource dataSource, @Value("${tally.ops.db-timeout-ms}") long timeoutMs) {
        return new DatabaseProbe(dataSource, Duration.ofMillis(timeoutMs), Duration.ofMillis(500), Clock.systemUTC());
    }

    /** Bean name {@code dbHealthIndicator}: replaces Spring Boot's {@code db} component, which waited on the pool. */
    @Bean
    DatabaseHealthIndicator dbHealthIndicator(DatabaseProbe probe) {
        return new DatabaseHealthIndicator(probe);
    }

    /** Bean name {@code tallyHealthIndicator}: the health component is called {@code tally}. */
    @Bean
    TallyHealthIndicator tallyHealthIndicator(StoreOpsReader reader, DatabaseProbe probe) {
        return new TallyHealthIndicator(reader, probe, Clock.systemUTC());
    }

    @Bean
    TallyMetrics tallyMetrics(StoreOpsReader reader) {
        return new TallyMetrics(reader, Clock.systemUTC());
    }

    /** A Camel EventNotifier bean: camel-spring-boot adds it to the context. */
    @Bean
    PushMetricsNotifier pushMetricsNotifier(MeterRegistry registry, PushEpisodes episodes) {
        return new PushMetricsNotifier(registry, episodes);
    }

    /**
     * Installs the JVM-wide JAAS configuration that serves Hawtio's realm. The JAAS configuration is global: the last
     * Tally context started in a JVM wins (only relevant to tests running several contexts).
     */
    @Bean
    OpsCredentials opsCredentials(
            @Value("${tally.ops.user}") String user,
            @Value("${tally.ops.password}") String password,
            @Value("${hawtio.authenticationEnabled:true}") boolean authenticationEnabled,
            @Value("${hawtio.realm:hawtio}") String realm) {
        OpsCredentials credentials = new OpsCredentials(user, password, authenticationEnabled);
        Configuration previous;
        try {
            previous = Configuration.getConfiguration();
        } catch (SecurityException e) {
            previous = null; // no JAAS configuration file: nothing to delegate to
        }
        if (previous instanceof OpsJaasConfiguration ours) {
            previous = ours.previous();
        }
        Configuration.setConfiguration(new OpsJaasConfiguration(realm, credentials, previous));
        return credentials;
    }
}
