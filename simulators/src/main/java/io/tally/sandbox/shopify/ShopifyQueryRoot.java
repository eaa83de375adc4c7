package io.tally.sandbox.shopify;

import static io.tally.sandbox.shopify.ShopifyFetchers.connection;
import static io.tally.sandbox.shopify.ShopifyFetchers.locked;
import static io.tally.sandbox.shopify.ShopifyFetchers.parseGid;
import static io.tally.sandbox.shopify.ShopifyFetchers.shop;

import graphql.schema.idl.TypeRuntimeWiring;
import io.tally.sandbox.shopify.ShopState.ProductState;
import io.tally.sandbox.shopify.ShopState.VariantState;
import io.tally.sandbox.shopify.ShopifyGraphQl.ItemRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The QueryRoot fields the simulator implements: shop, locations, products, variants, items, nodes, returns. */
final class ShopifyQueryRoot {

    private ShopifyQueryRoot() {}

    static TypeRuntimeWiring.Builder wiring() {
        return TypeRuntimeWiring.newTypeWiring("QueryRoot")
                .dataFetcher("shop", env -> shop(env))
                .dataFetcher(
                        "location",
                        env -> locked(env, () -> {
                            String id = env.getArgument("id");
                            if (id == null) {
                                return shop(env).catalog.primary();
                            }
                            Long loc = parseGid(id, "Location");
                            return loc == null ? null : shop(env).catalog.location(loc);
                        }))
                .dataFetcher(
                        "locations",
                        env -> locked(env, () -> connection(env, List.copyOf(shop(env).locations), l -> l.id)))
                .dataFetcher(
                        "products",
                        env -> locked(env, () -> {
                            String q = env.getArgument("query");
                            return connection(
                                    env,
                                    shop(env).products.values().stream()
                                            .filter(p -> q == null
                                                    || p.variants.stream().anyMatch(v -> matches(p, v, q)))
                                            .toList(),
                                    p -> p.id);
                        }))
                .dataFetcher(
                        "product",
                        env -> locked(env, () -> {
                            Long id = parseGid(env.getArgument("id"), "Product");
                            return id == null ? null : shop(env).products.get(id);
                        }))
                .dataFetcher(
                        "productVariants",
                        env -> locked(env, () -> {
                            String q = env.getArgument("query");
                            return connection(
                                    env,
                                    shop(env).variants.values().stream()
                                            .filter(v -> q == null || matches(v.product, v, q))
                                            .toList(),
                                    v -> v.id);
                        }))
                .dataFetcher(
                        "productVariant",
                        env -> locked(env, () -> {
                            Long id = parseGid(env.getArgument("id"), "ProductVariant");
                            return id == null ? null : shop(env).variants.get(id);
                        }))
                .dataFetcher(
                        "inventoryItem",
                        env -> locked(env, () -> {
                            Long id = parseGid(env.getArgument("id"), "InventoryItem");
                            VariantState v =
                                    id == null ? null : shop(env).variantsByItem.get(id);
                            return v == null ? null : new ItemRef(v);
                        }))
                .dataFetcher(
                        "reverseFulfillmentOrder",
                        env -> locked(env, () -> {
                            Long id = parseGid(env.getArgument("id"), "ReverseFulfillmentOrder");
                            return id == null ? null : shop(env).returnFlow.returnByReverseFulfillmentOrder(id);
                        }))
                .dataFetcher("node", env -> locked(env, () -> node(shop(env), env.getArgument("id"))))
                .dataFetcher(
                        "nodes",
                        env -> locked(env, () -> {
                            List<String> ids = env.getArgument("ids");
                            List<Object> out = new ArrayList<>();
                            for (String id : ids) {
                                out.add(node(shop(env), id));
                            }
                            return out;
                        }));
    }

    /**
     * Shopify search syntax, reduced: {@code sku:X}, {@code barcode:X}, {@code title:X}, {@code handle:X}
     * (AND-ed, quotes allowed); a bare word matches the title.
     */
    private static boolean matches(ProductState p, VariantState v, String q) {
        for (String term : q.trim().split("\\s+(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)")) {
            if (term.isEmpty() || term.equalsIgnoreCase("AND")) {
                continue;
            }
            int colon = term.indexOf(':');
            String key = colon < 0 ? "title" : term.substring(0, colon);
            String val = (colon < 0 ? term : term.substring(colon + 1)).replace("\"", "");
            boolean ok = switch (key) {
                case "sku" -> val.equals(v.sku);
                case "barcode" -> val.equals(v.barcode);
                case "handle" -> val.equals(p.handle);
                case "id" -> val.equals(Long.toString(p.id));
                default -> p.title.toLowerCase(Locale.ROOT).contains(val.toLowerCase(Locale.ROOT));
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static Object node(Shop shop, String gid) {
        if (gid == null || !gid.startsWith("gid://shopify/")) {
            return null;
        }
        String rest = gid.substring("gid://shopify/".length());
        int slash = rest.indexOf('/');
        if (slash < 0) {
            return null;
        }
        String type = rest.substring(0, slash);
        if (type.equals("InventoryLevel")) {
            Matcher m = Pattern.compile("^(\\d+)\\?inventory_item_id=(\\d+)$").matcher(rest.substring(slash + 1));
            return m.matches() ? shop.inventory.level(Long.parseLong(m.group(2)), Long.parseLong(m.group(1))) : null;
        }
        Long id = parseGid(gid, type);
        if (id == null) {
            return null;
        }
        return switch (type) {
            case "Product" -> shop.products.get(id);
            case "ProductVariant" -> shop.variants.get(id);
            case "InventoryItem" ->
                shop.variantsByItem.get(id) == null ? null : new ItemRef(shop.variantsByItem.get(id));
            case "Location" -> shop.catalog.location(id);
            default -> null;
        };
    }
}
