package io.tally.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tally.sandbox.shopify.Shop;
import io.tally.sandbox.shopify.Shop.LineSpec;
import io.tally.sandbox.shopify.Shop.Order;
import io.tally.sandbox.shopify.Shop.Return;
import io.tally.sandbox.shopify.Shop.ReturnLineSpec;
import io.tally.sandbox.shopify.Shop.Variant;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Shopify's own example webhook payloads (src/test/resources/shopify/, each naming its page), ids adapted to the
 * simulated shop, delivered signed to the hub: what Shopify really sends must be booked or answered 2xx with the
 * reason recorded.
 */
class ShopifyWebhookExamplesScenarioTest extends ShopifyScenarioBase {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    NamedParameterJdbcTemplate jdbc;

    @Test
    void inventoryLevelWithAvailableNullIsAnswered2xxAndTheReasonRecorded() throws Exception {
        Variant v = product("sa", "Globe", "globe-x1", tags(), variant("One", "globe-x1", 12))
                .variants()
                .get(0);
        awaitOnHand("globe-x1", 12);
        ObjectNode body = example("inventory-levels-update.json");
        long location = shop("sa").primaryLocation().id();
        body.put("inventory_item_id", v.inventoryItemId());
        body.put("location_id", location);
        body.put(
                "admin_graphql_api_id",
                "gid://shopify/InventoryLevel/" + location + "?inventory_item_id=" + v.inventoryItemId());
        assertThat(body.path("available").isNull()).isTrue(); // as in Shopify's example

        String eventId = UUID.randomUUID().toString();
        HttpResponse<String> answer = post("sa", "inventory_levels/update", body, eventId);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).contains("available is null");
        assertThat(outcome("sa", eventId)).contains("nothing booked: available is null");
        staysOnHand("globe-x1", 12);
    }

    @Test
    void disposeExampleRestocksEachRestockedDispositionOnceAndOnlyAtTheSyncedLocation() throws Exception {
        Shop shop = shop("ret"); // restock-on: return
        List<Variant> variants = product(
                        "ret",
                        "Candle",
                        "candle-x2",
                        tags(),
                        variant("Fig", "candle-x2-fig", 10),
                        variant("Oud", "candle-x2-oud", 10))
                .variants();
        Variant fig = variants.get(0);
        Variant oud = variants.get(1);
        awaitOnHand("candle-x2-fig", 10);
        awaitOnHand("candle-x2-oud", 10);
        Order order = shop.placeOrder(List.of(new LineSpec(fig.id(), 3), new LineSpec(oud.id(), 2)), true);
        // A return restocks only once its sale is booked: wait for the sales themselves.
        eventually(() -> assertThat(sumLedger("candle-x2-fig", "sale")).isEqualTo(-3));
        eventually(() -> assertThat(sumLedger("candle-x2-oud", "sale")).isEqualTo(-2));
        long figLine = order.lineItems().get(0).id();
        long oudLine = order.lineItems().get(1).id();
        Return ret =
                shop.createReturn(order.id(), List.of(new ReturnLineSpec(figLine, 2), new ReturnLineSpec(oudLine, 1)));
        long figRfoLine = ret.lines().get(0).reverseFulfillmentOrderLineItemId();
        long oudRfoLine = ret.lines().get(1).reverseFulfillmentOrderLineItemId();
        long primary = shop.primaryLocation().id();
        long backRoom = shop.addLocation("Back room " + UUID.randomUUID()).id();

        // The shop does not send its own dispose webhooks: the hub hears of the disposals from Shopify's example only.
        shop.subscribed("reverse_fulfillment_orders/dispose", false);
        try {
            shop.disposeReturn(ret.id(), figLine, 1, "RESTOCKED", primary);
            shop.disposeReturn(ret.id(), oudLine, 1, "RESTOCKED", primary);

            ObjectNode both = example("reverse-fulfillment-orders-dispose.json");
            adapt(both, ret.reverseFulfillmentOrderId(), List.of(figRfoLine, oudRfoLine), primary);
            HttpResponse<String> first = post(
                    "ret",
                    "reverse_fulfillment_orders/dispose",
                    both,
                    UUID.randomUUID().toString());
            assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
            assertThat(first.body()).contains("2 restock(s) stored");
            eventually(() -> assertThat(sumLedger("candle-x2-fig", "restock")).isEqualTo(1));
            eventually(() -> assertThat(sumLedger("candle-x2-oud", "restock")).isEqualTo(1));

            // The same delivery again (another event id): one restock per disposition, not per delivery.
            HttpResponse<String> again = post(
                    "ret",
                    "reverse_fulfillment_orders/dispose",
                    both,
                    UUID.randomUUID().toString());
            assertThat(again.statusCode()).isEqualTo(200);
            assertThat(again.body()).contains("0 restock(s) stored, 2 already known");

            // Restocked at a location Tally does not sync: nothing booked, and the receipt says why.
            shop.disposeReturn(ret.id(), figLine, 1, "RESTOCKED", backRoom);
            ObjectNode elsewhere = example("reverse-fulfillment-orders-dispose.json");
            ((ArrayNode) elsewhere.path("dispositions")).remove(1);
            elsewhere.put("total_dispositions", 1);
            adapt(elsewhere, ret.reverseFulfillmentOrderId(), List.of(figRfoLine), backRoom);
            String eventId = UUID.randomUUID().toString();
            HttpResponse<String> other = post("ret", "reverse_fulfillment_orders/dispose", elsewhere, eventId);
            assertThat(other.statusCode()).as(other.body()).isEqualTo(200);
            assertThat(outcome("ret", eventId))
                    .contains("not booked")
                    .contains("gid://shopify/Location/" + backRoom)
                    .contains("Tally syncs gid://shopify/Location/" + primary);
        } finally {
            shop.subscribed("reverse_fulfillment_orders/dispose", true);
        }
        stays(Duration.ofSeconds(2), () -> {
            assertThat(sumLedger("candle-x2-fig", "restock")).isEqualTo(1);
            assertThat(sumLedger("candle-x2-oud", "restock")).isEqualTo(1);
        });
    }

    /** Puts the simulated shop's ids into Shopify's example, one disposition per reverse fulfillment order line. */
    private static void adapt(ObjectNode body, long rfoId, List<Long> rfoLines, long location) {
        body.put("id", rfoId);
        body.put("admin_graphql_api_id", "gid://shopify/ReverseFulfillmentOrder/" + rfoId);
        for (int i = 0; i < rfoLines.size(); i++) {
            ObjectNode disposition = (ObjectNode) body.path("dispositions").get(i);
            ((ObjectNode) disposition.path("reverse_fulfillment_order_line_item"))
                    .put("id", rfoLines.get(i))
                    .put("admin_graphql_api_id", "gid://shopify/ReverseFulfillmentOrderLineItem/" + rfoLines.get(i));
            ((ObjectNode) disposition.path("location"))
                    .put("id", location)
                    .put("admin_graphql_api_id", "gid://shopify/Location/" + location);
        }
    }

    /** A fixture without its {@code //} header lines. */
    static ObjectNode example(String name) {
        try (InputStream in = ShopifyWebhookExamplesScenarioTest.class.getResourceAsStream("/shopify/" + name)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .filter(line -> !line.startsWith("//"))
                    .collect(Collectors.joining("\n"));
            return (ObjectNode) JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpResponse<String> post(String store, String topic, JsonNode body, String eventId) throws Exception {
        String raw = JSON.writeValueAsString(body);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(("secret-" + store).getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/webhooks/shopify/" + store))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .header("X-Shopify-Topic", topic)
                .header("X-Shopify-Shop-Domain", store + ".myshopify.com")
                .header("X-Shopify-API-Version", "2026-04")
                .header("X-Shopify-Event-Id", eventId)
                .header("X-Shopify-Webhook-Id", UUID.randomUUID().toString())
                .header(
                        "X-Shopify-Hmac-Sha256",
                        Base64.getEncoder().encodeToString(mac.doFinal(raw.getBytes(StandardCharsets.UTF_8))))
                .POST(HttpRequest.BodyPublishers.ofString(raw))
                .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** The outcome the hub recorded for a delivery (table webhook_receipt). */
    private String outcome(String store, String eventId) {
        return jdbc.queryForObject(
                "SELECT outcome FROM webhook_receipt WHERE store = :store AND event_id = :event",
                Map.of("store", store, "event", eventId),
                String.class);
    }
}
