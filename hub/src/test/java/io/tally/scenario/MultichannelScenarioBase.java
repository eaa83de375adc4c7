package io.tally.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.TallyApplication;
import io.tally.sandbox.GenericChannelSimulator;
import io.tally.sandbox.amazon.AmazonSimulator;
import io.tally.sandbox.shopify.Shop;
import io.tally.sandbox.shopify.Shop.LineSpec;
import io.tally.sandbox.shopify.Shop.Order;
import io.tally.sandbox.shopify.Shop.Variant;
import io.tally.sandbox.shopify.Shop.VariantSpec;
import io.tally.sandbox.shopify.ShopSettings;
import io.tally.sandbox.shopify.ShopifySimulator;
import io.tally.sandbox.walmart.WalmartSimulator;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One hub shared by the multichannel end-to-end tests (design.md §1, last row; issue 4 item 4): one Shopify shop,
 * one Amazon seller and one Walmart seller, each a simulator on loopback spoken to over real HTTP exactly as the
 * per-channel scenario bases do (signed Shopify webhooks and Admin GraphQL; LWA + SP-API polling and
 * patchListingsItem; Walmart tokens, PO_CREATED notifications, the orders poller and PUT /v3/inventory). A generic
 * {@code http} store ({@link #ERP}) is there for cheap bursts through {@code POST /api/events}.
 *
 * <p>Every store holds back its own safety stock ({@link #SHOP_SAFETY}, {@link #AMZ_SAFETY}, {@link #WM_SAFETY}), so
 * a listing's target is on-hand minus its store's safety stock, never below 0.
 *
 * <p>Push limits are the channels' real ones where they are documented: Amazon patchListingsItem 5/s (burst 5, also
 * enforced by the simulator), Walmart inventory updates 200 a minute (client-side pace; the simulator's bucket is the
 * same), Shopify 20 pushes a second per store over the simulator's Standard-plan GraphQL bucket. Two departures, so
 * the tests run in seconds: Amazon's getOrders allows 20 calls a second (Amazon: one a minute, burst 20) and the hub
 * polls it every {@link #AMZ_POLL_MS} ms (production default: 60 s); the Walmart orders poller (the webhooks' backup)
 * runs every {@link #WM_POLL_MS} ms. Tests use distinct SKUs.
 */
@SpringBootTest(classes = TallyApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// Prometheus on the management port, as in production (PushResultMetricsScenarioTest scrapes it); one context for all.
@org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability(tracing = false)
abstract class MultichannelScenarioBase extends ChannelScenarioBase {

    static final long AMZ_POLL_MS = 1000;
    static final long WM_POLL_MS = 1000;

    static final String SHOP = "mc-shop";
    static final String AMZ = "mc-amz";
    static final String WM = "mc-wm";
    static final String ERP = "mc-erp";

    static final int SHOP_SAFETY = 1;
    static final int AMZ_SAFETY = 2;
    static final int WM_SAFETY = 3;

    static final int SHOP_PUSHES_PER_SECOND = 20;
    static final int AMZ_PUSHES_PER_SECOND = 5;
    static final int WM_PUSHES_PER_SECOND = 3;
    static final int WM_UPDATES_PER_MINUTE = 200;
    static final int ERP_PUSHES_PER_SECOND = 20;

    static final String AMZ_SELLER = "AMCSELLER";
    static final String WM_SELLER = "30000000001";
    static final String WM_CLIENT = "mc-wm-client";
    static final String WM_SECRET = "mc-wm-secret";
    static final String WM_WEBHOOK_SECRET = "whsec-mc-wm";

    static final ShopifySimulator SHOPIFY = new ShopifySimulator().start();
    static final AmazonSimulator AMAZON = new AmazonSimulator();
    static final WalmartSimulator WALMART = new WalmartSimulator();
    static final GenericChannelSimulator ERP_SIM = new GenericChannelSimulator().start();

    static {
        SHOPIFY.addShop(
                SHOP,
                ShopSettings.builder()
                        .accessToken("shpat_" + SHOP)
                        .webhookSecret("secret-" + SHOP)
                        .retryBaseDelay(Duration.ofMillis(200))
                        .timeout(Duration.ofSeconds(3))
                        .build());

        AMAZON.rateLimit(AmazonSimulator.GET_ORDERS, 20, 20);
        AMAZON.addSeller(AMZ_SELLER, "client-" + AMZ, "secret-" + AMZ, "Atzr|refresh-" + AMZ);
        AMAZON.start();

        WALMART.webhookRetryDelays(Duration.ofMillis(300), Duration.ofMillis(1000));
        WALMART.addSeller(WM_SELLER, WM_CLIENT, WM_SECRET);
        WALMART.start();
    }

    @DynamicPropertySource
    static void tallyProperties(DynamicPropertyRegistry r) {
        hubDefaults(r, "multichannel", 8);
        r.add("tally.ledger.read-settle-ms", () -> "4000");
        // Shopify
        r.add("tally.shopify.catalog-page-size", () -> "10");
        r.add("tally.shopify.max-throttle-wait-ms", () -> "20000");
        // Amazon
        r.add("tally.amazon.lwa-url", AMAZON::baseUrl);
        r.add("tally.amazon.poll-interval-ms", () -> String.valueOf(AMZ_POLL_MS));
        r.add("tally.amazon.visibility-lag-ms", () -> "1000");
        r.add("tally.amazon.overlap-ms", () -> "3000");
        r.add("tally.amazon.initial-lookback-ms", () -> "60000");
        r.add("tally.amazon.listing-processing-ms", () -> "1500");
        r.add("tally.amazon.max-throttle-wait-ms", () -> "3000");
        r.add("tally.amazon.rate-limits.get-orders.rate", () -> "20");
        r.add("tally.amazon.rate-limits.get-orders.burst", () -> "20");
        // Walmart
        r.add("tally.walmart.poll-interval-ms", () -> String.valueOf(WM_POLL_MS));
        r.add("tally.walmart.poll-overlap-ms", () -> "5000");
        r.add("tally.walmart.max-throttle-wait-ms", () -> "3000");
        r.add("tally.walmart.inventory-updates-per-minute", () -> String.valueOf(WM_UPDATES_PER_MINUTE));

        Map<String, Map<String, String>> stores = new LinkedHashMap<>();
        stores.put(
                SHOP,
                Map.of(
                        "channel",
                        "shopify",
                        "api-url",
                        SHOPIFY.apiUrl(SHOP),
                        "credentials.access-token",
                        "shpat_" + SHOP,
                        "credentials.webhook-secret",
                        "secret-" + SHOP,
                        "safety-stock",
                        String.valueOf(SHOP_SAFETY),
                        "max-pushes-per-second",
                        String.valueOf(SHOP_PUSHES_PER_SECOND)));
        stores.put(
                AMZ,
                Map.of(
                        "channel",
                        "amazon",
                        "api-url",
                        AMAZON.baseUrl(),
                        "credentials.client-id",
                        "client-" + AMZ,
                        "credentials.client-secret",
                        "secret-" + AMZ,
                        "credentials.refresh-token",
                        "Atzr|refresh-" + AMZ,
                        "credentials.seller-id",
                        AMZ_SELLER,
                        "safety-stock",
                        String.valueOf(AMZ_SAFETY),
                        "max-pushes-per-second",
                        String.valueOf(AMZ_PUSHES_PER_SECOND)));
        stores.put(
                WM,
                Map.of(
                        "channel",
                        "walmart",
                        "api-url",
                        WALMART.baseUrl(),
                        "credentials.client-id",
                        WM_CLIENT,
                        "credentials.client-secret",
                        WM_SECRET,
                        "credentials.webhook-secret",
                        WM_WEBHOOK_SECRET,
                        "safety-stock",
                        String.valueOf(WM_SAFETY),
                        "max-pushes-per-second",
                        String.valueOf(WM_PUSHES_PER_SECOND)));
        stores.put(
                ERP,
                Map.of(
                        "channel", "http",
                        "push-url", ERP_SIM.url("/push"),
                        "max-pushes-per-second", String.valueOf(ERP_PUSHES_PER_SECOND)));
        stores.forEach((id, p) -> p.forEach((k, v) -> r.add("tally.stores." + id + "." + k, () -> v)));
    }

    @Autowired
    NamedParameterJdbcTemplate jdbc;

    @BeforeEach
    void connectChannels() {
        String shopHook = "http://127.0.0.1:" + port + "/webhooks/shopify/" + SHOP;
        if (!shopHook.equals(shop().webhookUrl())) {
            shop().webhookUrl(shopHook);
        }
        WALMART.webhook(WM_SELLER, "http://127.0.0.1:" + port + "/webhooks/walmart/" + WM, WM_WEBHOOK_SECRET);
        AMAZON.recover();
        WALMART.recover();
        shop().recover();
        // Orders placed before a poller's first successful poll could fall outside its first window.
        eventually(() -> assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM poll_cursor WHERE feed = 'orders'" + " AND store IN ('" + AMZ + "', '"
                                + WM + "') AND succeeded_at IS NOT NULL",
                        Map.of(),
                        Integer.class))
                .isEqualTo(2));
    }

    static Shop shop() {
        return SHOPIFY.shop(SHOP);
    }

    // ------------------------------------------------------------------ catalog

    /** A Shopify product with one variant; waits until Tally has imported it as a listing. */
    Variant shopifyProduct(String sku, long available) {
        Shop.Product p = shop().createProduct(
                        "Product " + sku,
                        sku.toLowerCase(),
                        new java.util.ArrayList<>(),
                        List.of(new VariantSpec("Default", sku, null, available)));
        Variant v = p.variants().get(0);
        eventually(() -> assertThat(api.listing(SHOP, ref(v)))
                .as("listing %s/%s", SHOP, sku)
                .isNotNull());
        return v;
    }

    /** An Amazon listing, imported into Tally by a reconciliation (searchListingsItems). */
    void amazonListing(String sku, int quantity) {
        AMAZON.createListing(AMZ_SELLER, sku, quantity, new BigDecimal("12.50"));
        TallyClient.Resp r = api.post("/api/reconcile/" + AMZ, Map.of());
        assertThat(r.status()).as("reconcile %s -> %s", AMZ, r).isEqualTo(200);
        eventually(() ->
                assertThat(api.listing(AMZ, sku)).as("listing %s/%s", AMZ, sku).isNotNull());
    }

    /** A Walmart item, declared to Tally as the store's listing (Walmart has no catalog import: docs/walmart.md). */
    void walmartItem(String sku, int quantity, boolean declareLevel) {
        WALMART.createItem(WM_SELLER, sku, quantity, new BigDecimal("12.50"));
        api.declare(WM, sku, declareLevel ? Map.of("sku", sku, "level", quantity) : Map.of("sku", sku));
    }

    /**
     * One SKU on the three channels, all starting at {@code initial}: the Shopify listing is linked first and seeds
     * on-hand; the Amazon and Walmart listings link to the same item and are overwritten with their targets.
     */
    Variant listEverywhere(String sku, int initial) {
        Variant v = shopifyProduct(sku, initial);
        awaitOnHand(key(sku), initial);
        amazonListing(sku, initial);
        walmartItem(sku, initial, true);
        awaitEverywhere(sku, v, initial);
        assertThat(api.onHand(key(sku)))
                .as("linking more listings does not move on-hand")
                .isEqualTo(initial);
        return v;
    }

    static String ref(Variant v) {
        return String.valueOf(v.id());
    }

    static String key(String sku) {
        return sku.toLowerCase();
    }

    static long target(long onHand, int safety) {
        return Math.max(0, onHand - safety);
    }

    // ------------------------------------------------------------------ sales

    Order sellOnShopify(Variant v, int quantity) {
        return shop().placeOrder(List.of(new LineSpec(v.id(), quantity)), true);
    }

    static String sellOnAmazon(String sku, int quantity) {
        return AMAZON.placeOrder(
                AMZ_SELLER, List.of(new AmazonSimulator.Line(sku, quantity)), AmazonSimulator.OrderStatus.Unshipped);
    }

    static String sellOnWalmart(String sku, int quantity) {
        return WALMART.placeOrder(WM_SELLER, List.of(new WalmartSimulator.Line(sku, quantity)));
    }

    // ------------------------------------------------------------------ levels on the channels

    static long shopifyLevel(Variant v) {
        return shop().available(v.id());
    }

    static long amazonLevel(String sku) {
        return AMAZON.quantity(AMZ_SELLER, sku);
    }

    static long walmartLevel(String sku) {
        return WALMART.inventory(WM_SELLER, sku);
    }

    @Override
    Duration quietWindow() {
        return Duration.ofMillis(Math.max(3 * SETTLE_MS, 3 * Math.max(AMZ_POLL_MS, WM_POLL_MS)) + 500);
    }

    // ------------------------------------------------------------------ assertions

    /** The channel shows {@code level} and Tally holds the listing in sync at that target. */
    void awaitListing(String store, String ref, java.util.function.LongSupplier channelLevel, long level) {
        eventually(() -> {
            assertThat(channelLevel.getAsLong())
                    .as(() -> "level on " + store + "/" + ref + "; Tally listing " + api.listing(store, ref))
                    .isEqualTo(level);
            JsonNode listing = api.listing(store, ref);
            assertThat(listing.path("target").asLong())
                    .as("target of %s/%s: %s", store, ref, listing)
                    .isEqualTo(level);
            assertThat(listing.path("state").asText())
                    .as("state of %s/%s: %s", store, ref, listing)
                    .isEqualTo("in_sync");
        });
    }

    /** Every channel shows its own target for an item whose level (on-hand, or sets for a bundle) is {@code level}. */
    void awaitEverywhere(String sku, Variant v, long level) {
        awaitListing(SHOP, ref(v), () -> shopifyLevel(v), target(level, SHOP_SAFETY));
        awaitListing(AMZ, sku, () -> amazonLevel(sku), target(level, AMZ_SAFETY));
        awaitListing(WM, sku, () -> walmartLevel(sku), target(level, WM_SAFETY));
    }

    /** Sale entries of an item per store: store → sum of deltas. */
    Map<String, Long> salesByStore(String key) {
        Map<String, Long> out = new java.util.TreeMap<>();
        for (JsonNode e : api.ledger(key)) {
            if ("sale".equals(e.path("kind").asText())) {
                out.merge(e.path("store").asText(), e.path("delta").asLong(), Long::sum);
            }
        }
        return out;
    }

    void assertNoOpenDeadLetters() {
        assertThat(api.deadLetters())
                .as("open dead letters")
                .noneMatch(d -> "open".equals(d.path("status").asText()));
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
