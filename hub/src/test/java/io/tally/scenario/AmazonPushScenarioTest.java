package io.tally.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.sandbox.amazon.AmazonSimulator;
import io.tally.sandbox.amazon.AmazonSimulator.OrderStatus;
import io.tally.sandbox.amazon.AmazonSimulator.PatchRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Levels pushed to Amazon with patchListingsItem: propagation, rate limit, faults, tokens and reconciliation. */
class AmazonPushScenarioTest extends AmazonScenarioBase {

    @Test
    void aChangeInTallyReachesAmazonWithTheStoresSafetyStock() {
        listing("amz-a", "AP-PUSH", 30);
        awaitOnHand(key("AP-PUSH"), 30);
        listing("amz-b", "AP-PUSH", 30);
        // amz-b holds back 2 units.
        awaitAmazon("amz-b", "AP-PUSH", 28);

        TallyClient.Resp r = api.post(
                "/api/items/" + key("AP-PUSH") + "/adjustments",
                Map.of("delta", -7, "reason", "damaged", "reference", "test"));
        assertThat(r.status()).as("%s", r).isBetween(200, 299);
        awaitAmazon("amz-a", "AP-PUSH", 23);
        awaitAmazon("amz-b", "AP-PUSH", 21);

        PatchRecord last = AMAZON.patches().stream()
                .filter(p -> p.sku().equals("AP-PUSH") && p.sellerId().equals(seller("amz-a")))
                .reduce((a, b) -> b)
                .orElseThrow();
        assertThat(last.submissionStatus()).isEqualTo("ACCEPTED");
        assertThat(last.body())
                .contains("\"fulfillment_channel_code\":\"DEFAULT\"")
                .contains("\"quantity\":23")
                .contains("\"productType\":\"PRODUCT\"")
                .contains("/attributes/fulfillment_availability");
    }

    @Test
    void aSaleOnOneSellerReachesTheOtherAndConcurrentSalesOnBothEndOnTallysCount() {
        listing("amz-a", "AP-TWO", 200);
        awaitOnHand(key("AP-TWO"), 200);
        listing("amz-paid", "AP-TWO", 200);
        awaitAmazon("amz-paid", "AP-TWO", 200);

        // One sale at a time on seller A: time until seller B shows the new level.
        List<Long> millis = new ArrayList<>();
        long expected = 200;
        for (int i = 0; i < 8; i++) {
            long start = System.nanoTime();
            order("amz-a", OrderStatus.Unshipped, "AP-TWO", 1);
            expected--;
            long level = expected;
            eventually(() -> assertThat(amazonQuantity("amz-paid", "AP-TWO")).isEqualTo((int) level));
            millis.add((System.nanoTime() - start) / 1_000_000);
        }
        Collections.sort(millis);
        System.out.printf(
                "Amazon sale on seller A -> seller B quantity: p50 %d ms, max %d ms over %d sales "
                        + "(poll interval %d ms)%n",
                millis.get(millis.size() / 2), millis.get(millis.size() - 1), millis.size(), POLL_MS);

        // Both sellers sell while pushes for the other's sales are under way: an absolute push may overwrite a sale
        // Amazon took before Tally heard of it; Tally pushes again after each of its own orders, so both end right.
        for (int i = 0; i < 20; i++) {
            order("amz-a", OrderStatus.Unshipped, "AP-TWO", 1);
            sleep(i * 37 % 200);
            order("amz-paid", OrderStatus.Unshipped, "AP-TWO", 2);
            sleep(i * 53 % 200);
        }
        long after = expected - 60;
        awaitOnHand(key("AP-TWO"), after);
        awaitAmazon("amz-a", "AP-TWO", after);
        awaitAmazon("amz-paid", "AP-TWO", after);
        staysOnHand(key("AP-TWO"), after);
        awaitAmazon("amz-a", "AP-TWO", after);
        awaitAmazon("amz-paid", "AP-TWO", after);
    }

    @Test
    void pushesStayWithinPatchListingsItemsRateLimit() {
        int n = 25;
        for (int i = 0; i < n; i++) {
            AMAZON.createListing(seller("amz-b"), "AP-RATE-" + i, 50, new java.math.BigDecimal("5.00"));
        }
        reconcile("amz-b");
        for (int i = 0; i < n; i++) {
            String sku = "AP-RATE-" + i;
            eventually(() -> assertThat(api.listing("amz-b", sku)).isNotNull());
        }
        // Seeded at 50, safety stock 2: every listing is pushed to 48 at once.
        long throttledBefore = AMAZON.stats(AmazonSimulator.PATCH_LISTINGS_ITEM).throttled();
        Instant start = Instant.now();
        for (int i = 0; i < n; i++) {
            awaitAmazon("amz-b", "AP-RATE-" + i, 48);
        }
        List<PatchRecord> burst = AMAZON.patches().stream()
                .filter(p -> p.sellerId().equals(seller("amz-b")) && p.sku().startsWith("AP-RATE-"))
                .toList();
        assertThat(burst).hasSizeGreaterThanOrEqualTo(n);
        assertThat(AMAZON.stats(AmazonSimulator.PATCH_LISTINGS_ITEM).throttled())
                .as("429s from patchListingsItem")
                .isEqualTo(throttledBefore);
        // 5 per second after a burst of 4 (Amazon's 5, one kept in reserve): n patches need at least (n - 4) / 5 s.
        Duration span =
                Duration.between(burst.get(0).at(), burst.get(burst.size() - 1).at());
        assertThat(span.toMillis()).isGreaterThanOrEqualTo((n - 4) * 1000L / 5 - 300);
        System.out.printf(
                "Amazon burst: %d patches in %d ms (%.1f/s; limit 5/s, burst 5, Tally uses 4), 0 answered 429; all in "
                        + "sync %d ms after the start%n",
                burst.size(),
                span.toMillis(),
                burst.size() * 1000.0 / Math.max(1, span.toMillis()),
                Duration.between(start, Instant.now()).toMillis());
    }

