package io.tally.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.sandbox.shopify.Shop.LineSpec;
import io.tally.sandbox.shopify.Shop.Variant;
import io.tally.sandbox.shopify.WebhookDispatcher.Release;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** At-least-once, reordered, forged, throttled and failing Shopify: every case books once and converges. */
class ShopifyDeliveryScenarioTest extends ShopifyScenarioBase {

    @Test
    void everyWebhookDeliveredThreeTimesAndPaidBeforeCreateBooksOnce() {
        Variant v = product("sa", "Scarf", "scarf-d1", tags(), variant("One", "scarf-d1", 30))
                .variants()
                .get(0);
        awaitOnHand("scarf-d1", 30);
        shop("sa").deliverEachTimes(3);
        shop("sa").holdWebhooks();
        try {
            shop("sa").placeOrder(List.of(new LineSpec(v.id(), 4)), true);
            // orders/paid (and the level update) arrive before orders/create, each three times.
            shop("sa").releaseWebhooks(Release.REVERSED);
        } finally {
            shop("sa").deliverEachTimes(1);
        }
        awaitOnHand("scarf-d1", 26);
        awaitShopLevel("sa", v, 26);
        staysOnHand("scarf-d1", 26);
        assertThat(sumLedger("scarf-d1", "sale")).isEqualTo(-4);
    }

    @Test
    void aForgedOrUnsignedWebhookIsRejectedAndStoresNothing() throws Exception {
        Variant v = product("sa", "Belt", "belt-d2", tags(), variant("One", "belt-d2", 9))
                .variants()
                .get(0);
        awaitOnHand("belt-d2", 9);
        String body = "{\"id\":990001,\"financial_status\":\"paid\",\"line_items\":[{\"id\":990002,\"variant_id\":"
                + v.id() + ",\"quantity\":9}]}";
        HttpResponse<String> forged = postWebhook("sa", body, sign(body, "not-the-secret"));
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(forged.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
        HttpResponse<String> unsigned = postWebhook("sa", body, null);
        assertThat(unsigned.statusCode()).isEqualTo(401);
        staysOnHand("belt-d2", 9);

        // The same body, properly signed, is booked: the rejection stored nothing that would dedupe it.
        HttpResponse<String> genuine = postWebhook("sa", body, sign(body, "secret-sa"));
        assertThat(genuine.statusCode()).isEqualTo(200);
        awaitOnHand("belt-d2", 0);
    }

    @Test
    void aTinyGraphqlBucketStillConvergesWithNoLostUpdate() {
        List<Variant> variants = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            variants.add(product("tiny", "Sock " + i, "sock-d3-" + i, tags(), variant("One", "sock-d3", 100))
                    .variants()
                    .get(0));
        }
        awaitOnHand("sock-d3", 100);
        for (Variant v : variants) {
            awaitShopLevel("tiny", v, 100);
        }
        shop("tiny").resetCounters();
        for (int i = 0; i < 20; i++) {
            shop("tiny").placeOrder(List.of(new LineSpec(variants.get(i % 4).id(), 1)), true);
        }
        awaitOnHand("sock-d3", 80);
        for (Variant v : variants) {
            awaitShopLevel("tiny", v, 80);
        }
        staysOnHand("sock-d3", 80);
        System.out.printf(
                "tiny bucket: %d GraphQL calls (%d mutations, %d throttled) for 20 sales%n",
                shop("tiny").graphqlCalls(),
                shop("tiny").mutationCalls(),
                shop("tiny").throttledCalls());
    }

    @Test
    void aStoreAnswering5xxForAWhileConvergesAfterItRecovers() {
        Variant a = product("flaky", "Tray A", "tray-d4-a", tags(), variant("One", "tray-d4", 50))
                .variants()
                .get(0);
        Variant b = product("flaky", "Tray B", "tray-d4-b", tags(), variant("One", "tray-d4", 50))
                .variants()
                .get(0);
        awaitOnHand("tray-d4", 50);
        awaitShopLevel("flaky", b, 50);
        shop("flaky").failFor(Duration.ofSeconds(4), 503);
        shop("flaky").placeOrder(List.of(new LineSpec(a.id(), 5)), true);
        awaitOnHand("tray-d4", 45);
        awaitShopLevel("flaky", b, 45);
        awaitShopLevel("flaky", a, 45);
        staysOnHand("tray-d4", 45);
    }

    @Test
    void reconciliationFindsAMissedWebhookAndCountsTheCorrection() {
        Variant a = product("lat-a", "Pen A", "pen-d5", tags(), variant("One", "pen-d5", 60))
                .variants()
                .get(0);
        Variant b = product("lat-b", "Pen B", "pen-d5", tags(), variant("One", "pen-d5", 60))
                .variants()
                .get(0);
        awaitOnHand("pen-d5", 60);
        awaitShopLevel("lat-b", b, 60);

        // A level change whose webhook never reaches Tally (as when Shopify gives up): only reconciliation sees it.
        var original = shop("lat-a").settings();
        String url = shop("lat-a").webhookUrl();
        shop("lat-a")
                .settings(original.toBuilder()
                        .maxRetries(0)
                        .webhookUrl("http://127.0.0.1:9/unreachable")
                        .build());
        try {
            shop("lat-a").setAvailable(a.id(), 70);
            assertThat(shop("lat-a").awaitWebhooksDelivered(Duration.ofSeconds(10)))
                    .isTrue();
        } finally {
            shop("lat-a").settings(original);
            shop("lat-a").webhookUrl(url);
        }

        TallyClient.Resp report = api.send("POST", "/api/reconcile/lat-a", null, TOKEN);
        assertThat(report.status()).as("%s", report).isEqualTo(200);
        // Other tests share the store: count only this listing's line in the report.
        assertThat(report.json().path("corrections").asInt()).as("%s", report).isGreaterThanOrEqualTo(1);
        assertThat(report.json().path("details").toString()).as("%s", report).contains(ref(a) + ": channel shows 70");
        awaitOnHand("pen-d5", 70);
        awaitShopLevel("lat-b", b, 70);

        JsonNode history =
                api.send("GET", "/api/reconciliations?store=lat-a", null, TOKEN).json();
        assertThat(history.path("corrections").path("lat-a").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(history.path("runs").get(0).path("corrections").asInt()).isGreaterThanOrEqualTo(1);

        // Nothing missed since: a second reconciliation does not correct this listing again.
        TallyClient.Resp again = api.send("POST", "/api/reconcile/lat-a", null, TOKEN);
        assertThat(again.json().path("details").toString()).as("%s", again).doesNotContain(ref(a) + ":");
    }

    private HttpResponse<String> postWebhook(String store, String body, String hmac) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/webhooks/shopify/" + store))
                .header("Content-Type", "application/json")
                .header("X-Shopify-Topic", "orders/create")
                .header("X-Shopify-Shop-Domain", store + ".myshopify.com")
                .header("X-Shopify-Event-Id", UUID.randomUUID().toString())
                .header("X-Shopify-Webhook-Id", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (hmac != null) {
            request.header("X-Shopify-Hmac-Sha256", hmac);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String sign(String body, String secret) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }
}
