package io.tally.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.TallyApplication;
import io.tally.sandbox.walmart.WalmartSimulator;
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
 * One hub shared by the Walmart end-to-end tests, connected to the Walmart simulator over real HTTP on loopback:
 * tokens from its {@code /v3/token}, pushes by {@code PUT /v3/inventory}, orders read by the per-store poller and
 * event notifications signed with each store's webhook secret. Every store is its own seller account (own API keys
 * and rate-limit buckets). Tokens live only {@link #TOKEN_LIFETIME}, so every test also runs across token renewals.
 * Tests use distinct SKUs.
 */
@SpringBootTest(classes = TallyApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class WalmartScenarioBase extends ChannelScenarioBase {

    static final long POLL_MS = 1000;
    static final Duration TOKEN_LIFETIME = Duration.ofSeconds(4);

    static final WalmartSimulator WALMART = new WalmartSimulator().start();

    /** A Walmart store: its seller on the simulator, and whether the seller's notifications reach Tally. */
    record Store(String seller, String clientId, String clientSecret, boolean webhooks, Map<String, String> extra) {

        String webhookSecret(String id) {
            return "whsec-" + id;
        }
    }

    static final Map<String, Store> STORES = new LinkedHashMap<>();

    static {
        STORES.put(
                "wm",
                new Store(
                        WalmartSimulator.DEFAULT_SELLER_ID,
                        WalmartSimulator.DEFAULT_CLIENT_ID,
                        WalmartSimulator.DEFAULT_CLIENT_SECRET,
                        true,
                        Map.of()));
        // Notifications never reach Tally: only the orders poller learns of its orders.
        STORES.put("wm-quiet", new Store("20000000002", "quiet-client", "quiet-secret", false, Map.of()));
        STORES.put(
                "wm-push", new Store("20000000003", "push-client", "push-secret", true, Map.of("safety-stock", "2")));
        STORES.put("wm-storm", new Store("20000000004", "storm-client", "storm-secret", true, Map.of()));
        // Never gets an order: each of its order searches is answered 404 CONTENT_NOT_FOUND, as Walmart does.
        STORES.put("wm-idle", new Store("20000000005", "idle-client", "idle-secret", false, Map.of()));
        WALMART.tokenLifetime(TOKEN_LIFETIME);
        WALMART.webhookRetryDelays(Duration.ofMillis(300), Duration.ofMillis(1000));
        STORES.forEach((id, s) -> {
            if (!s.seller().equals(WalmartSimulator.DEFAULT_SELLER_ID)) {
                WALMART.addSeller(s.seller(), s.clientId(), s.clientSecret());
            }
        });
    }

    @DynamicPropertySource
    static void tallyProperties(DynamicPropertyRegistry r) {
        hubDefaults(r, "walmart", 8);
        r.add("tally.walmart.poll-interval-ms", () -> String.valueOf(POLL_MS));
        r.add("tally.walmart.poll-overlap-ms", () -> "5000");
        r.add("tally.walmart.token-refresh-margin-ms", () -> "1500");
        r.add("tally.walmart.max-throttle-wait-ms", () -> "3000");
        // The simulator's buckets are the binding limit in these tests (so they can answer 429).
        r.add("tally.walmart.inventory-updates-per-minute", () -> "6000");
        STORES.forEach((id, s) -> {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("channel", "walmart");
            p.put("api-url", WALMART.baseUrl());
            p.put("credentials.client-id", s.clientId());
            p.put("credentials.client-secret", s.clientSecret());
            p.put("credentials.webhook-secret", s.webhookSecret(id));
            p.put("max-pushes-per-second", "100");
            p.putAll(s.extra());
            p.forEach((k, v) -> r.add("tally.stores." + id + "." + k, () -> v));
        });
    }

    @Autowired
    NamedParameterJdbcTemplate jdbc;

    @BeforeEach
    void connectSellers() {
        STORES.forEach(
                (id, s) -> WALMART.webhook(s.seller(), s.webhooks() ? webhookUrl(id) : null, s.webhookSecret(id)));
        // Orders placed before a store's first poll would be outside its window: wait for every poller's start.
        eventually(() -> assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM poll_cursor WHERE feed = 'orders' AND succeeded_at IS NOT NULL",
                        Map.of(),
                        Integer.class))
                .isEqualTo(STORES.size()));
    }

    String webhookUrl(String store) {
        return "http://127.0.0.1:" + port + "/webhooks/walmart/" + store;
    }

    static String seller(String store) {
        return STORES.get(store).seller();
    }

    // ------------------------------------------------------------------ catalog

    /** A Walmart item with {@code quantity} units, declared to Tally as the store's listing (ref = seller SKU). */
    void item(String store, String sku, int quantity) {
        WALMART.createItem(seller(store), sku, quantity, new java.math.BigDecimal("12.50"));
        api.declare(store, sku, Map.of("sku", sku, "level", quantity));
    }

    String placeOrder(String store, WalmartSimulator.Line... lines) {
        return WALMART.placeOrder(seller(store), List.of(lines));
    }

    static WalmartSimulator.Line line(String sku, int quantity) {
        return new WalmartSimulator.Line(sku, quantity);
    }

    @Override
    Duration quietWindow() {
        return Duration.ofMillis(Math.max(2 * POLL_MS, 3 * SETTLE_MS) + 500);
    }

    // ------------------------------------------------------------------ assertions

    /** Walmart shows {@code level} for the SKU and Tally holds the listing in sync at that target. */
    void awaitWalmartLevel(String store, String sku, long level) {
        eventually(() -> {
            assertThat(WALMART.inventory(seller(store), sku))
                    .as("Walmart level of %s/%s", store, sku)
                    .isEqualTo(level);
            JsonNode listing = api.listing(store, sku);
            assertThat(listing.path("target").asLong())
                    .as("target of %s/%s: %s", store, sku, listing)
                    .isEqualTo(level);
            assertThat(listing.path("state").asText())
                    .as("state of %s/%s: %s", store, sku, listing)
                    .isEqualTo("in_sync");
        });
    }
}
