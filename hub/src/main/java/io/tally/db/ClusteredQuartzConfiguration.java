package io.tally.db;

import javax.sql.DataSource;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.spi.ComponentCustomizer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The quartz: routes (jobs, pollers) run on Quartz's clustered JDBC job store in the hub's own PostgreSQL (tables
 * QRTZ_*, migration V8), so with several replicas on one database each trigger fires on one of them, and the
 * triggers of a replica that stops checking in are taken over by the others.
 */
@Configuration(proxyBeanMethods = false)
class ClusteredQuartzConfiguration {

    @Bean
    ComponentCustomizer clusteredQuartzScheduler(
            DataSource dataSource, @Value("${tally.cluster.checkin-interval-ms}") long checkinIntervalMs) {
        return ComponentCustomizer.forType(
                QuartzComponent.class,
                quartz -> quartz.setSchedulerFactory(
                        new ClusteredSchedulerFactory(dataSource, checkinIntervalMs, quartz::getCamelContext)));
    }
}
