package io.tally.sandbox;



import io.tally.catalog.CatalogService;
import io.tally.catalog.ListingDeclaration;
import io.tally.catalog.ListingRepository;
import io.tally.policy.StoreRegistry;
import io.tally.support.Dispatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;

/**
 * The sandbox (profile {@code sandbox}): a simulated generic channel on loopback that the sandbox stores push to,
 * and the examples of design.md §1 declared on first start. Off in production.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "tally.sandbox.enabled", havingValue = "true")
public class SandboxConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SandboxConfiguration.class);

    @Bean(destroyMethod = "stop")
    GenericChannelSimulator sandboxChannel(@Value("${tally.sandbox.channel-port:9901}") int port) {
        return new GenericChannelSimulator(port).start();
    }

    @Bean
    SandboxSeeder sandboxSeeder(CatalogService catalog, ListingRepository listings, StoreRegistry stores,
            Dispatch dispatch, GenericChannelSimulator channel, Environment environment) {
        return new SandboxSeeder(catalog, listings, stores, dispatch, channel, environment);
    }

    /** Declares the example listings once (a restart keeps whatever the user did since) and prints where things are. */
    static class SandboxSeeder {
        private final CatalogService catalog;
        private final ListingRepository listings;
        private final StoreRegistry stores;
        private final Dispatch dispatch;
        private final GenericChannelSimulator channel;
        private final Environment environment;

        SandboxSeeder(CatalogService catalog, ListingRepository listings, StoreRegistry stores, Dispatch dispatch,
                GenericChannelSimulator channel, Environment environment) {
            this.catalog = catalog;
            this.listings = listings;
            this.stores = stores;
            this.dispatch = dispatch;
            this.channel = channel;
            this.environment = environment;
        }

        @EventListener(ApplicationReadyEvent.class)
        void seedAndAnnounce() {
            if (stores.find("shop-a").isPresent() && stores.find("shop-b").isPresent()) {
                // Master product: the blank carries the stock, prints share its SKU.
                declare("shop-a", "grey-tshirt-blank", sku("grey-md-tshirt", true, 3000L));
                declare("shop-a", "grey-tshirt-cat", sku("grey-md-tshirt", false, null));
                declare("shop-a", "grey-tshirt-dog", sku("grey-md-tshirt", false, null));
                declare("shop-a", "grey-tshirt-bird", sku("grey-md-tshirt", false, null));
                // Shared SKU without a master: three shirts, 10 each.
                declare("shop-a", "cat-shirt", sku("shared-sku", false, 10L));
                declare("shop-a", "dog-shirt", sku("shared-sku", false, 10L));
                declare("shop-a", "bird-shirt", sku("shared-sku", false, 10L));
                // Two stores selling the same jacket.
                declare("shop-a", "slim-fit-denim-jacket", sku("slim-fit-denim-jacket", false, 50L));
                declare("shop-b", "slim-fit-denim-jacket", sku("slim-fit-denim-jacket", false, 50L));
                // A bundle and its components.
                declare("shop-a", "mug", sku("mug", false, 40L));
                declare("shop-a", "tea", sku("tea", false, 100L));
                if (listings.findByRef("shop-a", "gift-set").isEmpty()) {
                    dispatch.push(catalog.defineBundle("gift-set", java.util.Map.of("mug", 1, "tea", 2)));
                }
                declare("shop-a", "gift-set", sku("gift-set", false, null));
                declare("shop-b", "gift-set", sku("gift-set", false, null));
            }
            String port = environment.getProperty("local.server.port", "8080");
            String managementPort = environment.getProperty("local.management.port",
                    environment.getProperty("management.server.port", port));
            String token = environment.getProperty("tally.admin-token");
            log.info("""

                    ==================== Tally sandbox ====================
                    Hub API          http://localhost:{}/api/items
                    Status page      http://localhost:{}/status/#token={}
                    Hawtio console   http://localhost:{}/actuator/hawtio/  (health: /actuator/health)
                    Admin token      {}
                    Sandbox channel  {} (stores {}; levels at {})
                    PostgreSQL       embedded, data in {}
                    =======================================================""",
                    port, port, token, managementPort, token, channel.url("/push"), stores.all().keySet(),
                    channel.url("/_sandbox/levels"), environment.getProperty("tally.embedded-db.data-dir"));
        }

        private void declare(String store, String ref, ListingDeclaration declaration) {
            if (listings.findByRef(store, ref).isPresent()) {
                return;
            }
            var change = catalog.declareListing(store, ref, declaration);
            dispatch.applyEvents(change.unparked());
            dispatch.push(change.listingsToPush());
        }

        private static ListingDeclaration sku(String sku, boolean master, Long level) {
            return new ListingDeclaration(sku, null, null, master, false, null, null, null, level);
        }
    }

}
