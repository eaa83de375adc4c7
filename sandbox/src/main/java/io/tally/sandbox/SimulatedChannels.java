package io.tally.sandbox;

import io.tally.catalog.Listing;
import io.tally.catalog.ListingRepository;
import io.tally.event.KeyKind;
import io.tally.policy.StoreProperties;
import io.tally.policy.StoreProperties.MatchBy;
import io.tally.policy.TallyProperties;
import io.tally.sandbox.amazon.AmazonSimulator;
import io.tally.sandbox.shopify.Shop;
import io.tally.sandbox.shopify.ShopSettings;
import io.tally.sandbox.shopify.ShopifySimulator;
import io.tally.sandbox.walmart.WalmartSimulator;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The sandbox's channel simulators, and which configured stores each one stands in for: a store is simulated when its
 * {@code api-url} (generic stores: {@code push-url}) points at its channel's simulator, and the simulator takes the
 * store's credentials from its config, so the YAML is the one place they are written.
 *
 * <p>The simulators keep nothing across restarts while the hub keeps its stock in {@code ./data}. So each simulator
 * is seeded with the examples at the level Tally last knew for that listing (the example level on first start): the
 * hub then sees nothing it has not seen, and no phantom stock count.
 */
public class SimulatedChannels {

    private final TallyProperties tally;
    private final ListingRepository listings;
    private final GenericChannelSimulator generic;
    private final ShopifySimulator shopify;
    private final AmazonSimulator amazon;
    private final WalmartSimulator walmart;

    SimulatedChannels(SandboxProperties ports, TallyProperties tally, ListingRepository listings) {
        this.tally = tally;
        this.listings = listings;
        this.generic = new GenericChannelSimulator(ports.channelPort()).start();
        this.shopify = new ShopifySimulator(ports.shopifyPort()).start();
        // A sandbox shows a sale crossing channels in seconds: Amazon's orders feed allows a poll a second here
        // instead of one a minute (config/application-sandbox.yaml polls every 5 s to match).
        this.amazon = new AmazonSimulator(ports.amazonPort())
                .rateLimit(AmazonSimulator.GET_ORDERS, 1, 20)
                .start();
        this.walmart = new WalmartSimulator(ports.walmartPort()).start();
    }

    public GenericChannelSimulator generic() {
        return generic;
    }

    public ShopifySimulator shopify() {
        return shopify;
    }

    public AmazonSimulator amazon() {
        return amazon;
    }

    public WalmartSimulator walmart() {
        return walmart;
    }

    void stop() {
        walmart.stop();
        amazon.stop();
        shopify.stop();
        generic.stop();
    }

    // ------------------------------------------------------------------ which stores are simulated

    /** Store ids (sorted: the Shopify simulator's ids depend on the order shops are seeded) and their config. */
    Map<String, StoreProperties> stores(SimulatedChannel channel) {
        Map<String, StoreProperties> simulated = new TreeMap<>();
        tally.stores().forEach((id, store) -> {
            if (store.isOn(channel.channelName()) && simulates(id, store)) {
                simulated.put(id, store);
            }
        });
        return simulated;
    }

    private boolean simulates(String id, StoreProperties store) {
        SimulatedChannel channel = SimulatedChannel.of(store.channel());
        if (channel == null) {
            return false;
        }
        return switch (channel) {
            case SHOPIFY -> sameUrl(store.apiUrl(), shopify.apiUrl(id));
            case AMAZON -> sameUrl(store.apiUrl(), amazon.baseUrl());
            case WALMART -> sameUrl(store.apiUrl(), walmart.baseUrl());
            case HTTP -> store.pushUrl() != null && store.pushUrl().startsWith(generic.url("/"));
        };
    }

    private static boolean sameUrl(String configured, String simulator) {
        return configured != null && configured.replaceAll("/+$", "").equals(simulator);
    }

    // ------------------------------------------------------------------ seeding

    /** Fills every simulator with its stores' examples. */
    void seed() {
        seedShopify();
        seedGeneric();
        stores(SimulatedChannel.AMAZON).forEach((id, store) -> {
            String seller = credential(id, store, "seller-id");
            amazon.addSeller(
                    seller,
                    credential(id, store, "client-id"),
                    credential(id, store, "client-secret"),
                    credential(id, store, "refresh-token"));
            for (SandboxExamples.Offer offer : SandboxExamples.AMAZON.getOrDefault(id, List.of())) {
                amazon.createListing(seller, offer.sku(), marketplaceLevel(id, offer), new BigDecimal("19.90"));
            }
        });
        stores(SimulatedChannel.WALMART).forEach((id, store) -> {
            String seller = walmartSeller(store);
            walmart.addSeller(seller, credential(id, store, "client-id"), credential(id, store, "client-secret"));
            for (SandboxExamples.Offer offer : SandboxExamples.WALMART.getOrDefault(id, List.of())) {
                walmart.createItem(seller, offer.sku(), marketplaceLevel(id, offer), new BigDecimal("19.90"));
            }
        });
    }

