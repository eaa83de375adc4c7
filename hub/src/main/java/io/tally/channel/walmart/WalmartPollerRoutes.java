package io.tally.channel.walmart;

import io.tally.channel.polling.PollerRouteTemplates;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.stereotype.Component;

/**
 * One orders poller per configured Walmart store: the route template {@code walmart-orders-poller}
 * (routes/channels/walmart-orders.camel.yaml) instantiated as route {@code walmart-orders-poll-<store>} once the
 * YAML routes are loaded. Stores come from configuration, so the routes cannot be listed in YAML.
 */
@Component
public class WalmartPollerRoutes implements CamelContextConfiguration {

    private final WalmartStores stores;

    public WalmartPollerRoutes(WalmartStores stores) {
        this.stores = stores;
    }

    @Override
    public void beforeApplicationStart(CamelContext context) {}

    @Override
    public void afterApplicationStart(CamelContext context) {
        for (String store : stores.ids()) {
            PollerRouteTemplates.addForStore(
                    context,
                    "walmart-orders-poller",
                    store,
                    "walmart-orders-poll-" + store,
                    "walmart-" + store + "-",
                    Map.of());
        }
    }
}
