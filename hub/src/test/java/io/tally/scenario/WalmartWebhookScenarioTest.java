package io.tally.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.sandbox.walmart.WalmartSimulator;
import io.tally.sandbox.walmart.WalmartSimulator.Delivery;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Walmart event notifications: signed, delivered at least once, forged; each order books once. */
class WalmartWebhookScenarioTest extends WalmartScenarioBase {

    @Test
    void aPoCreatedDeliveredTwiceBooksOnceAndWalmartEndsOnTheTarget() throws Exception {
        item("wm", "WM-MUG-W1", 30);
        awaitOnHand("wm-mug-w1", 30);
        WALMART.duplicateProbability(1.0);
        String po;
        try {
            po = placeOrder("wm", line("WM-MUG-W1", 4));
            eventually(() -> assertThat(deliveries(po, "PO_CREATED"))
                    .filteredOn(d -> d.status() == 200)
                    .hasSize(2));
        } finally {
            WALMART.duplicateProbability(0);
        }
        assertThat(deliveries(po, "PO_CREATED"))
                .as("the copy was a duplicate of the same event")
                .anyMatch(Delivery::duplicate);
        awaitOnHand("wm-mug-w1", 26);
        awaitWalmartLevel("wm", "WM-MUG-W1", 26);
        staysOnHand("wm-mug-w1", 26);
        assertThat(sumLedger("wm-mug-w1", "sale")).isEqualTo(-4);

        // The same notification sent once more by hand: answered 200 as a duplicate, nothing booked.
        Delivery first = deliveries(po, "PO_CREATED").get(0);
        HttpResponse<String> again = post("wm", first.body(), WalmartSimulator.sign("whsec-wm", first.body()), null);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).contains("duplicate");
        staysOnHand("wm-mug-w1", 26);
    }

    @Test
    void aCancelledLineReleasesWhatItBooked() {
        item("wm", "WM-BOWL-W2", 20);
        item("wm", "WM-PLATE-W2", 15);
        awaitOnHand("wm-bowl-w2", 20);
        awaitOnHand("wm-plate-w2", 15);
        String po = placeOrder("wm", line("WM-BOWL-W2", 3), line("WM-PLATE-W2", 5));
        awaitOnHand("wm-bowl-w2", 17);
        awaitOnHand("wm-plate-w2", 10);

        WALMART.cancelLine(po, "2");
        eventually(() -> assertThat(deliveries(po, "PO_LINE_AUTOCANCELLED")).anyMatch(d -> d.status() == 200));
        awaitOnHand("wm-plate-w2", 15);
        awaitWalmartLevel("wm", "WM-PLATE-W2", 15);
        awaitWalmartLevel("wm", "WM-BOWL-W2", 17);
        staysOnHand("wm-plate-w2", 15);
        staysOnHand("wm-bowl-w2", 17);
        assertThat(sumLedger("wm-plate-w2", "cancel")).isEqualTo(5);
    }

    @Test
    void orderUpdatesAloneBookTheSaleAndReleaseACancelledLine() {
        WALMART.legacyOrderEvents(false); // as from 2026-12-15, when Walmart retires PO_CREATED and its kin
        try {
            item("wm", "WM-JUG-W4", 12);
            awaitOnHand("wm-jug-w4", 12);
            String po = placeOrder("wm", line("WM-JUG-W4", 2));
            eventually(() ->
                    assertThat(deliveries(po, WalmartSimulator.ORDER_UPDATES)).anyMatch(d -> d.status() == 200));
            awaitOnHand("wm-jug-w4", 10);
            WALMART.cancelLine(po, "1");
            eventually(() -> assertThat(deliveries(po, WalmartSimulator.ORDER_UPDATES))
                    .filteredOn(d -> d.status() == 200)
                    .hasSize(2));
            awaitOnHand("wm-jug-w4", 12);
            awaitWalmartLevel("wm", "WM-JUG-W4", 12);
            staysOnHand("wm-jug-w4", 12);
            assertThat(sumLedger("wm-jug-w4", "sale")).isEqualTo(-2);
            assertThat(sumLedger("wm-jug-w4", "cancel")).isEqualTo(2);
            assertThat(deliveries(po, "PO_CREATED")).isEmpty();
            assertThat(deliveries(po, "PO_LINE_AUTOCANCELLED")).isEmpty();
            // Both notifications were read as order events (stored, or already known from the poller), not refused.
            List<String> ids = deliveries(po, WalmartSimulator.ORDER_UPDATES).stream()
                    .map(Delivery::eventId)
                    .distinct()
                    .toList();
            assertThat(jdbc.queryForList(
                            "SELECT outcome FROM webhook_receipt WHERE store = 'wm'"
                                    + " AND topic = 'ORDER_UPDATES' AND event_id IN (:ids)",
                            Map.of("ids", ids),
                            String.class))
                    .hasSize(2)
                    .allMatch(outcome -> outcome.contains("event(s) stored"));
        } finally {
            WALMART.legacyOrderEvents(null);
        }
    }

    @Test
    void aForgedUnsignedOrMalformedNotificationIsRefusedAndStoresNothing() throws Exception {
        item("wm", "WM-VASE-W3", 9);
        awaitOnHand("wm-vase-w3", 9);
        String body = "{\"source\":{\"eventType\":\"PO_CREATED\",\"eventTime\":\"2026-03-01T15:00:00.000Z\","
                + "\"eventId\":\"forged-w3\"},\"payload\":{\"purchaseOrderId\":\"1999000000003\","
                + "\"orderDate\":\"2026-03-01T14:59:58.000Z\",\"orderLines\":[{\"lineNumber\":\"1\","
                + "\"sku\":\"WM-VASE-W3\",\"quantity\":{\"unitOfMeasure\":\"EACH\",\"measurementValue\":9}}]}}";

        HttpResponse<String> forged = post("wm", body, WalmartSimulator.sign("not-the-secret", body), null);
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(forged.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
        assertThat(post("wm", body, null, null).statusCode()).as("unsigned").isEqualTo(401);
        assertThat(post("wm", body, null, basic("walmart", "wrong")).statusCode())
                .as("wrong password")
                .isEqualTo(401);
        // Signed with another store's secret.
        assertThat(post("wm", body, WalmartSimulator.sign("whsec-wm-push", body), null)
                        .statusCode())
                .isEqualTo(401);

        HttpResponse<String> unknown = post("nowhere", body, WalmartSimulator.sign("whsec-wm", body), null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");

        String notJson = "{\"source\":";
        HttpResponse<String> malformed = post("wm", notJson, WalmartSimulator.sign("whsec-wm", notJson), null);
        assertThat(malformed.statusCode()).isEqualTo(400);
        String noLines = body.replace("\"orderLines\"", "\"lines\"").replace("forged-w3", "nolines-w3");
        HttpResponse<String> incomplete = post("wm", noLines, WalmartSimulator.sign("whsec-wm", noLines), null);
        assertThat(incomplete.statusCode()).as("%s", incomplete.body()).isEqualTo(400);
        assertThat(incomplete.body()).contains("orderLines");
        String textQuantity = body.replace("\"measurementValue\":9", "\"measurementValue\":\"lots\"")
                .replace("forged-w3", "badqty-w3");
        assertThat(post("wm", textQuantity, WalmartSimulator.sign("whsec-wm", textQuantity), null)
                        .statusCode())
                .isEqualTo(400);
        staysOnHand("wm-vase-w3", 9);
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM webhook_receipt WHERE store = 'wm' AND event_id LIKE '%-w3'",
                        Map.of(), Integer.class))
                .as("no receipt was stored for refused deliveries")
                .isZero();

        // The same body, properly authenticated, is booked: the refusals stored nothing that would dedupe it.
        // Basic auth is what a Walmart subscription with authMethod BASIC_AUTH sends.
        HttpResponse<String> genuine = post("wm", body, null, basic("walmart", "whsec-wm"));
        assertThat(genuine.statusCode()).as("%s", genuine.body()).isEqualTo(200);
        awaitOnHand("wm-vase-w3", 0);
        awaitWalmartLevel("wm", "WM-VASE-W3", 0);
    }

    private static List<Delivery> deliveries(String po, String eventType) {
        return WALMART.deliveries().stream()
                .filter(d -> d.eventType().equals(eventType) && d.body().contains("\"" + po + "\""))
                .toList();
    }

    private HttpResponse<String> post(String store, String body, String signature, String authorization)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(webhookUrl(store)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (signature != null) {
            request.header(WalmartSimulator.SIGNATURE_HEADER, signature);
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
