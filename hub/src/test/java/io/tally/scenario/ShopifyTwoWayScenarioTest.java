package io.tally.scenario;

import io.tally.sandbox.shopify.Shop.LineSpec;
import io.tally.sandbox.shopify.Shop.Order;
import io.tally.sandbox.shopify.Shop.RefundLineSpec;
import io.tally.sandbox.shopify.Shop.Variant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** design.md §1: two Shopify stores, two-way, matched by product handle. */
class ShopifyTwoWayScenarioTest extends ShopifyScenarioBase {

    @Test
    void salesRestocksRefundsAndCancelsKeepBothStoresEqual() {
        Variant a = product(
                        "ha", "Slim fit denim jacket", "slim-fit-denim-jacket-t1", tags(), variant("M", "SFDJ-A", 50))
                .variants()
                .get(0);
        Variant b = product(
                        "hb", "Slim fit denim jacket", "slim-fit-denim-jacket-t1", tags(), variant("M", "SFDJ-B", 50))
                .variants()
                .get(0);
        String key = "slim-fit-denim-jacket-t1";
        awaitOnHand(key, 50);

        // 5 sold in the destination: 45 in both.
        Order order = shop("hb").placeOrder(List.of(new LineSpec(b.id(), 5)), true);
        awaitShopLevel("ha", a, 45);
        awaitShopLevel("hb", b, 45);
        staysOnHand(key, 45);

        // 10 received in the source (a manual level change): 55 in both.
        shop("ha").setAvailable(a.id(), 55);
        awaitShopLevel("hb", b, 55);
        awaitShopLevel("ha", a, 55);
        staysOnHand(key, 55);

        // A refund with restock of 2 of the destination's order: 57 in both.
        shop("hb")
                .refund(
                        order.id(),
                        List.of(new RefundLineSpec(order.lineItems().get(0).id(), 2, "return")));
        awaitShopLevel("ha", a, 57);
        awaitShopLevel("hb", b, 57);
        staysOnHand(key, 57);

        // An order in the source, then cancelled with restock: back where it was.
        Order second = shop("ha").placeOrder(List.of(new LineSpec(a.id(), 4)), true);
        awaitShopLevel("hb", b, 53);
        shop("ha").cancelOrder(second.id(), true);
        awaitShopLevel("hb", b, 57);
        awaitShopLevel("ha", a, 57);
        staysOnHand(key, 57);
    }
}
