package io.tally.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.tally.sandbox.walmart.WalmartSimulator;
import io.tally.sandbox.walmart.WalmartSimulator.InventoryUpdate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Tally → Walmart: PUT /v3/inventory reaches Walmart, through 429s, storms and token renewals; reconciliation. */
class WalmartPushScenarioTest extends WalmartScenarioBase {

    @Autowired
    MeterRegistry meters;

    @Test
    void anAdjustmentReachesWalmartHoldingBackTheSafetyStock() {
        item("wm-push", "WM-JAR-U1", 50);
        awaitOnHand("wm-jar-u1", 50);
        // wm-push holds back 2: the declared level seeds on-hand, the target is 48 and is pushed.
        awaitWalmartLevel("wm-push", "WM-JAR-U1", 48);
        adjust("wm-jar-u1", -10);
        awaitOnHand("wm-jar-u1", 40);
        awaitWalmartLevel("wm-push", "WM-JAR-U1", 38);
        InventoryUpdate last = lastUpdate("wm-push", "WM-JAR-U1");
        assertThat(last.httpStatus()).isEqualTo(200);
        assertThat(last.body()).contains("\"unit\":\"EACH\"").contains("\"amount\":38");

        // A sale on Walmart: Walmart lowers its own level; Tally books it and Walmart ends on the new target.
        placeOrder("wm-push", line("WM-JAR-U1", 5));
        awaitOnHand("wm-jar-u1", 35);
        awaitWalmartLevel("wm-push", "WM-JAR-U1", 33);
        staysOnHand("wm-jar-u1", 35);
    }

