package io.tally.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.sandbox.shopify.Shop.LineSpec;
import io.tally.sandbox.shopify.Shop.Product;
import io.tally.sandbox.shopify.Shop.Variant;
import io.tally.sandbox.shopify.Shop.VariantSpec;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** design.md §1 with a Shopify store: the master product group, shared SKUs, barcode matching, the hidden tag. */
class ShopifyGroupingScenarioTest extends ShopifyScenarioBase {

    @Test
    void masterGroupDropsBy5EverywhereAndAManualMasterUpdatePropagates() {
        Variant blank = product(
                        "sa",
                        "Grey T-Shirt",
                        "grey-tshirt-g1",
                        tags("inventory-master"),
                        variant("M", "grey-md-g1", 3000))
                .variants()
                .get(0);
        Variant cat = product("sa", "Cat print", "cat-print-g1", tags(), variant("M", "grey-md-g1", 3000))
                .variants()
                .get(0);
        Variant dog = product("sa", "Dog print", "dog-print-g1", tags(), variant("M", "grey-md-g1", 3000))
                .variants()
                .get(0);
        Variant bird = product("sa", "Bird print", "bird-print-g1", tags(), variant("M", "grey-md-g1", 3000))
                .variants()
                .get(0);
        awaitOnHand("grey-md-g1", 3000);
        assertThat(api.listing("sa", ref(blank)).path("master").asBoolean()).isTrue();

        shop("sa").placeOrder(List.of(new LineSpec(dog.id(), 3), new LineSpec(cat.id(), 2)), true);

        awaitOnHand("grey-md-g1", 2995);
        for (Variant v : List.of(blank, cat, dog, bird)) {
            awaitShopLevel("sa", v, 2995);
        }
        // Shopify's own decrements of Dog and Cat (inventory_levels/update) are consequences, not more sales.
        staysOnHand("grey-md-g1", 2995);

        // New blank stock received: the master's level becomes the count and reaches every print.
        shop("sa").setAvailable(blank.id(), 3100);
        awaitOnHand("grey-md-g1", 3100);
        for (Variant v : List.of(blank, cat, dog, bird)) {
            awaitShopLevel("sa", v, 3100);
        }
        staysOnHand("grey-md-g1", 3100);
    }

    @Test
    void sharedSkuWithoutMasterIs8EverywhereNot9() {
        Variant cat = product("sa", "Cat shirt", "cat-shirt-g2", tags(), variant("M", "shared-g2", 10))
                .variants()
                .get(0);
        Variant dog = product("sa", "Dog shirt", "dog-shirt-g2", tags(), variant("M", "shared-g2", 10))
                .variants()
                .get(0);
        Variant bird = product("sa", "Bird shirt", "bird-shirt-g2", tags(), variant("M", "shared-g2", 10))
                .variants()
                .get(0);
        awaitOnHand("shared-g2", 10);

        shop("sa").placeOrder(List.of(new LineSpec(cat.id(), 1), new LineSpec(dog.id(), 1)), true);

        for (Variant v : List.of(cat, dog, bird)) {
            awaitShopLevel("sa", v, 8);
        }
        staysOnHand("shared-g2", 8);
    }

    @Test
    void barcodeMatchingGroupsVariantsWithDifferentSkus() {
        Variant red = product(
                        "bc", "Mug red", "mug-red-g3", tags(), new VariantSpec("Red", "MUG-R-G3", "0012345000031", 20))
                .variants()
                .get(0);
        Variant blue = product(
                        "bc",
                        "Mug blue",
                        "mug-blue-g3",
                        tags(),
                        new VariantSpec("Blue", "MUG-B-G3", "0012345000031", 20))
                .variants()
                .get(0);
        awaitOnHand("0012345000031", 20);

        shop("bc").placeOrder(List.of(new LineSpec(red.id(), 4)), true);

        awaitShopLevel("bc", red, 16);
        awaitShopLevel("bc", blue, 16);
        staysOnHand("0012345000031", 16);
    }

    @Test
    void hiddenTaggedProductsAreNeverLinkedNorPushed() {
        Variant visible = product("sa", "Cap", "cap-g4", tags(), variant("One", "cap-g4", 30))
                .variants()
                .get(0);
        Product hiddenProduct = product(
                "sa", "Cap (wholesale)", "cap-wholesale-g4", tags("tally-hidden"), variant("One", "cap-g4", 500));
        Variant hidden = hiddenProduct.variants().get(0);
        assertThat(api.listing("sa", ref(hidden)).path("state").asText()).isEqualTo("hidden");

        shop("sa").placeOrder(List.of(new LineSpec(visible.id(), 5)), true);

        awaitShopLevel("sa", visible, 25);
        staysOnHand("cap-g4", 25);
        stays(
                Duration.ofSeconds(1),
                () -> assertThat(shop("sa").available(hidden.id())).isEqualTo(500));
    }
}