    @Test
    void aThrottleStormAndAnOutageEndWithEverythingSyncedAndNothingLost() {
        listing("amz-faults", "AP-FAULT-1", 40);
        listing("amz-faults", "AP-FAULT-2", 40);
        awaitOnHand(key("AP-FAULT-1"), 40);
        awaitOnHand(key("AP-FAULT-2"), 40);

        // 429 storm: every SP-API call is throttled for 4 s (longer than the 3 s a call may wait for room) while orders
        // come in and levels change.
        AMAZON.throttleStorm(Duration.ofSeconds(4));
        order("amz-faults", OrderStatus.Unshipped, "AP-FAULT-1", 3);
        api.post("/api/items/" + key("AP-FAULT-2") + "/adjustments", Map.of("delta", -5, "reason", "storm"));
        awaitOnHand(key("AP-FAULT-2"), 35);
        sleep(4500);
        awaitOnHand(key("AP-FAULT-1"), 37);
        awaitAmazon("amz-faults", "AP-FAULT-1", 37);
        awaitAmazon("amz-faults", "AP-FAULT-2", 35);

        // Outage: 503 for 5 s; an order placed during it and a level change are not lost.
        AMAZON.failFor(Duration.ofSeconds(5), 503);
        order("amz-faults", OrderStatus.Unshipped, "AP-FAULT-2", 4);
        api.post("/api/items/" + key("AP-FAULT-1") + "/adjustments", Map.of("delta", 10, "reason", "outage"));
        awaitOnHand(key("AP-FAULT-1"), 47);
        eventually(() -> assertThat(
                        jdbc.queryForObject("SELECT error FROM poll_cursor WHERE store = 'amz-faults'", String.class))
                .contains("503"));
        sleep(5500);
        awaitOnHand(key("AP-FAULT-2"), 31);
        awaitAmazon("amz-faults", "AP-FAULT-1", 47);
        awaitAmazon("amz-faults", "AP-FAULT-2", 31);
        staysOnHand(key("AP-FAULT-1"), 47);
        staysOnHand(key("AP-FAULT-2"), 31);
        assertThat(jdbc.queryForObject("SELECT error FROM poll_cursor WHERE store = 'amz-faults'", String.class))
                .isNull();
        for (JsonNode dl : api.deadLetters()) {
            assertThat(dl.path("store").asText() + " " + dl.path("status").asText())
                    .isNotEqualTo("amz-faults open");
        }
    }

    @Test
    void accessTokensAreRenewedBeforeTheyExpireAndAfterAmazonRefusesOne() {
        listing("amz-a", "AP-TOKEN", 10);
        awaitOnHand(key("AP-TOKEN"), 10);
        long before = AMAZON.stats("lwaToken").calls();
        // Tokens live 4 s and are renewed 1 s before expiry: over 3.5 s of polling, the connector renews them.
        sleep(3500);
        assertThat(AMAZON.stats("lwaToken").calls()).isGreaterThan(before);
        // Amazon forgets every token (revoked): the next calls are refused once, then go through with a new token.
        AMAZON.expireTokens();
        api.post("/api/items/" + key("AP-TOKEN") + "/adjustments", Map.of("delta", -1, "reason", "token"));
        awaitAmazon("amz-a", "AP-TOKEN", 9);
        String id = order("amz-a", OrderStatus.Unshipped, "AP-TOKEN", 2);
        awaitOnHand(key("AP-TOKEN"), 7);
        awaitAmazon("amz-a", "AP-TOKEN", 7);
        assertThat(id).isNotBlank();
    }

    @Test
    void reconciliationCorrectsAnEditMadeOnAmazonByTheStoresPolicy() {
        // A peer store applies an edit in Seller Central to the stock item.
        listing("amz-a", "AP-RECON", 20);
        awaitOnHand(key("AP-RECON"), 20);
        listing("amz-revert", "AP-RECON", 20);
        awaitAmazon("amz-revert", "AP-RECON", 20);
        sleep(1600); // past the listing-processing window of the last pushes
        AMAZON.setQuantity(seller("amz-a"), "AP-RECON", 26);
        JsonNode report = reconcile("amz-a");
        assertThat(report.path("corrections").asInt()).as("%s", report).isEqualTo(1);
        awaitOnHand(key("AP-RECON"), 26);
        awaitAmazon("amz-revert", "AP-RECON", 26);
        awaitAmazon("amz-a", "AP-RECON", 26);

        // A destination store with adjustments: revert gets Tally's level back, the count is unchanged.
        sleep(1600);
        AMAZON.setQuantity(seller("amz-revert"), "AP-RECON", 3);
        report = reconcile("amz-revert");
        assertThat(report.path("corrections").asInt()).as("%s", report).isEqualTo(1);
        awaitAmazon("amz-revert", "AP-RECON", 26);
        staysOnHand(key("AP-RECON"), 26);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