    @Test
    void pushesThrottledWith429ConvergeWithoutLosingAnUpdate() {
        List<String> skus = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            skus.add("WM-CUP-U2-" + i);
            item("wm-storm", skus.get(i), 20);
        }
        for (String sku : skus) {
            awaitWalmartLevel("wm-storm", sku, 20);
        }
        WalmartSimulator.RateLimit original = WALMART.rateLimit(WalmartSimulator.UPDATE_INVENTORY);
        long throttledBefore = WALMART.stats(WalmartSimulator.UPDATE_INVENTORY).throttled();
        WALMART.rateLimit(WalmartSimulator.UPDATE_INVENTORY, 4, 2);
        Instant start = Instant.now();
        try {
            for (int round = 1; round <= 3; round++) {
                for (String sku : skus) {
                    adjust(sku.toLowerCase(), -1);
                }
            }
            for (String sku : skus) {
                awaitOnHand(sku.toLowerCase(), 17);
                awaitWalmartLevel("wm-storm", sku, 17);
            }
        } finally {
            WALMART.rateLimit(WalmartSimulator.UPDATE_INVENTORY, original.ratePerSecond(), original.burst());
        }
        long throttled = WALMART.stats(WalmartSimulator.UPDATE_INVENTORY).throttled() - throttledBefore;
        List<InventoryUpdate> accepted = WALMART.inventoryUpdates().stream()
                .filter(u -> u.sellerId().equals(seller("wm-storm")) && !u.at().isBefore(start))
                .toList();
        double seconds =
                Duration.between(start, accepted.get(accepted.size() - 1).at()).toMillis() / 1000.0;
        System.out.printf(
                "walmart 429 test: %d updates accepted in %.1f s (%.2f/s against a limit of 4/s, burst 2),"
                        + " %d answered 429%n",
                accepted.size(), seconds, accepted.size() / seconds, throttled);
        assertThat(throttled).as("the simulator did throttle").isPositive();
        assertThat(api.deadLetters()).noneMatch(d -> d.path("store").asText().equals("wm-storm"));
    }

    @Test
    void aThrottleStormOfAFewSecondsEndsWithWalmartOnTheTarget() {
        item("wm-storm", "WM-POT-U3", 25);
        awaitWalmartLevel("wm-storm", "WM-POT-U3", 25);
        WALMART.throttleStorm(Duration.ofSeconds(5));
        try {
            adjust("wm-pot-u3", -4);
            awaitOnHand("wm-pot-u3", 21);
            assertThat(WALMART.inventory(seller("wm-storm"), "WM-POT-U3"))
                    .as("nothing gets through the storm")
                    .isEqualTo(25);
            awaitWalmartLevel("wm-storm", "WM-POT-U3", 21);
        } finally {
            WALMART.recover();
        }
        staysOnHand("wm-pot-u3", 21);
    }

    /**
     * A PUT is an absolute set: an order Walmart takes while a push is on its way is overwritten by it. Tally must
     * not assume Walmart then holds the new target minus that order (as it may after a compare-and-set): it pushes
     * the target again, and Walmart ends on it.
     */
    @Test
    void anOrderTakenWhileAPushIsInFlightIsNotLostByTheAbsoluteSet() {
        item("wm-storm", "WM-DISH-U6", 20);
        awaitWalmartLevel("wm-storm", "WM-DISH-U6", 20);
        // Walmart answers 429 for a while: the push of 16 keeps waiting in the client and lands after the order.
        WALMART.throttleStorm(Duration.ofMillis(1200));
        adjust("wm-dish-u6", -4);
        sleep(300);
        placeOrder("wm-storm", line("WM-DISH-U6", 3));
        awaitOnHand("wm-dish-u6", 13);
        awaitWalmartLevel("wm-storm", "WM-DISH-U6", 13);
        staysOnHand("wm-dish-u6", 13);
        assertThat(WALMART.inventory(seller("wm-storm"), "WM-DISH-U6")).isEqualTo(13);
        List<Integer> amounts = WALMART.inventoryUpdates().stream()
                .filter(u -> u.sku().equals("WM-DISH-U6") && u.httpStatus() == 200)
                .map(InventoryUpdate::amount)
                .toList();
        System.out.printf("walmart absolute-set race: accepted PUT amounts %s%n", amounts);
    }

    @Test
    void tokensAreRenewedBeforeTheyExpire() {
        item("wm-push", "WM-TIN-U4", 100);
        awaitWalmartLevel("wm-push", "WM-TIN-U4", 98);
        double issuedBefore = tokens("wm-push", "issued");
        double refusedBefore = calls("wm-push", "token_refused");
        Instant start = Instant.now();
        // Pushes spread over three token lifetimes.
        int n = 0;
        while (Duration.between(start, Instant.now()).compareTo(TOKEN_LIFETIME.multipliedBy(3)) < 0) {
            adjust("wm-tin-u4", -1);
            n++;
            awaitWalmartLevel("wm-push", "WM-TIN-U4", 98 - n);
            sleep(700);
        }
        assertThat(tokens("wm-push", "issued") - issuedBefore)
                .as("new tokens over %d pushes", n)
                .isGreaterThanOrEqualTo(3);
        assertThat(calls("wm-push", "token_refused") - refusedBefore)
                .as("no call carried an expired token")
                .isZero();
        assertThat(api.deadLetters()).noneMatch(d -> d.path("store").asText().equals("wm-push"));
    }

    @Test
    void reconciliationFindsALevelChangedOnWalmartAndCountsTheCorrection() {
        item("wm", "WM-KETTLE-U5", 30);
        awaitWalmartLevel("wm", "WM-KETTLE-U5", 30);
        // Stock counted in Seller Center: Walmart changes, no notification exists for it.
        WALMART.setInventory(seller("wm"), "WM-KETTLE-U5", 36);

        TallyClient.Resp report = api.send("POST", "/api/reconcile/wm", null, TOKEN);
        assertThat(report.status()).as("%s", report).isEqualTo(200);
        assertThat(report.json().path("corrections").asInt()).as("%s", report).isGreaterThanOrEqualTo(1);
        assertThat(report.json().path("details").toString())
                .as("%s", report)
                .contains("WM-KETTLE-U5: channel shows 36");
        awaitOnHand("wm-kettle-u5", 36);
        awaitWalmartLevel("wm", "WM-KETTLE-U5", 36);
        staysOnHand("wm-kettle-u5", 36);
        assertThat(sumLedger("wm-kettle-u5", "adjustment")).isEqualTo(6);

        TallyClient.Resp again = api.send("POST", "/api/reconcile/wm", null, TOKEN);
        assertThat(again.json().path("details").toString()).as("%s", again).doesNotContain("WM-KETTLE-U5:");
    }

    private void adjust(String key, long delta) {
        TallyClient.Resp r = api.post(
                "/api/items/" + key + "/adjustments",
                Map.of(
                        "delta",
                        delta,
                        "reason",
                        "test",
                        "reference",
                        "walmart-push-test-" + java.util.UUID.randomUUID()));
        assertThat(r.status()).as("%s", r).isEqualTo(200);
    }

    private static InventoryUpdate lastUpdate(String store, String sku) {
        List<InventoryUpdate> updates = WALMART.inventoryUpdates().stream()
                .filter(u -> u.sellerId().equals(seller(store)) && u.sku().equals(sku))
                .toList();
        return updates.get(updates.size() - 1);
    }

    private double tokens(String store, String result) {
        var counter = meters.find("tally.walmart.tokens")
                .tags("store", store, "result", result)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private double calls(String store, String result) {
        return meters.find("tally.walmart.calls").tags("store", store, "result", result).counters().stream()
                .mapToDouble(c -> c.count())
                .sum();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
