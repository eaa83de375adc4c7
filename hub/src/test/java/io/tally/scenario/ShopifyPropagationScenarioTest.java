package io.tally.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.sandbox.shopify.Shop.LineSpec;
import io.tally.sandbox.shopify.Shop.Variant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How fast a sale in one Shopify store reaches the other, and how many GraphQL calls a burst costs. Figures are
 * printed for the record (the machines are shared and noisy); only correctness is asserted.
 */
class ShopifyPropagationScenarioTest extends ShopifyScenarioBase {

    @Test
    void saleReachesTheOtherStoreAndABurstOf100SalesCostsFewCalls() {
        Variant a = product("lat-a", "Notebook", "notebook-p", tags(), variant("A5", "notebook-p", 1000))
                .variants()
                .get(0);
        Variant b = product("lat-b", "Notebook", "notebook-p", tags(), variant("A5", "notebook-p", 1000))
                .variants()
                .get(0);
        awaitOnHand("notebook-p", 1000);
        awaitShopLevel("lat-b", b, 1000);

        // One sale at a time: time from the order in store A to the new level in store B.
        List<Long> millis = new ArrayList<>();
        long expected = 1000;
        for (int i = 0; i < 30; i++) {
            long start = System.nanoTime();
            shop("lat-a").placeOrder(List.of(new LineSpec(a.id(), 1)), true);
            expected--;
            long level = expected;
            while (shop("lat-b").available(b.id()) != level) {
                Thread.onSpinWait();
                if (System.nanoTime() - start > WAIT.toNanos()) {
                    throw new AssertionError("store B did not reach " + level);
                }
            }
            millis.add((System.nanoTime() - start) / 1_000_000);
        }
        Collections.sort(millis);
        System.out.printf(
                "Shopify sale -> other store: p50 %d ms, p99 %d ms, max %d ms over %d sales%n",
                millis.get(millis.size() / 2),
                millis.get((int) Math.ceil(millis.size() * 0.99) - 1),
                millis.get(millis.size() - 1),
                millis.size());
        awaitShopLevel("lat-a", a, expected);

        // A burst of 100 sales of one SKU in store A: how many GraphQL calls reach each store.
        shop("lat-a").resetCounters();
        shop("lat-b").resetCounters();
        for (int i = 0; i < 100; i++) {
            shop("lat-a").placeOrder(List.of(new LineSpec(a.id(), 1)), true);
        }
        long after = expected - 100;
        awaitOnHand("notebook-p", after);
        awaitShopLevel("lat-b", b, after);
        awaitShopLevel("lat-a", a, after);
        staysOnHand("notebook-p", after);
        System.out.printf(
                "burst of 100 sales of one SKU: store B %d GraphQL calls (%d mutations, %d throttled),"
                        + " store A (where the sales happened) %d calls (%d mutations)%n",
                shop("lat-b").graphqlCalls(),
                shop("lat-b").mutationCalls(),
                shop("lat-b").throttledCalls(),
                shop("lat-a").graphqlCalls(),
                shop("lat-a").mutationCalls());
        assertThat(shop("lat-b").mutationCalls()).isLessThanOrEqualTo(100);
    }
}
