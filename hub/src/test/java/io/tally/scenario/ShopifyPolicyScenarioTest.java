package io.tally.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.sandbox.shopify.Shop.Disposition;
import io.tally.sandbox.shopify.Shop.LineSpec;
import io.tally.sandbox.shopify.Shop.Order;
import io.tally.sandbox.shopify.Shop.RefundLineSpec;
import io.tally.sandbox.shopify.Shop.Return;
import io.tally.sandbox.shopify.Shop.ReturnLineSpec;
import io.tally.sandbox.shopify.Shop.Variant;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** design.md §1 store policies on Shopify: source/destination edits, paid-only vs created, refund vs return restocks. */
class ShopifyPolicyScenarioTest extends ShopifyScenarioBase {

    @Test
    void destinationEditsAreIgnoredRevertedOrAppliedPerPolicyAndDestinationOrdersMoveTheMaster() {
        Variant source = product("src", "Lamp", "lamp-p1", tags(), variant("One", "lamp-p1", 40))
                .variants()
                .get(0);
        awaitOnHand("lamp-p1", 40);
        Variant ignoring = product("dst", "Lamp", "lamp-p1", tags(), variant("One", "lamp-p1", 7))
                .variants()
                .get(0);
        Variant reverting = product("dst-revert", "Lamp", "lamp-p1", tags(), variant("One", "lamp-p1", 7))
                .variants()
                .get(0);
        Variant applying = product("dst-apply", "Lamp", "lamp-p1", tags(), variant("One", "lamp-p1", 7))
                .variants()
                .get(0);
        // Destinations are overwritten with the source's count when they are first linked.
        awaitShopLevel("dst", ignoring, 40);
        awaitShopLevel("dst-revert", reverting, 40);
        awaitShopLevel("dst-apply", applying, 40);
        awaitOnHand("lamp-p1", 40);

        // ignore: the destination's edit does not change the source.
        shop("dst").setAvailable(ignoring.id(), 12);
        staysOnHand("lamp-p1", 40);
        assertThat(shop("src").available(source.id())).isEqualTo(40);

        // revert: the edit is overwritten with Tally's level.
        shop("dst-revert").setAvailable(reverting.id(), 12);
        awaitShopLevel("dst-revert", reverting, 40);
        staysOnHand("lamp-p1", 40);

        // apply: the edit moves the stock (+3) and reaches every other store.
        shop("dst-apply").setAvailable(applying.id(), 43);
        awaitOnHand("lamp-p1", 43);
        awaitShopLevel("src", source, 43);
        awaitShopLevel("dst-revert", reverting, 43);

        // An order on a destination moves the master.
        shop("dst-revert").placeOrder(List.of(new LineSpec(reverting.id(), 3)), true);
        awaitOnHand("lamp-p1", 40);
        awaitShopLevel("src", source, 40);
        awaitShopLevel("dst-apply", applying, 40);
    }

    @Test
    void paidOnlyByDefaultAndPendingPaymentWhenChosen() {
        Variant paidOnly = product("sa", "Kettle", "kettle-p2", tags(), variant("One", "kettle-p2", 20))
                .variants()
                .get(0);
        awaitOnHand("kettle-p2", 20);
        Order pending = shop("sa").placeOrder(List.of(new LineSpec(paidOnly.id(), 2)), false);
        staysOnHand("kettle-p2", 20);
        shop("sa").markPaid(pending.id());
        awaitOnHand("kettle-p2", 18);
        awaitShopLevel("sa", paidOnly, 18);
        staysOnHand("kettle-p2", 18);

        Variant early = product("early", "Toaster", "toaster-p2", tags(), variant("One", "toaster-p2", 20))
                .variants()
                .get(0);
        awaitOnHand("toaster-p2", 20);
        Order unpaid = shop("early").placeOrder(List.of(new LineSpec(early.id(), 2)), false);
        awaitOnHand("toaster-p2", 18);
        shop("early").markPaid(unpaid.id());
        staysOnHand("toaster-p2", 18);
        awaitShopLevel("early", early, 18);
    }

    @Test
    void restockOnRefundByDefaultOnConfirmedReturnWhenChosenNeverBoth() {
        // Default (restock-on refund): the refund restocks, the return's disposal does not add a second unit.
        Variant v = product("sa", "Vase", "vase-p3", tags(), variant("One", "vase-p3", 10))
                .variants()
                .get(0);
        awaitOnHand("vase-p3", 10);
        Order order = shop("sa").placeOrder(List.of(new LineSpec(v.id(), 3)), true);
        awaitOnHand("vase-p3", 7);
        long line = order.lineItems().get(0).id();
        Return ret = shop("sa").createReturn(order.id(), List.of(new ReturnLineSpec(line, 1)));
        shop("sa").refund(order.id(), List.of(new RefundLineSpec(line, 1, "return")), ret.id());
        Disposition disposal = shop("sa").disposeReturn(ret.id(), line, 1, "RESTOCKED");
        assertThat(disposal.type()).isEqualTo("RESTOCKED");
        awaitOnHand("vase-p3", 8);
        awaitShopLevel("sa", v, 8);
        staysOnHand("vase-p3", 8);
        assertThat(sumLedger("vase-p3", "restock")).isEqualTo(1);

        // restock-on return: the refund's restock is not booked; the RESTOCKED disposal is, once.
        Variant r = product("ret", "Bowl", "bowl-p3", tags(), variant("One", "bowl-p3", 10))
                .variants()
                .get(0);
        awaitOnHand("bowl-p3", 10);
        Order order2 = shop("ret").placeOrder(List.of(new LineSpec(r.id(), 3)), true);
        awaitOnHand("bowl-p3", 7);
        long line2 = order2.lineItems().get(0).id();
        Return ret2 = shop("ret").createReturn(order2.id(), List.of(new ReturnLineSpec(line2, 1)));
        shop("ret").refund(order2.id(), List.of(new RefundLineSpec(line2, 1, "return")), ret2.id());
        staysOnHand("bowl-p3", 7);
        shop("ret").disposeReturn(ret2.id(), line2, 1, "RESTOCKED");
        awaitOnHand("bowl-p3", 8);
        awaitShopLevel("ret", r, 8);
        staysOnHand("bowl-p3", 8);
        assertThat(sumLedger("bowl-p3", "restock")).isEqualTo(1);
        stays(
                Duration.ofMillis(500),
                () -> assertThat(shop("ret").available(r.id())).isEqualTo(8));
    }

    /**
     * Issue 17 §9: a source variant whose SKU is edited to one a peer already seeded must re-seed the item from the
     * source's level (master, then source, then peer), as long as nothing but seeds has been booked. Before the fix
     * the re-linked variant was declared without its level, so the item kept the peer's 5 and pushed it to the source.
     */
    @Test
    void aSourceVariantRelinkedToAPeerSeededItemReseedsItFromTheSource() {
        Variant peer = product("sa", "Jug", "jug-p4", tags(), variant("One", "jug-p4", 5))
                .variants()
                .get(0);
        awaitOnHand("jug-p4", 5);
        Variant source = product("src", "Jug", "jug-p4-old", tags(), variant("One", "jug-p4-old", 40))
                .variants()
                .get(0);
        awaitOnHand("jug-p4-old", 40);

        shop("src").updateVariant(source.id(), "jug-p4", null);
        eventually(
                () -> assertThat(api.listing("src", ref(source)).path("itemKey").asText())
                        .isEqualTo("jug-p4"));
        awaitOnHand("jug-p4", 40);
        awaitShopLevel("sa", peer, 40);
        awaitShopLevel("src", source, 40);
    }
}
