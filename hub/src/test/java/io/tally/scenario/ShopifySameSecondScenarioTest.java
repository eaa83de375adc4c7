package io.tally.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.sandbox.shopify.Shop.Variant;
import io.tally.sandbox.shopify.WebhookDispatcher;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 defect 3: Shopify's times have whole seconds ({@code updated_at} of {@code inventory_levels/update},
 * {@code InventoryAdjustmentGroup.createdAt}), so a merchant's edit in the same second as Tally's push carries the
 * same time as the push. It must be booked, not judged stale, and reconciliation must repair it if its webhook is
 * lost.
 */
class ShopifySameSecondScenarioTest extends ShopifyScenarioBase {

    @Test
    void aMerchantEditInTheSameSecondAsTallysPushIsBooked() {
        Variant v = product("sa", "Same second mug", "same-second-mug", tags(), variant("One", "ss-mug", 20))
                .variants()
                .get(0);
        awaitOnHand("ss-mug", 20);
        int firedBefore = shop("sa").firedWebhooks().size();

        // Tally pushes 17; the merchant sets 25 in the admin right after, within the same second.
        shop("sa").editRightAfterLevel(v.id(), 17, 25);
        adjust("ss-mug", -3);
        eventually(() -> assertThat(levelUpdates(firedBefore, v)).hasSize(2));
        List<JsonNode> updates = levelUpdates(firedBefore, v);
        assertThat(updates.get(0).path("available").asLong()).isEqualTo(17);
        assertThat(updates.get(1).path("available").asLong()).isEqualTo(25);
        assertThat(updates.get(1).path("updated_at").asText())
                .as("both changes carry the same whole second")
                .isEqualTo(updates.get(0).path("updated_at").asText());

        // The merchant's +8 is an adjustment of a peer store (policy apply): on-hand follows, Shopify keeps 25.
        awaitOnHand("ss-mug", 25);
        awaitShopLevel("sa", v, 25);
        staysOnHand("ss-mug", 25);
        assertThat(sumLedger("ss-mug", "adjustment")).isEqualTo(-3 + 8);
    }

    @Test
    void reconciliationRepairsASameSecondEditWhoseWebhookWasLost() {
        Variant v = product("sa", "Same second jug", "same-second-jug", tags(), variant("One", "ss-jug", 30))
                .variants()
                .get(0);
        awaitOnHand("ss-jug", 30);

        // Every webhook of the push and of the edit is lost (Shopify gave up): only reconciliation can see the edit.
        var original = shop("sa").settings();
        String url = shop("sa").webhookUrl();
        shop("sa")
                .settings(original.toBuilder()
                        .maxRetries(0)
                        .webhookUrl("http://127.0.0.1:9/unreachable")
                        .build());
        try {
            shop("sa").editRightAfterLevel(v.id(), 26, 33);
            adjust("ss-jug", -4);
            eventually(() -> assertThat(shop("sa").available(v.id())).isEqualTo(33));
            assertThat(shop("sa").awaitWebhooksDelivered(Duration.ofSeconds(10)))
                    .isTrue();
        } finally {
            shop("sa").settings(original);
            shop("sa").webhookUrl(url);
        }
        eventually(() ->
                assertThat(api.listing("sa", ref(v)).path("state").asText()).isEqualTo("in_sync"));
        assertThat(api.onHand("ss-jug")).as("Tally has not heard of the edit").isEqualTo(26);

        // The channel's level (33) carries the same second as Tally's push (26): the read alone cannot decide it, but
        // the difference persists past the settle window, so it is corrected.
        TallyClient.Resp report = api.send("POST", "/api/reconcile/sa", null, TOKEN);
        assertThat(report.status()).as("%s", report).isEqualTo(200);
        assertThat(report.json().path("details").toString()).as("%s", report).contains(ref(v) + ": channel shows 33");
        awaitOnHand("ss-jug", 33);
        awaitShopLevel("sa", v, 33);
        staysOnHand("ss-jug", 33);
        assertThat(sumLedger("ss-jug", "adjustment")).isEqualTo(-4 + 7);

        // Repaired for good: the next reconciliation finds nothing to correct on this listing.
        TallyClient.Resp again = api.send("POST", "/api/reconcile/sa", null, TOKEN);
        assertThat(again.json().path("details").toString()).as("%s", again).doesNotContain(ref(v) + ":");
    }

    private void adjust(String key, long delta) {
        TallyClient.Resp r = api.post("/api/items/" + key + "/adjustments", Map.of("delta", delta, "reason", "count"));
        assertThat(r.status()).as("%s", r).isBetween(200, 299);
    }

    /** The {@code inventory_levels/update} payloads fired for the variant since {@code from}, in order. */
    private static List<JsonNode> levelUpdates(int from, Variant v) {
        List<WebhookDispatcher.Event> fired = shop("sa").firedWebhooks();
        return fired.subList(from, fired.size()).stream()
                .filter(e -> e.topic().equals("inventory_levels/update"))
                .map(e -> TallyClient.parse(e.bodyText()))
                .filter(b -> b.path("inventory_item_id").asLong() == v.inventoryItemId())
                .toList();
    }
}
