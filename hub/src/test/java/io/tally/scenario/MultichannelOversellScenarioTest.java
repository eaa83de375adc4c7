package io.tally.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.sandbox.shopify.Shop.Variant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The last units sold on three channels at the same moment (README "Never refuse a real sale"): every sale the
 * channels really took is booked, on-hand goes negative by exactly that much, every channel gets 0 and the item is
 * flagged oversold.
 */
class MultichannelOversellScenarioTest extends MultichannelScenarioBase {

    @Test
    void threeChannelsSellingTheLastUnitsAtOnceOversellByExactlyWhatWasSold() throws Exception {
        String sku = "MC-LAST";
        int initial = 6;
        Variant v = listEverywhere(sku, initial);
        // Each channel shows its own share of the 6: Shopify 5, Amazon 4, Walmart 3. Each sells all it shows.
        int shopQty = initial - SHOP_SAFETY;
        int amzQty = initial - AMZ_SAFETY;
        int wmQty = initial - WM_SAFETY;

        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Future<Integer>> sold = new ArrayList<>();
        try {
            sold.add(pool.submit(sale(go, () -> sellOnShopify(v, shopQty), shopQty)));
            sold.add(pool.submit(sale(go, () -> sellOnAmazon(sku, amzQty), amzQty)));
            sold.add(pool.submit(sale(go, () -> sellOnWalmart(sku, wmQty), wmQty)));
            go.countDown();
            int reallySold = 0;
            List<Integer> perChannel = new ArrayList<>();
            for (Future<Integer> f : sold) {
                int n = f.get(30, TimeUnit.SECONDS);
                perChannel.add(n);
                reallySold += n;
            }
            System.out.printf("oversell: Shopify, Amazon, Walmart really sold %s of %d on hand%n", perChannel, initial);
            // The three orders are taken by the channels long before Tally can push anything: all three go through.
            assertThat(perChannel).as("units each channel really sold").containsExactly(shopQty, amzQty, wmQty);

            long expected = initial - reallySold; // 6 - 12 = -6
            awaitOnHand(key(sku), expected);
            awaitEverywhere(sku, v, expected); // target 0 on every channel
            staysOnHand(key(sku), expected);

            JsonNode item = api.item(key(sku));
            assertThat(item.path("onHand").asLong()).isEqualTo(-6);
            assertThat(item.path("oversold").asBoolean())
                    .as("item flagged oversold: %s", item)
                    .isTrue();
            for (JsonNode l : item.path("listings")) {
                assertThat(l.path("target").asLong()).as("target of %s", l).isZero();
                assertThat(l.path("state").asText()).as("state of %s", l).isEqualTo("in_sync");
            }
            TallyClient.Resp items = api.get("/api/items?limit=1000");
            assertThat(items.status()).as("%s", items).isEqualTo(200);
            JsonNode inList = null;
            for (JsonNode i : items.json()) {
                if (key(sku).equals(i.path("key").asText())) {
                    inList = i;
                }
            }
            assertThat(inList).as("GET /api/items lists %s", sku).isNotNull();
            assertThat(inList.path("oversold").asBoolean()).as("%s", inList).isTrue();

            assertThat(salesByStore(key(sku)))
                    .containsEntry(SHOP, (long) -shopQty)
                    .containsEntry(AMZ, (long) -amzQty)
                    .containsEntry(WM, (long) -wmQty)
                    .hasSize(3);
            assertThat(shopifyLevel(v)).isZero();
            assertThat(amazonLevel(sku)).isZero();
            assertThat(walmartLevel(sku)).isZero();
        } finally {
            pool.shutdownNow();
        }
    }

    /** A sale that waits for the start signal; returns the units the channel took (0 if it refused the order). */
    private static Callable<Integer> sale(CountDownLatch go, Runnable order, int quantity) {
        return () -> {
            go.await();
            try {
                order.run();
                return quantity;
            } catch (IllegalStateException refused) {
                // Amazon and Walmart refuse an order for more than they show (Shopify lets it through).
                return 0;
            }
        };
    }
}
