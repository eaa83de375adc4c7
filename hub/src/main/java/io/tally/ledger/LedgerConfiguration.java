package io.tally.ledger;

import io.tally.policy.TallyProperties;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class LedgerConfiguration {

    /**
     * Thread pool profile {@code ledgerApplyPool} for the aggregator: batches of different items are applied in
     * parallel; row locks keep batches of one item in order. A profile, not an Executor bean, so Spring Boot
     * still creates its own task executor.
     */
    @Bean
    CamelContextConfiguration ledgerApplyPoolProfile(TallyProperties properties) {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camel) {
                ThreadPoolProfile profile = new ThreadPoolProfile("ledgerApplyPool");
                profile.setPoolSize(properties.ledger().applyThreads());
                profile.setMaxPoolSize(properties.ledger().applyThreads());
                profile.setMaxQueueSize(-1);
                camel.getExecutorServiceManager().registerThreadPoolProfile(profile);
            }

            @Override
            public void afterApplicationStart(CamelContext camel) {}
        };
    }
}