    private void seedShopify() {
        stores(SimulatedChannel.SHOPIFY).forEach((id, store) -> {
            Shop shop = shopify.addShop(
                    id,
                    ShopSettings.builder()
                            .accessToken(credential(id, store, "access-token"))
                            .webhookSecret(credential(id, store, "webhook-secret"))
                            .build());
            for (SandboxExamples.Product product : SandboxExamples.SHOPIFY.getOrDefault(id, List.of())) {
                List<Shop.VariantSpec> variants = new ArrayList<>();
                for (SandboxExamples.Variant v : product.variants()) {
                    variants.add(new Shop.VariantSpec(v.title(), v.sku(), null, shopifyLevel(id, store, v)));
                }
                shop.createProduct(product.title(), product.handle(), tags(product.tag()), variants);
            }
        });
        // Variants got the same ids as on every start (Tally knows them by these); new orders must not.
        shopify.skipIdsTo(System.currentTimeMillis() * 1000);
    }

    /**
     * The generic channel holds what Tally last pushed to it (on first start nothing: Tally pushes the targets). Without
     * this, {@code GET /_sandbox/levels} would be empty after a restart although the stores still hold their levels.
     */
    private void seedGeneric() {
        stores(SimulatedChannel.HTTP).keySet().forEach(id -> {
            for (Listing listing : listings.findByStore(id)) {
                Long held = listing.syncedLevel() != null ? listing.syncedLevel() : listing.lastPushed();
                if (held != null && !listing.hidden()) {
                    generic.seedLevel(id, listing.ref(), (int) Math.max(0, held), listing.targetVersion());
                }
            }
        });
    }

    private List<String> tags(SandboxExamples.Tag tag) {
        return switch (tag) {
            case NONE -> List.of();
            case MASTER -> List.of(tally.masterTag());
            case HIDDEN -> List.of(tally.hiddenTag());
        };
    }

    /** What Tally last knew the variant's item shows in this shop (all its variants show the item's target). */
    private long shopifyLevel(String id, StoreProperties store, SandboxExamples.Variant variant) {
        if (store.matchBy() != MatchBy.SKU) {
            return variant.level();
        }
        return listings.findInStore(id, KeyKind.SKU.normalize(variant.sku())).stream()
                .map(Listing::knownLevel)
                .filter(Objects::nonNull)
                .findFirst()
                .orElse(variant.level());
    }

    /** Marketplace listings are known to Tally by their SKU (the ref). They cannot show less than zero. */
    private int marketplaceLevel(String id, SandboxExamples.Offer offer) {
        return listings.findByRef(id, offer.sku())
                .map(Listing::knownLevel)
                .map(level -> (int) Math.max(0, level))
                .orElse(offer.level());
    }

    /** Current level of a marketplace offer in its simulator, for declaring it to Tally. */
    long offerLevel(String id, StoreProperties store, String sku) {
        return store.isOn(SimulatedChannel.AMAZON.channelName())
                ? amazon.quantity(credential(id, store, "seller-id"), sku)
                : walmart.inventory(walmartSeller(store), sku);
    }

    // ------------------------------------------------------------------ webhooks

    /** Shopify and Walmart deliver their webhooks to the hub's endpoints (contract C3), signed with the store's secret. */
    void connectWebhooks(String hubUrl) {
        stores(SimulatedChannel.SHOPIFY)
                .keySet()
                .forEach(id -> shopify.shop(id).webhookUrl(hubUrl + "/webhooks/shopify/" + id));
        stores(SimulatedChannel.WALMART)
                .forEach((id, store) -> walmart.webhook(
                        walmartSeller(store),
                        hubUrl + "/webhooks/walmart/" + id,
                        credential(id, store, "webhook-secret")));
    }

    private static String walmartSeller(StoreProperties store) {
        return store.credentials().getOrDefault("seller-id", WalmartSimulator.DEFAULT_SELLER_ID);
    }

    private static String credential(String id, StoreProperties store, String key) {
        String value = store.credentials().get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("sandbox store '" + id + "' needs tally.stores." + id + ".credentials."
                    + key + " (the simulator is set up with the store's own credentials)");
        }
        return value;
    }
}
