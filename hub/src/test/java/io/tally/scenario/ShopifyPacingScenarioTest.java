package io.tally.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.channel.shopify.ShopifyAdminClient;
import io.tally.sandbox.shopify.Shop;
import io.tally.sandbox.shopify.Shop.Variant;
import io.tally.sandbox.shopify.Shop.VariantSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Issue 12 defect 4: a backlog of concurrent pushes to one store must not overdraw Shopify's GraphQL cost bucket
 * (every THROTTLED answer is a call Tally should not have sent) while still using the bucket's restore rate.
 * Store {@code pace} has a small bucket ({@link #BUCKET} points, {@link #RESTORE} points/s) so the backlog drains in
 * seconds. Utilisation is printed, not asserted (the machine's load decides it); the THROTTLED count is asserted.
 */
class ShopifyPacingScenarioTest extends ShopifyScenarioBase {

    static final double BUCKET = PACE_BUCKET;
    static final double RESTORE = PACE_RESTORE;

    @Autowired
    ShopifyAdminClient client;

    /**
     * The client alone, without the push pipeline (whose speed depends on the machine): 8 threads send 60 queries of
     * 10 points each (requested = actual: {@code productVariants(first: 8)} over 40 variants) at once.
     */
    @Test
    void concurrentCallsUseTheRestoreRateWithoutAThrottledAnswer() throws Exception {
        Shop shop = shop("pace");
        if (shop.products().stream().noneMatch(p -> p.handle().equals("pacing-kit"))) {
            createKit();
        }
        stays(
                Duration.ofMillis((long) (BUCKET / RESTORE * 1000) + 500),
                () -> assertThat(shop.pendingWebhooks()).isZero());
        shop.resetCounters();
        String query = "query TallyPacing { productVariants(first: 8) { nodes { id } } }";
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                calls.add(pool.submit(() -> client.execute("pace", query, Map.of(), 10)));
            }
            for (Future<?> call : calls) {
                call.get();
            }
        } finally {
            pool.shutdownNow();
        }
        report(shop, "client alone, 8 threads, 60 calls of 10 points");
        assertThat(shop.throttledCalls())
                .as("THROTTLED answers caused by Tally: %s", shop.calls())
                .isZero();
    }

    private List<Variant> createKit() {
        List<VariantSpec> specs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            specs.add(variant("V" + i, "pace-" + i, 100));
        }
        List<Variant> variants = product("pace", "Pacing kit", "pacing-kit", tags(), specs.toArray(VariantSpec[]::new))
                .variants();
        for (Variant v : variants) {
            awaitShopLevel("pace", v, 100);
        }
        return variants;
    }

    /** Prints the calls, THROTTLED answers and the share of the restore rate used while the backlog drained. */
    private static void report(Shop shop, String what) {
        List<Shop.Call> calls = shop.calls();
        List<Shop.Call> charged =
                calls.stream().filter(c -> !c.throttled() && c.status() == 200).toList();
        double points = charged.stream().mapToDouble(Shop.Call::actualCost).sum();
        Duration span = Duration.between(
                charged.get(0).at(), charged.get(charged.size() - 1).at());
        // Points spent beyond the full bucket the backlog started with, against the points restored meanwhile.
        double utilisation = (points - BUCKET) / (RESTORE * Math.max(0.001, span.toNanos() / 1e9));
        System.out.printf(
                "Shopify pacing (%s): %d calls (%d mutations), %d THROTTLED, %.0f points in %d ms;"
                        + " restore-rate utilisation %.1f %% (bucket %.0f, restore %.0f/s)%n",
                what,
                calls.size(),
                charged.stream().filter(Shop.Call::mutation).count(),
                shop.throttledCalls(),
                points,
                span.toMillis(),
                100 * utilisation,
                BUCKET,
                RESTORE);
    }

    @Test
    void aBacklogOfPushesIsPacedWithoutAThrottledAnswer() {
        int listings = 40;
        List<Variant> variants =
                shop("pace").products().stream().anyMatch(p -> p.handle().equals("pacing-kit"))
                        ? shop("pace").products().stream()
                                .filter(p -> p.handle().equals("pacing-kit"))
                                .findFirst()
                                .orElseThrow()
                                .variants()
                        : createKit();
        // Idle long enough for Shopify's bucket (and so Tally's copy) to be full again.
        Shop shop = shop("pace");
        stays(
                Duration.ofMillis((long) (BUCKET / RESTORE * 1000) + 500),
                () -> assertThat(shop.pendingWebhooks()).isZero());
        shop.resetCounters();

        // Every listing's target changes at once: 40 mutations of 10 points against a bucket of 100 (+50/s).
        for (int i = 0; i < listings; i++) {
            TallyClient.Resp r = api.post(
                    "/api/items/pace-" + i + "/adjustments", Map.of("delta", -(i % 5 + 1), "reason", "recount"));
            assertThat(r.status()).as("%s", r).isBetween(200, 299);
        }
        for (int i = 0; i < listings; i++) {
            awaitShopLevel("pace", variants.get(i), 100 - (i % 5 + 1));
        }

        report(shop, "push pipeline, 40 listings");
        long mutations = shop.calls().stream()
                .filter(c -> c.mutation() && !c.throttled())
                .count();
        List<Shop.Call> calls = shop.calls();
        assertThat(mutations).as("one mutation per listing").isGreaterThanOrEqualTo(listings);
        assertThat(shop.throttledCalls())
                .as("THROTTLED answers caused by Tally: %s", calls)
                .isZero();
    }
}
