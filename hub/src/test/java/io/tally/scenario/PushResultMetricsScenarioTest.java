package io.tally.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.sandbox.shopify.Shop.Variant;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;

/**
 * Issue 17 defect 5: one push-result vocabulary and a latency for every channel, as an operator scrapes them from
 * {@code /actuator/prometheus} on the management port. For each channel (generic http, Shopify, Amazon, Walmart) the
 * channel answers 5xx for a while, then takes the level: the 5xx attempts are {@code retryable_failure} and the
 * accepted one {@code confirmed}, in {@code tally_pushes_total} and {@code tally_push_duration_seconds}, both tagged
 * store, channel and result, and no push series carries a result outside the documented vocabulary.
 */
class PushResultMetricsScenarioTest extends MultichannelScenarioBase {

    static final Set<String> RESULTS = Set.of("confirmed", "stale", "throttled", "retryable_failure", "rejected");

    @LocalManagementPort
    int managementPort;

    final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aGenericHttpStoreAnswering503CountsFailuresThenTheConfirmedPush() {
        String sku = "MCM-ERP";
        api.declare(ERP, sku, Map.of("sku", sku, "level", 50));
        awaitOnHand(key(sku), 50);
        adjust(sku, -1);
        eventually(() -> assertThat(ERP_SIM.level(ERP, sku)).isEqualTo(49));
        Map<String, Double> before = scrape();
        ERP_SIM.failNext(2, 503);
        adjust(sku, -1);
        awaitListing(ERP, sku, () -> ERP_SIM.level(ERP, sku), 48);
        assertResults(before, ERP, "http", 2);
    }

    @Test
    void aShopifyStoreAnswering503CountsFailuresThenTheConfirmedPush() {
        String sku = "MCM-SHOP";
        Variant v = shopifyProduct(sku, 40);
        awaitOnHand(key(sku), 40);
        awaitListing(SHOP, ref(v), () -> shopifyLevel(v), target(40, SHOP_SAFETY));
        Map<String, Double> before = scrape();
        shop().failFor(Duration.ofMillis(1500), 503);
        adjust(sku, -1);
        awaitListing(SHOP, ref(v), () -> shopifyLevel(v), target(39, SHOP_SAFETY));
        assertResults(before, SHOP, "shopify", 1);
    }

    @Test
    void anAmazonSellerAnswering503CountsFailuresThenTheConfirmedPush() {
        String sku = "MCM-AMZ";
        AMAZON.createListing(AMZ_SELLER, sku, 30, new java.math.BigDecimal("12.50"));
        assertThat(api.post("/api/reconcile/" + AMZ, Map.of()).status()).isEqualTo(200);
        eventually(() -> assertThat(api.listing(AMZ, sku)).isNotNull());
        awaitOnHand(key(sku), 30);
        awaitListing(AMZ, sku, () -> amazonLevel(sku), target(30, AMZ_SAFETY));
        Map<String, Double> before = scrape();
        AMAZON.failFor(Duration.ofMillis(1500), 503);
        adjust(sku, -1);
        awaitListing(AMZ, sku, () -> amazonLevel(sku), target(29, AMZ_SAFETY));
        assertResults(before, AMZ, "amazon", 1);
    }

    @Test
    void aWalmartSellerAnswering503CountsFailuresThenTheConfirmedPush() {
        String sku = "MCM-WM";
        walmartItem(sku, 30, true);
        awaitOnHand(key(sku), 30);
        awaitListing(WM, sku, () -> walmartLevel(sku), target(30, WM_SAFETY));
        Map<String, Double> before = scrape();
        WALMART.failFor(Duration.ofMillis(1500), 503);
        adjust(sku, -1);
        awaitListing(WM, sku, () -> walmartLevel(sku), target(29, WM_SAFETY));
        assertResults(before, WM, "walmart", 1);
    }

    /** At least {@code failures} 5xx attempts and one confirmed attempt since {@code before}; nothing undocumented. */
    private void assertResults(Map<String, Double> before, String store, String channel, int failures) {
        eventually(() -> {
            Map<String, Double> now = scrape();
            for (String metric : new String[] {"tally_pushes_total", "tally_push_duration_seconds_count"}) {
                String failed = series(metric, store, channel, "retryable_failure");
                String confirmed = series(metric, store, channel, "confirmed");
                assertThat(delta(now, before, failed))
                        .as("%s since the 5xx began; series: %s", failed, pushSeries(now))
                        .isGreaterThanOrEqualTo(failures);
                assertThat(delta(now, before, confirmed))
                        .as("%s; series: %s", confirmed, pushSeries(now))
                        .isGreaterThanOrEqualTo(1);
            }
            assertThat(now)
                    .as("latency histogram of %s", store)
                    .containsKey("tally_push_duration_seconds_sum{application=\"tally\",channel=\"" + channel
                            + "\",result=\"confirmed\",store=\"" + store + "\"}");
            for (String s : pushSeries(now)) {
                Matcher m = Pattern.compile("channel=\"([^\"]*)\",result=\"([^\"]*)\",store=\"([^\"]*)\"")
                        .matcher(s);
                assertThat(m.find())
                        .as("series %s is tagged channel, result and store", s)
                        .isTrue();
                assertThat(m.group(2)).as("result of %s", s).isIn(RESULTS);
            }
        });
        Map<String, Double> now = scrape();
        System.out.printf(
                "push results of %s (%s) after a 5xx spell: %s%n",
                store,
                channel,
                pushSeries(now).stream()
                        .filter(s -> s.contains("store=\"" + store + "\""))
                        .map(s -> s.replaceAll(".*result=\"([^\"]*)\".*", "$1")
                                + (s.startsWith("tally_pushes") ? " total " : " timed ")
                                + now.get(s).longValue())
                        .toList());
    }

    private static String series(String metric, String store, String channel, String result) {
        return metric + "{application=\"tally\",channel=\"" + channel + "\",result=\"" + result + "\",store=\"" + store
                + "\"}";
    }

    private static double delta(Map<String, Double> now, Map<String, Double> before, String series) {
        return now.getOrDefault(series, 0.0) - before.getOrDefault(series, 0.0);
    }

    private static Set<String> pushSeries(Map<String, Double> scrape) {
        Set<String> out = new TreeSet<>();
        for (String s : scrape.keySet()) {
            if (s.startsWith("tally_pushes_total{") || s.startsWith("tally_push_duration_seconds_count{")) {
                out.add(s);
            }
        }
        return out;
    }

    /** Every sample of the scrape, series (name and labels as printed) to value. */
    private Map<String, Double> scrape() {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + managementPort + "/actuator/prometheus"))
                .timeout(Duration.ofSeconds(30))
                .GET()
                .build();
        String body;
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("GET /actuator/prometheus").isEqualTo(200);
            body = r.body();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : body.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            try {
                samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            } catch (RuntimeException ignored) {
                // a sample with a timestamp or an exemplar: not one of ours
            }
        }
        return samples;
    }

    private void adjust(String sku, long delta) {
        TallyClient.Resp r = api.post(
                "/api/items/" + key(sku) + "/adjustments",
                Map.of("delta", delta, "reason", "metrics test", "reference", "push-metrics-" + UUID.randomUUID()));
        assertThat(r.status()).as("%s", r).isEqualTo(200);
    }
}
