package io.tally.channel.polling;

import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;

/**
 * Stores come from configuration, so the per-store poller routes cannot be listed in YAML: once Camel has loaded the
 * routes, each channel creates one route per store from its poller route template (routes/channels).
 */
public final class PollerRouteTemplates {

    private PollerRouteTemplates() {}

    /**
     * Adds the route {@code routeId} from {@code template} with the {@code store} parameter and any others.
     *
     * @param prefixId prefix of the route's step ids, so they stay unique across stores
     */
    public static void addForStore(
            CamelContext context,
            String template,
            String store,
            String routeId,
            String prefixId,
            Map<String, String> parameters) {
        TemplatedRouteBuilder builder = TemplatedRouteBuilder.builder(context, template)
                .routeId(routeId)
                .prefixId(prefixId)
                .parameter("store", store);
        parameters.forEach(builder::parameter);
        builder.add();
    }
}
