package io.tally.sandbox;

import io.tally.catalog.ListingRepository;
import io.tally.dispatch.Dispatch;
import io.tally.ledger.StockItemRepository;
import io.tally.linking.LinkChange;
import io.tally.linking.LinkingService;
import io.tally.linking.ListingDeclaration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;

/**
 * Tally's side of the examples, idempotent (a restart keeps whatever the user did since): the bundles before any
 * catalog is imported, and at start-up the listings of the channels Tally cannot import a catalog from (generic
 * stores, and the Amazon and Walmart offers, which their connectors reconcile by reading known listings). Then it
 * connects the simulators' webhooks to the hub and prints where everything is.
 */
class SandboxSeeder implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(SandboxSeeder.class);

    private final LinkingService catalog;
    private final ListingRepository listings;
    private final StockItemRepository items;
    private final Dispatch dispatch;
    private final SimulatedChannels channels;
    private final CamelContext camel;
    private final Environment environment;

    SandboxSeeder(
            LinkingService catalog,
            ListingRepository listings,
            StockItemRepository items,
            Dispatch dispatch,
            SimulatedChannels channels,
            CamelContext camel,
            Environment environment) {
        this.catalog = catalog;
        this.listings = listings;
        this.items = items;
        this.dispatch = dispatch;
        this.channels = channels;
        this.camel = camel;
        this.environment = environment;
    }

    /**
     * Runs before Camel starts, so before the start-up catalog import: a gift set linked before it is a bundle would
     * become an item with stock of its own, and then could not become a bundle.
     */
    @Override
    public void afterSingletonsInstantiated() {
        SandboxExamples.BUNDLES.forEach((bundle, components) -> {
            if (items.components(bundle).isEmpty()) {
                try {
                    catalog.defineBundle(bundle, components);
                } catch (IllegalStateException e) {
                    log.warn("sandbox: bundle {} not defined: {}", bundle, e.getMessage());
                }
            }
        });
    }

    @EventListener(ApplicationReadyEvent.class)
    void seedAndAnnounce() {
        for (SandboxExamples.GenericListing l : SandboxExamples.GENERIC) {
            if (channels.stores(SimulatedChannel.HTTP).containsKey(l.store())) {
                declare(l.store(), l.ref(), l.sku(), l.master(), l.level());
            }
        }
        Set<SimulatedChannel> connectors = connectors();
        declareOffers(SimulatedChannel.AMAZON, SandboxExamples.AMAZON, connectors);
        declareOffers(SimulatedChannel.WALMART, SandboxExamples.WALMART, connectors);

        String hubUrl = "http://127.0.0.1:" + environment.getProperty("local.server.port", "8080");
        channels.connectWebhooks(hubUrl);
        log.info(new SandboxBanner(channels, connectors, environment).text());
    }

    /**
     * Offers are declared only when this build has the channel's connector: without one, nothing could push to them
     * and they would pile up as dead letters.
     */
    private void declareOffers(
            SimulatedChannel channel,
            Map<String, List<SandboxExamples.Offer>> offers,
            Set<SimulatedChannel> connectors) {
        if (!connectors.contains(channel)) {
            return;
        }
        channels.stores(channel).forEach((id, store) -> {
            for (SandboxExamples.Offer offer : offers.getOrDefault(id, List.of())) {
                declare(id, offer.sku(), offer.sku(), false, channels.offerLevel(id, store, offer.sku()));
            }
        });
    }

    private void declare(String store, String ref, String sku, boolean master, Long level) {
        if (listings.findByRef(store, ref).isPresent()) {
            return;
        }
        LinkChange change = catalog.declareListing(
                store, ref, new ListingDeclaration(sku, null, null, master, false, null, null, null, level));
        dispatch.applyEvents(change.unparked());
        dispatch.push(change.listingsToPush());
    }

    /** Channels this build can push to: each connector provides the route {@code direct:push-<channel>}. */
    private Set<SimulatedChannel> connectors() {
        Set<SimulatedChannel> present = EnumSet.noneOf(SimulatedChannel.class);
        for (Route route : camel.getRoutes()) {
            String from = route.getEndpoint().getEndpointUri().replace("://", ":");
            for (SimulatedChannel channel : SimulatedChannel.values()) {
                if (from.equals("direct:push-" + channel.channelName())) {
                    present.add(channel);
                }
            }
        }
        return present;
    }
}
