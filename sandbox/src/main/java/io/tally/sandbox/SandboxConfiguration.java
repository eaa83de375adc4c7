package io.tally.sandbox;

import io.tally.catalog.ListingRepository;
import io.tally.dispatch.Dispatch;
import io.tally.ledger.StockItemRepository;
import io.tally.linking.LinkingService;
import io.tally.policy.TallyProperties;
import org.apache.camel.CamelContext;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The sandbox (profile {@code sandbox}, README "Set-up"): Shopify (one simulated shop per Shopify store), Amazon,
 * Walmart and generic-channel simulators on fixed loopback ports ({@code tally.sandbox.*}), seeded with design.md §1's
 * examples, their webhooks delivered to the hub. The stores themselves are ordinary config
 * ({@code config/application-sandbox.yaml}). Off in production.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "tally.sandbox.enabled", havingValue = "true")
public class SandboxConfiguration {

    /** Started and seeded while the context is built, so before Camel's start-up catalog import reads them. */
    @Bean(destroyMethod = "stop")
    SimulatedChannels sandboxChannels(SandboxProperties ports, TallyProperties tally, ListingRepository listings) {
        SimulatedChannels channels = new SimulatedChannels(ports, tally, listings);
        channels.seed();
        return channels;
    }

    @Bean
    SandboxSeeder sandboxSeeder(
            LinkingService catalog,
            ListingRepository listings,
            StockItemRepository items,
            Dispatch dispatch,
            SimulatedChannels channels,
            CamelContext camel,
            Environment environment) {
        return new SandboxSeeder(catalog, listings, items, dispatch, channels, camel, environment);
    }
}
