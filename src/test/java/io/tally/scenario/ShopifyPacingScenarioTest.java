package io.tally.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.tally.sandbox.shopify.Shop;
import io.tally.sandbox.shopify.Shop.Variant;
import io.tally.sandbox.shopify.Shop.VariantSpec;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 defect 4: a backlog of concurrent pushes to one store must not overdraw Shopify's GraphQL cost bucket
 * (every THROTTLED answer is a call Tally should not have sent) while still using the bucket's restore rate.
 * Store {@code pace} has a small bucket ({@link #BUCKET} points, {@link #RESTORE} points/s) so the backlog drains in
 * seconds. Utilisation is printed, not asserted (the machine's load decides it); the THROTTLED count is asserted.
 */
class ShopifyPacingScenarioTest extends ShopifyScenarioBase {

    static final double BUCKET = PACE_BUCKET;
    static final double RESTORE = PACE_RESTORE;

    @Test
    void aBacklogOfPushesIsPacedWithoutAThrottledAnswer() {
        int listings = 40;
        List<VariantSpec> specs = new ArrayList<>();
        for (int i = 0; i < listings; i++) {
            specs.add(variant("V" + i, "pace-" + i, 100));
        }
        List<Variant> variants = product("pace", "Pacing kit", "pacing-kit", tags(), specs.toArray(VariantSpec[]::new))
                .variants();
        for (Variant v : variants) {
            awaitShopLevel("pace", v, 100);
        }
        // Idle long enough for Shopify's bucket (and so Tally's copy) to be full again.
        Shop shop = shop("pace");
        stays(Duration.ofMillis((long) (BUCKET / RESTORE * 1000) + 500),
                () -> assertThat(shop.pendingWebhooks()).isZero());
        shop.resetCounters();

        // Every listing's target changes at once: 40 mutations of 10 points against a bucket of 100 (+50/s).
        for (int i = 0; i < listings; i++) {
            TallyClient.Resp r = api.post("/api/items/pace-" + i + "/adjustments",
                    Map.of("delta", -(i % 5 + 1), "reason", "recount"));
            assertThat(r.status()).as("%s", r).isBetween(200, 299);
        }
        for (int i = 0; i < listings; i++) {
            awaitShopLevel("pace", variants.get(i), 100 - (i % 5 + 1));
        }

        List<Shop.Call> calls = shop.calls();
        List<Shop.Call> charged = calls.stream().filter(c -> !c.throttled() && c.status() == 200).toList();
        long mutations = charged.stream().filter(Shop.Call::mutation).count();
        double points = charged.stream().mapToDouble(Shop.Call::actualCost).sum();
        Duration span = Duration.between(charged.get(0).at(), charged.get(charged.size() - 1).at());
        // Points restored while the backlog drained, against the points spent beyond the full bucket it started with.
        double utilisation = (points - BUCKET) / (RESTORE * Math.max(0.001, span.toNanos() / 1e9));
        System.out.printf("Shopify pacing: %d calls (%d mutations), %d THROTTLED, %.0f points in %d ms;"
                        + " restore-rate utilisation %.1f %% (bucket %.0f, restore %.0f/s)%n",
                calls.size(), mutations, shop.throttledCalls(), points, span.toMillis(), 100 * utilisation, BUCKET,
                RESTORE);
        assertThat(mutations).as("one mutation per listing").isGreaterThanOrEqualTo(listings);
        assertThat(shop.throttledCalls()).as("THROTTLED answers caused by Tally: %s", calls).isZero();
    }
}
