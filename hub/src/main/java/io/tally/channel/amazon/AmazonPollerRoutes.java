package io.tally.channel.amazon;

import io.tally.channel.polling.PollerRouteTemplates;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Stores come from configuration, so the per-seller poller routes cannot be listed in YAML: once Camel has loaded the
 * routes, one route {@code amazon-orders-<store>} is created from the template {@code amazon-orders-poller}
 * (routes/channels/amazon-orders.camel.yaml) for every Amazon store.
 */
@Component
public class AmazonPollerRoutes implements CamelContextConfiguration {

    private static final Logger log = LoggerFactory.getLogger(AmazonPollerRoutes.class);

    private final AmazonStores stores;
    private final AmazonProperties properties;

    public AmazonPollerRoutes(AmazonStores stores, AmazonProperties properties) {
        this.stores = stores;
        this.properties = properties;
    }

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {}

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
        for (String store : stores.ids()) {
            String routeId = "amazon-orders-" + store;
            PollerRouteTemplates.addForStore(
                    camelContext,
                    "amazon-orders-poller",
                    store,
                    routeId,
                    routeId + "-",
                    Map.of("intervalMs", String.valueOf(properties.pollIntervalMs())));
            log.info(
                    "Amazon store {}: orders polled every {} ms by route {}",
                    store,
                    properties.pollIntervalMs(),
                    routeId);
        }
    }
}
