package io.tally.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.TallyApplication;
import io.tally.sandbox.amazon.AmazonSimulator;
import io.tally.sandbox.amazon.AmazonSimulator.Line;
import io.tally.sandbox.amazon.AmazonSimulator.OrderStatus;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One hub shared by the Amazon end-to-end tests, connected over real loopback HTTP to the Amazon simulator: LWA
 * tokens, order polling, listing patches and reads all go through SP-API as Amazon serves it. Every store is its own
 * seller (own app authorisation, own listings and rate buckets). Tests use distinct SKUs.
 *
 * <p>Two deliberate departures from Amazon's defaults, so the tests run in seconds: getOrders allows 20 calls a
 * second (Amazon: one a minute, burst 20) and polls run every 300 ms; access tokens live 4 s (Amazon: 3600 s), so the
 * connector renews them many times during the run.
 */
@SpringBootTest(classes = TallyApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class AmazonScenarioBase extends ChannelScenarioBase {

    static final long POLL_MS = 300;

    static final AmazonSimulator AMAZON = new AmazonSimulator();
    /** Store id → its policy keys (besides channel, api-url and credentials). */
    static final Map<String, Map<String, String>> STORES = new LinkedHashMap<>();

    static {
        STORES.put("amz-paid", Map.of());
        STORES.put("amz-created", Map.of("book-on", "created"));
        STORES.put("amz-a", Map.of());
        STORES.put("amz-b", Map.of("safety-stock", "2"));
        STORES.put("amz-revert", Map.of("role", "destination", "adjustments", "revert"));
        STORES.put("amz-faults", Map.of());
        AMAZON.tokenLifetime(Duration.ofSeconds(4)).rateLimit(AmazonSimulator.GET_ORDERS, 20, 20);
        for (String id : STORES.keySet()) {
            AMAZON.addSeller(seller(id), "client-" + id, "secret-" + id, "Atzr|refresh-" + id);
        }
        AMAZON.start();
    }

    @DynamicPropertySource
    static void tallyProperties(DynamicPropertyRegistry r) {
        hubDefaults(r, "amazon", 10);
        r.add("tally.amazon.lwa-url", AMAZON::baseUrl);
        r.add("tally.amazon.poll-interval-ms", () -> String.valueOf(POLL_MS));
        r.add("tally.amazon.visibility-lag-ms", () -> "1000");
        r.add("tally.amazon.overlap-ms", () -> "2000");
        r.add("tally.amazon.initial-lookback-ms", () -> "60000");
        r.add("tally.amazon.listing-processing-ms", () -> "1500");
        r.add("tally.amazon.token-refresh-margin-ms", () -> "1000");
        r.add("tally.amazon.max-throttle-wait-ms", () -> "3000");
        r.add("tally.amazon.rate-limits.get-orders.rate", () -> "20");
        r.add("tally.amazon.rate-limits.get-orders.burst", () -> "20");
        STORES.forEach((id, extra) -> {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("channel", "amazon");
            p.put("api-url", AMAZON.baseUrl());
            p.put("credentials.client-id", "client-" + id);
            p.put("credentials.client-secret", "secret-" + id);
            p.put("credentials.refresh-token", "Atzr|refresh-" + id);
            p.put("credentials.seller-id", seller(id));
            p.put("max-pushes-per-second", "100");
            p.putAll(extra);
            p.forEach((k, v) -> r.add("tally.stores." + id + "." + k, () -> v));
        });
    }

    @Autowired
    JdbcTemplate jdbc;

    @BeforeEach
    void connect() {
        AMAZON.recover();
    }

    static String seller(String store) {
        return "A" + store.toUpperCase().replace("-", "") + "SELLER";
    }

    // ------------------------------------------------------------------ catalog and orders

    /** Creates a listing on the seller's Amazon account and imports it into Tally (a reconciliation). */
    void listing(String store, String sku, int quantity) {
        AMAZON.createListing(seller(store), sku, quantity, new BigDecimal("12.50"));
        reconcile(store);
        eventually(() -> assertThat(api.listing(store, sku))
                .as("listing %s/%s", store, sku)
                .isNotNull());
    }

    JsonNode reconcile(String store) {
        TallyClient.Resp r = api.post("/api/reconcile/" + store, Map.of());
        assertThat(r.status()).as("reconcile %s -> %s", store, r).isEqualTo(200);
        return r.json();
    }

    static String order(String store, OrderStatus status, String sku, int quantity) {
        return AMAZON.placeOrder(seller(store), List.of(new Line(sku, quantity)), status);
    }

    static int amazonQuantity(String store, String sku) {
        return AMAZON.quantity(seller(store), sku);
    }

    static String key(String sku) {
        return sku.toLowerCase();
    }

    @Override
    Duration quietWindow() {
        return Duration.ofMillis(Math.max(3 * SETTLE_MS, 8 * POLL_MS) + 500);
    }

    // ------------------------------------------------------------------ assertions

    /** Amazon shows {@code level} for the SKU and Tally holds the listing in sync at that target. */
    void awaitAmazon(String store, String sku, long level) {
        eventually(() -> {
            assertThat(amazonQuantity(store, sku))
                    .as("Amazon quantity of %s/%s", store, sku)
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

    long inboxEvents(String store) {
        return jdbc.queryForObject("SELECT count(*) FROM inbox_event WHERE store = ?", Long.class, store);
    }

    /** The event's status and outcome code, as "status: CODE" (null when the event is not stored). */
    String inboxOutcomeCode(String store, String eventId) {
        List<String> outcomes = jdbc.queryForList(
                "SELECT status || ': ' || coalesce(outcome_code, '') FROM inbox_event"
                        + " WHERE store = ? AND event_id = ?",
                String.class,
                store,
                eventId);
        return outcomes.isEmpty() ? null : outcomes.get(0);
    }

    String inboxOutcome(String store, String eventId) {
        List<String> outcomes = jdbc.queryForList(
                "SELECT status || ': ' || coalesce(outcome, '') FROM inbox_event" + " WHERE store = ? AND event_id = ?",
                String.class,
                store,
                eventId);
        return outcomes.isEmpty() ? null : outcomes.get(0);
    }
}
