package io.tally.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.sandbox.GenericChannelSimulator;
import io.tally.sandbox.amazon.AmazonSimulator;
import io.tally.sandbox.shopify.Shop;
import io.tally.sandbox.shopify.Shop.Variant;
import io.tally.sandbox.walmart.WalmartSimulator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/**
 * Figures for the closing note, printed (System.out) and not asserted: the machines are shared and noisy.
 * Only correctness is asserted (every sale booked once, every channel on its target).
 */
class MultichannelMeasurementScenarioTest extends MultichannelScenarioBase {

    static final int SALES_PER_CHANNEL = 8;
    static final int BURST = 1000;

    @Test
    void saleToOtherChannelsLatencyPerSourceChannel() {
        String sku = "MC-LAT";
        Variant v = listEverywhere(sku, 1000);
        long onHand = 1000;
        Map<String, LongSupplier> levels = new LinkedHashMap<>();
        levels.put("Shopify", () -> shopifyLevel(v));
        levels.put("Amazon", () -> amazonLevel(sku));
        levels.put("Walmart", () -> walmartLevel(sku));
        Map<String, Integer> safety = Map.of("Shopify", SHOP_SAFETY, "Amazon", AMZ_SAFETY, "Walmart", WM_SAFETY);
        Map<String, Runnable> sell = new LinkedHashMap<>();
        sell.put("Shopify", () -> sellOnShopify(v, 1));
        sell.put("Amazon", () -> sellOnAmazon(sku, 1));
        sell.put("Walmart", () -> sellOnWalmart(sku, 1));

        List<String> report = new ArrayList<>();
        for (String source : sell.keySet()) {
            List<Long> all = new ArrayList<>();
            Map<String, List<Long>> perDestination = new LinkedHashMap<>();
            for (int i = 0; i < SALES_PER_CHANNEL; i++) {
                long expectedOnHand = --onHand;
                long start = System.nanoTime();
                sell.get(source).run();
                Map<String, Long> reached = new LinkedHashMap<>();
                while (reached.size() < 2) {
                    for (String dest : levels.keySet()) {
                        if (!dest.equals(source)
                                && !reached.containsKey(dest)
                                && levels.get(dest).getAsLong() == target(expectedOnHand, safety.get(dest))) {
                            reached.put(dest, (System.nanoTime() - start) / 1_000_000);
                        }
                    }
                    if (System.nanoTime() - start > WAIT.toNanos()) {
                        throw new AssertionError(source + " sale " + i + ": other channels did not reach their "
                                + "targets for on-hand " + expectedOnHand + ": " + reached);
                    }
                    sleep(2);
                }
                reached.forEach((dest, ms) -> perDestination
                        .computeIfAbsent(dest, d -> new ArrayList<>())
                        .add(ms));
                all.add(Collections.max(reached.values()));
                // Start the next sale from a quiet state: booked, and every channel in sync.
                awaitOnHand(key(sku), expectedOnHand);
                awaitEverywhere(sku, v, expectedOnHand);
            }
            StringBuilder line =
                    new StringBuilder(String.format("sale on %-7s -> all other channels: %s", source, stats(all)));
            perDestination.forEach((dest, ms) -> line.append(String.format("; -> %s %s", dest, stats(ms))));
            report.add(line.toString());
        }
        staysOnHand(key(sku), onHand);
        assertThat(salesByStore(key(sku)))
                .isEqualTo(Map.of(SHOP, (long) -SALES_PER_CHANNEL, AMZ, (long) -SALES_PER_CHANNEL, WM, (long)
                        -SALES_PER_CHANNEL));

        System.out.printf(
                "%nMULTICHANNEL LATENCY (ms from the order placed in the source simulator to the other"
                        + " simulators showing their new target; %d sales per source, one at a time; p99 of %d samples is"
                        + " their maximum). Amazon orders are polled every %d ms (getOrders allowed 20/s in the test; Amazon:"
                        + " 1/min, so production polls every 60 s); Walmart PO_CREATED notifications arrive at once (orders"
                        + " poller every %d ms as backup); Shopify webhooks at once. The Amazon simulator applies an ACCEPTED"
                        + " patch after 250 ms, like Amazon's asynchronous processing.%n",
                SALES_PER_CHANNEL, SALES_PER_CHANNEL, AMZ_POLL_MS, WM_POLL_MS);
        report.forEach(System.out::println);
    }

