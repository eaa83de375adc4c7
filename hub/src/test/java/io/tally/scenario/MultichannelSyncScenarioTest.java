package io.tally.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.sandbox.shopify.Shop.Order;
import io.tally.sandbox.shopify.Shop.RefundLineSpec;
import io.tally.sandbox.shopify.Shop.Variant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * design.md §1, "Amazon, Shopify and Walmart sell the same SKU": any sale decrements the master once and every other
 * channel gets the new level, each holding back its own safety stock; bundles consume their components; returns go
 * back into the master.
 */
class MultichannelSyncScenarioTest extends MultichannelScenarioBase {

    @Test
    void aSaleOnEachChannelInTurnLowersOnHandOnceAndEveryChannelEndsAtItsOwnTarget() {
        String sku = "MC-TEE";
        Variant v = listEverywhere(sku, 50);
        // 50 on hand: Shopify shows 49, Amazon 48, Walmart 47.

        Order shopOrder = sellOnShopify(v, 2);
        awaitOnHand(key(sku), 48);
        awaitEverywhere(sku, v, 48);
        staysOnHand(key(sku), 48);

        String amazonOrder = sellOnAmazon(sku, 3);
        awaitOnHand(key(sku), 45);
        awaitEverywhere(sku, v, 45);
        staysOnHand(key(sku), 45);

        String walmartPo = sellOnWalmart(sku, 4);
        awaitOnHand(key(sku), 41);
        awaitEverywhere(sku, v, 41);
        staysOnHand(key(sku), 41);

        // Each sale booked once, on the channel where it happened; nothing else moved the count.
        assertThat(salesByStore(key(sku))).isEqualTo(Map.of(SHOP, -2L, AMZ, -3L, WM, -4L));
        assertThat(api.ledgerSum(key(sku))).isEqualTo(41);
        assertThat(sumLedger(key(sku), "count"))
                .as("the seed from Shopify's level")
                .isEqualTo(50);
        assertThat(sumLedger(key(sku), "sale"))
                .as("only the three sales besides the seed")
                .isEqualTo(-9);
        assertThat(shopOrder.id()).isPositive();
        assertThat(amazonOrder).isNotBlank();
        assertThat(walmartPo).isNotBlank();
        // The channels themselves: on-hand minus each store's own safety stock.
        assertThat(shopifyLevel(v)).isEqualTo(41 - SHOP_SAFETY);
        assertThat(amazonLevel(sku)).isEqualTo(41 - AMZ_SAFETY);
        assertThat(walmartLevel(sku)).isEqualTo(41 - WM_SAFETY);
    }

    /**
     * Shopify and Walmart selling at the same moment: Tally's compare-and-set pushes to Shopify often find the level
     * moved by the Shopify sale. Regression test: a stale compare-and-set used to make the listing's next push be
     * abandoned although Shopify took it, and the echo of that push was then booked as a -1 adjustment.
     */
    @Test
    void salesOnTwoChannelsAtTheSameMomentAreBookedOnceAndNothingElseMovesTheCount() {
        String sku = "MC-PAIR";
        Variant v = listEverywhere(sku, 200);
        for (int i = 0; i < 8; i++) {
            sellOnShopify(v, 2);
            sellOnWalmart(sku, 1);
            sleep(600);
        }
        awaitOnHand(key(sku), 176);
        awaitEverywhere(sku, v, 176);
        staysOnHand(key(sku), 176);
        assertThat(sumLedger(key(sku), "adjustment"))
                .as("adjustments booked: %s", api.ledger(key(sku)))
                .isZero();
        assertThat(salesByStore(key(sku))).isEqualTo(Map.of(SHOP, -16L, WM, -8L));
    }

    @Test
    void aBundleSoldOnWalmartLowersItsComponentsOnEveryChannel() {
        Variant mug = listEverywhere("MC-MUG", 100);
        Variant tea = listEverywhere("MC-TEA", 100);
        TallyClient.Resp b = api.put("/api/bundles/mc-gift", Map.of("components", Map.of("mc-mug", 1, "mc-tea", 2)));
        assertThat(b.status()).as("%s", b).isEqualTo(200);
        // The gift set is listed on all three channels too; its level is the sets its components make (50).
        Variant gift = shopifyProduct("MC-GIFT", 0);
        amazonListing("MC-GIFT", 0);
        walmartItem("MC-GIFT", 0, false);
        awaitEverywhere("MC-GIFT", gift, 50);

        sellOnWalmart("MC-GIFT", 2);
        awaitOnHand("mc-mug", 98);
        awaitOnHand("mc-tea", 96);
        awaitEverywhere("MC-MUG", mug, 98);
        awaitEverywhere("MC-TEA", tea, 96);
        awaitEverywhere("MC-GIFT", gift, 48); // min(98 / 1, 96 / 2)
        staysOnHand("mc-mug", 98);
        staysOnHand("mc-tea", 96);
        assertThat(salesByStore("mc-mug")).isEqualTo(Map.of(WM, -2L));
        assertThat(salesByStore("mc-tea")).isEqualTo(Map.of(WM, -4L));
        JsonNode item = api.item("mc-gift");
        assertThat(item.path("bundle").asBoolean()).isTrue();
        assertThat(item.path("onHand").asLong()).isEqualTo(48);

        // A component sold elsewhere moves the bundle everywhere as well: 21 teas on Amazon leave 75, 37 sets.
        sellOnAmazon("MC-TEA", 21);
        awaitOnHand("mc-tea", 75);
        awaitEverywhere("MC-TEA", tea, 75);
        awaitEverywhere("MC-GIFT", gift, 37);
        awaitEverywhere("MC-MUG", mug, 98);
        staysOnHand("mc-tea", 75);
    }

    @Test
    void aShopifyRefundWithRestockRestocksOnHandAndEveryChannel() {
        String sku = "MC-CAP";
        Variant v = listEverywhere(sku, 30);

        Order order = sellOnShopify(v, 5);
        awaitOnHand(key(sku), 25);
        awaitEverywhere(sku, v, 25);

        // The customer returns 3; the refund restocks them (the store's default restock-on: refund).
        shop().refund(
                        order.id(),
                        List.of(new RefundLineSpec(order.lineItems().get(0).id(), 3, "return")));
        awaitOnHand(key(sku), 28);
        awaitEverywhere(sku, v, 28);
        staysOnHand(key(sku), 28);
        assertThat(sumLedger(key(sku), "sale")).isEqualTo(-5);
        assertThat(sumLedger(key(sku), "restock")).isEqualTo(3);
        assertThat(shopifyLevel(v)).isEqualTo(28 - SHOP_SAFETY);
        assertThat(amazonLevel(sku)).isEqualTo(28 - AMZ_SAFETY);
        assertThat(walmartLevel(sku)).isEqualTo(28 - WM_SAFETY);
    }
}
