package io.tally.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.TallyApplication;
import io.tally.sandbox.shopify.Shop;
import io.tally.sandbox.shopify.Shop.Product;
import io.tally.sandbox.shopify.Shop.Variant;
import io.tally.sandbox.shopify.Shop.VariantSpec;
import io.tally.sandbox.shopify.ShopSettings;
import io.tally.sandbox.shopify.ShopifySimulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One hub shared by the Shopify end-to-end tests, connected to simulated Shopify shops over real HTTP on
 * loopback: webhooks signed and delivered by the simulator, pushes through its Admin GraphQL API. Every store
 * is a separate shop with its own token and webhook secret. Tests use distinct SKUs, barcodes and handles.
 */
@SpringBootTest(classes = TallyApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class ShopifyScenarioBase extends ChannelScenarioBase {

    /** Reads wait longer: on a loaded machine the simulator's webhooks lag the orders by a second or two. */
    static final long READ_SETTLE_MS = 4000;
    /** Store {@code pace}'s GraphQL bucket: small, so a backlog of pushes drains in seconds (ShopifyPacingScenarioTest). */
    static final double PACE_BUCKET = 100;

    static final double PACE_RESTORE = 50;

    static final ShopifySimulator SHOPIFY = new ShopifySimulator().start();
    /** Store id → its policy keys (besides channel, api-url and credentials). */
    static final Map<String, Map<String, String>> STORES = new LinkedHashMap<>();

    static {
        STORES.put("sa", Map.of());
        STORES.put("ha", Map.of("match-by", "handle"));
        STORES.put("hb", Map.of("match-by", "handle"));
        STORES.put("bc", Map.of("match-by", "barcode"));
        STORES.put("src", Map.of("role", "source"));
        STORES.put("dst", Map.of("role", "destination"));
        STORES.put("dst-revert", Map.of("role", "destination", "adjustments", "revert"));
        STORES.put("dst-apply", Map.of("role", "destination", "adjustments", "apply"));
        STORES.put("early", Map.of("book-on", "created"));
        STORES.put("ret", Map.of("restock-on", "return"));
        STORES.put("tiny", Map.of());
        STORES.put("flaky", Map.of());
        STORES.put("pace", Map.of());
        STORES.put("lat-a", Map.of("max-pushes-per-second", "50"));
        STORES.put("lat-b", Map.of("max-pushes-per-second", "50"));
        for (String id : STORES.keySet()) {
            ShopSettings.Builder settings = ShopSettings.builder()
                    .accessToken("shpat_" + id)
                    .webhookSecret("secret-" + id)
                    .retryBaseDelay(Duration.ofMillis(200))
                    .timeout(Duration.ofSeconds(3));
            if (id.equals("tiny")) {
                // A tiny bucket: a handful of mutations, then THROTTLED until it refills.
                settings.bucketSize(60).restoreRate(20);
            }
            if (id.equals("pace")) {
                settings.bucketSize(PACE_BUCKET).restoreRate(PACE_RESTORE);
            }
            SHOPIFY.addShop(id, settings.build());
        }
    }

    @DynamicPropertySource
    static void tallyProperties(DynamicPropertyRegistry r) {
        hubDefaults(r, "shopify", 8);
        r.add("tally.ledger.read-settle-ms", () -> String.valueOf(READ_SETTLE_MS));
        r.add("tally.shopify.catalog-page-size", () -> "10");
        r.add("tally.shopify.max-throttle-wait-ms", () -> "20000");
        STORES.forEach((id, extra) -> {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("channel", "shopify");
            p.put("api-url", SHOPIFY.apiUrl(id));
            p.put("credentials.access-token", "shpat_" + id);
            p.put("credentials.webhook-secret", "secret-" + id);
            p.put("max-pushes-per-second", "100");
            p.putAll(extra);
            p.forEach((k, v) -> r.add("tally.stores." + id + "." + k, () -> v));
        });
    }

    @BeforeEach
    void connectShops() {
        for (String id : STORES.keySet()) {
            Shop shop = SHOPIFY.shop(id);
            String url = "http://127.0.0.1:" + port + "/webhooks/shopify/" + id;
            if (!url.equals(shop.webhookUrl())) {
                shop.webhookUrl(url);
            }
        }
    }

    static Shop shop(String id) {
        return SHOPIFY.shop(id);
    }

    // ------------------------------------------------------------------ catalog

    /** Creates a product in a shop and waits until Tally has linked all its variants (products/create → import). */
    Product product(String store, String title, String handle, List<String> tags, VariantSpec... variants) {
        Product product = shop(store).createProduct(title, handle, tags, List.of(variants));
        for (Variant v : product.variants()) {
            eventually(() -> assertThat(api.listing(store, ref(v)))
                    .as("listing %s/%s", store, ref(v))
                    .isNotNull());
        }
        return product;
    }

    static VariantSpec variant(String title, String sku, long available) {
        return new VariantSpec(title, sku, null, available);
    }

    static String ref(Variant v) {
        return String.valueOf(v.id());
    }

    static List<String> tags(String... tags) {
        return new ArrayList<>(List.of(tags));
    }

    @Override
    Duration quietWindow() {
        return Duration.ofMillis(3 * SETTLE_MS + 500);
    }

    // ------------------------------------------------------------------ assertions

    /** Shopify shows {@code level} for the variant and Tally holds the listing in sync at that level. */
    void awaitShopLevel(String store, Variant v, long level) {
        eventually(() -> {
            assertThat(shop(store).available(v.id()))
                    .as(() -> "Shopify level of " + store + "/" + v.sku()
                            + "; Tally listing " + api.listing(store, ref(v)) + "; ledger "
                            + api.ledger(
                                    api.listing(store, ref(v)).path("itemKey").asText()))
                    .isEqualTo(level);
            JsonNode listing = api.listing(store, ref(v));
            assertThat(listing.path("target").asLong())
                    .as("target of %s/%s: %s", store, ref(v), listing)
                    .isEqualTo(level);
            assertThat(listing.path("state").asText())
                    .as("state of %s/%s: %s", store, ref(v), listing)
                    .isEqualTo("in_sync");
        });
    }
}