    @Test
    void pushesPerChannelDuringABurstOf1000Sales() throws Exception {
        String sku = "MC-BURST";
        int initial = 5000;
        Variant v = listEverywhere(sku, initial);
        api.declare(ERP, "erp-burst", Map.of("sku", sku));
        awaitListing(
                ERP,
                "erp-burst",
                () -> {
                    Integer level = ERP_SIM.level(ERP, "erp-burst");
                    return level == null ? -1 : level;
                },
                initial);
        sleep(1000); // let the last pushes of the set-up settle, so the window below holds only the burst's

        Instant start = Instant.now();
        // 1,000 sales reported by the ERP store (a generic http channel): 4 senders, 25 requests of 10 events each.
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> senders = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int sender = t;
            senders.add(pool.submit(() -> {
                for (int r = 0; r < BURST / 40; r++) {
                    List<Ev> events = new ArrayList<>();
                    for (int e = 0; e < 10; e++) {
                        int n = sender * (BURST / 4) + r * 10 + e;
                        events.add(Ev.sale(ERP).ref("erp-burst").qty(1).order("burst-" + n, "1"));
                    }
                    TallyClient.Resp resp = api.postEvent(events);
                    assertThat(resp.status()).as("%s", resp).isEqualTo(202);
                }
            }));
        }
        for (Future<?> f : senders) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        Instant accepted = Instant.now();
        long end = initial - BURST;
        awaitOnHand(key(sku), end);
        Instant booked = Instant.now();
        awaitEverywhere(sku, v, end);
        awaitListing(ERP, "erp-burst", () -> ERP_SIM.level(ERP, "erp-burst"), end);
        Instant synced = Instant.now();
        staysOnHand(key(sku), end);
        assertThat(salesByStore(key(sku))).isEqualTo(Map.of(ERP, (long) -BURST));

        List<Shop.Call> shopCalls = shop().calls().stream()
                .filter(c -> !c.at().isBefore(start) && c.mutation())
                .toList();
        List<AmazonSimulator.PatchRecord> patches = AMAZON.patches().stream()
                .filter(p -> p.sellerId().equals(AMZ_SELLER) && p.sku().equals(sku) && !p.at().isBefore(start))
                .toList();
        List<WalmartSimulator.InventoryUpdate> updates = WALMART.inventoryUpdates().stream()
                .filter(u -> u.sellerId().equals(WM_SELLER) && u.sku().equals(sku) && !u.at().isBefore(start))
                .toList();
        List<GenericChannelSimulator.Request> erp = ERP_SIM.requests(ERP, "erp-burst").stream()
                .filter(r -> !r.at().isBefore(start))
                .toList();

        System.out.printf(
                "%nMULTICHANNEL BURST: %d sales of one SKU sent as POST /api/events by an http store (4 senders,"
                        + " 10 events a request): all accepted in %d ms, all booked after %d ms, every channel on its"
                        + " target after %d ms (from the first request).%n",
                BURST,
                Duration.between(start, accepted).toMillis(),
                Duration.between(start, booked).toMillis(),
                Duration.between(start, synced).toMillis());
        System.out.println(line(
                "Shopify",
                shopCalls.size(),
                shopCalls.stream().filter(Shop.Call::throttled).count(),
                shopCalls.stream().map(Shop.Call::at).toList(),
                start,
                "max-pushes-per-second " + SHOP_PUSHES_PER_SECOND + "; GraphQL bucket "
                        + shop().settings().bucketSize() + " points restoring "
                        + shop().settings().restoreRate()
                        + "/s, inventorySetQuantities costs 10"));
        System.out.println(line(
                "Amazon",
                patches.size(),
                patches.stream().filter(p -> p.httpStatus() == 429).count(),
                patches.stream().map(AmazonSimulator.PatchRecord::at).toList(),
                start,
                "max-pushes-per-second " + AMZ_PUSHES_PER_SECOND + "; patchListingsItem 5/s, burst 5"));
        System.out.println(line(
                "Walmart",
                updates.size(),
                updates.stream().filter(u -> u.httpStatus() == 429).count(),
                updates.stream().map(WalmartSimulator.InventoryUpdate::at).toList(),
                start,
                "max-pushes-per-second " + WM_PUSHES_PER_SECOND + "; inventory updates " + WM_UPDATES_PER_MINUTE
                        + "/min"));
        System.out.println(line(
                "ERP http",
                erp.size(),
                erp.stream().filter(r -> r.status() == 429).count(),
                erp.stream().map(GenericChannelSimulator.Request::at).toList(),
                start,
                "max-pushes-per-second " + ERP_PUSHES_PER_SECOND + " (the store the sales came from)"));
        assertNoOpenDeadLetters();
    }

    private static String line(
            String channel, int pushes, long throttled, List<Instant> times, Instant start, String limit) {
        if (times.isEmpty()) {
            return String.format("  %-8s 0 pushes (limit: %s)", channel, limit);
        }
        Instant first = Collections.min(times);
        Instant last = Collections.max(times);
        double span = Math.max(1, Duration.between(first, last).toMillis()) / 1000.0;
        long perSecondPeak = times.stream()
                .collect(java.util.stream.Collectors.groupingBy(
                        t -> Duration.between(start, t).toSeconds(), java.util.stream.Collectors.counting()))
                .values()
                .stream()
                .mapToLong(Long::longValue)
                .max()
                .orElse(0);
        // n pushes from the first to the last are n - 1 intervals: (n - 1) / span is the rate they were sent at.
        return String.format(
                "  %-8s %4d pushes (%d answered 429), first to last %.1f s: %.1f/s, at most %d in any"
                        + " whole second of the burst; limit: %s",
                channel, pushes, throttled, span, (pushes - 1) / span, perSecondPeak, limit);
    }

    private static String stats(List<Long> ms) {
        List<Long> sorted = new ArrayList<>(ms);
        Collections.sort(sorted);
        long p50 = sorted.get((sorted.size() - 1) / 2);
        long p99 = sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1);
        return String.format("p50 %d ms, p99 %d ms (min %d) over %d", p50, p99, sorted.get(0), sorted.size());
    }
}
