package io.tally.sandbox;

import java.util.List;
import java.util.Map;

/**
 * design.md §1's examples as the sandbox seeds them: what each store sells and at what level it starts. Keyed by the
 * store ids of {@code config/application-sandbox.yaml}; a store missing from the config is simply not seeded.
 *
 * <p>Every channel starts at the same level for the same SKU, so whichever listing Tally links first seeds the same
 * on-hand. Then Tally pushes each listing its target: the marketplaces drop by their safety stock.
 */
final class SandboxExamples {

    /** The SKU sold everywhere: Shopify (both shops), Amazon and Walmart. */
    static final String EVERYWHERE_SKU = "steel-bottle";

    /** A Shopify product with one or more variants. */
    record Product(String title, String handle, Tag tag, List<Variant> variants) {
        Product(String title, String handle, Tag tag, String sku, long level) {
            this(title, handle, tag, List.of(new Variant("Default Title", sku, level)));
        }
    }

    record Variant(String title, String sku, long level) {}

    /** The product tag that makes a listing special; the tag names come from {@code tally.master-tag}/{@code hidden-tag}. */
    enum Tag {
        NONE,
        MASTER,
        HIDDEN
    }

    /** A marketplace listing (an Amazon seller SKU, a Walmart SKU); Tally's ref for it is the SKU. */
    record Offer(String sku, int level) {}

    /** A listing of a generic {@code http} store, declared through the catalog (that channel has no catalog API). */
    record GenericListing(String store, String ref, String sku, boolean master, Long level) {}

    /** Shopify shops: the master-product group, the shared SKU, the two-way jacket, a bundle, a hidden product. */
    static final Map<String, List<Product>> SHOPIFY = Map.of(
            "shop-main",
                    List.of(
                            // Master product: the blank carries the master tag; the prints share its SKU.
                            new Product("Grey T-Shirt", "grey-tshirt-blank", Tag.MASTER, "grey-md-tshirt", 3000),
                            new Product("Grey T-Shirt, Cat print", "grey-tshirt-cat", Tag.NONE, "grey-md-tshirt", 3000),
                            new Product("Grey T-Shirt, Dog print", "grey-tshirt-dog", Tag.NONE, "grey-md-tshirt", 3000),
                            new Product(
                                    "Grey T-Shirt, Bird print", "grey-tshirt-bird", Tag.NONE, "grey-md-tshirt", 3000),
                            // Shared SKU, no master: one order of a Cat and a Dog leaves 8 everywhere.
                            new Product("Cat Shirt", "cat-shirt", Tag.NONE, "shared-sku", 10),
                            new Product("Dog Shirt", "dog-shirt", Tag.NONE, "shared-sku", 10),
                            new Product("Bird Shirt", "bird-shirt", Tag.NONE, "shared-sku", 10),
                            new Product(
                                    "Slim Fit Denim Jacket",
                                    "slim-fit-denim-jacket",
                                    Tag.NONE,
                                    "slim-fit-denim-jacket",
                                    50),
                            // A bundle and its components (the bundle is defined in BUNDLES).
                            new Product("Mug", "mug", Tag.NONE, "mug", 40),
                            new Product("Tea", "tea", Tag.NONE, "tea", 100),
                            new Product("Gift Set", "gift-set", Tag.NONE, "gift-set", 40),
                            new Product("Steel Water Bottle", "steel-bottle", Tag.NONE, EVERYWHERE_SKU, 120),
                            // Never linked, never pushed.
                            new Product("Staff Sample", "staff-sample", Tag.HIDDEN, "staff-sample", 5)),
            "shop-outlet",
                    List.of(
                            new Product(
                                    "Slim Fit Denim Jacket",
                                    "slim-fit-denim-jacket",
                                    Tag.NONE,
                                    "slim-fit-denim-jacket",
                                    50),
                            new Product("Gift Set", "gift-set", Tag.NONE, "gift-set", 40),
                            new Product("Steel Water Bottle", "steel-bottle", Tag.NONE, EVERYWHERE_SKU, 120)));

    static final Map<String, List<Offer>> AMAZON = Map.of("amazon", List.of(new Offer(EVERYWHERE_SKU, 120)));

    static final Map<String, List<Offer>> WALMART =
            Map.of("walmart", List.of(new Offer(EVERYWHERE_SKU, 120), new Offer("gift-set", 40)));

    /** A gift set is one mug and two teas: selling one books both, its level is the sets they make (40). */
    static final Map<String, Map<String, Integer>> BUNDLES = Map.of("gift-set", Map.of("mug", 1, "tea", 2));

    /** The generic stores of the README's first walkthroughs, pushing to the generic channel simulator. */
    static final List<GenericListing> GENERIC = List.of(
            new GenericListing("shop-a", "grey-tshirt-blank", "grey-md-tshirt", true, 3000L),
            new GenericListing("shop-a", "grey-tshirt-cat", "grey-md-tshirt", false, null),
            new GenericListing("shop-a", "grey-tshirt-dog", "grey-md-tshirt", false, null),
            new GenericListing("shop-a", "grey-tshirt-bird", "grey-md-tshirt", false, null),
            new GenericListing("shop-a", "cat-shirt", "shared-sku", false, 10L),
            new GenericListing("shop-a", "dog-shirt", "shared-sku", false, 10L),
            new GenericListing("shop-a", "bird-shirt", "shared-sku", false, 10L),
            new GenericListing("shop-a", "slim-fit-denim-jacket", "slim-fit-denim-jacket", false, 50L),
            new GenericListing("shop-b", "slim-fit-denim-jacket", "slim-fit-denim-jacket", false, 50L),
            new GenericListing("shop-a", "mug", "mug", false, 40L),
            new GenericListing("shop-a", "tea", "tea", false, 100L),
            new GenericListing("shop-a", "gift-set", "gift-set", false, null),
            new GenericListing("shop-b", "gift-set", "gift-set", false, null));

    private SandboxExamples() {}
}
