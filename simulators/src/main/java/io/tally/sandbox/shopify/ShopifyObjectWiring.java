package io.tally.sandbox.shopify;

import static io.tally.sandbox.shopify.ShopifyFetchers.connection;
import static io.tally.sandbox.shopify.ShopifyFetchers.locked;
import static io.tally.sandbox.shopify.ShopifyFetchers.parseGid;
import static io.tally.sandbox.shopify.ShopifyFetchers.shop;

import graphql.GraphqlErrorBuilder;
import graphql.execution.DataFetcherResult;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.TypeRuntimeWiring;
import io.tally.sandbox.shopify.ShopState.LevelState;
import io.tally.sandbox.shopify.ShopState.LocationState;
import io.tally.sandbox.shopify.ShopState.ProductState;
import io.tally.sandbox.shopify.ShopState.VariantState;
import io.tally.sandbox.shopify.ShopifyGraphQl.FulfillmentLineRef;
import io.tally.sandbox.shopify.ShopifyGraphQl.ItemRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fields of Shopify's object types the simulator implements (Shop, Product, ProductVariant, InventoryItem,
 * Location, InventoryLevel, the reverse fulfillment order types, FulfillmentLineItem, LineItem, Order), each read
 * from the shop's {@link ShopState} objects, and which object type a simulator value is.
 */
final class ShopifyObjectWiring {

    /** Quantity names a level can be read with; the simulator keeps committed and the rest at 0. */
    static final Set<String> QUANTITY_NAMES = Set.of(
            "available", "on_hand", "committed", "incoming", "reserved", "damaged", "quality_control", "safety_stock");

    /** Adds the object types' fetchers to {@code wiring}, after the QueryRoot and before the Mutation. */
    RuntimeWiring.Builder addTo(RuntimeWiring.Builder wiring) {
        return wiring.type(TypeRuntimeWiring.newTypeWiring("Shop")
                        .dataFetcher(
                                "id",
                                env -> "gid://shopify/Shop/"
                                        + Math.abs((long) shop(env).name().hashCode()))
                        .dataFetcher("name", env -> shop(env).name())
                        .dataFetcher("myshopifyDomain", env -> shop(env).domain()))
                .type(TypeRuntimeWiring.newTypeWiring("Product")
                        .dataFetcher("id", env -> Shop.gid("Product", this.<ProductState>src(env).id))
                        .dataFetcher("title", env -> this.<ProductState>src(env).title)
                        .dataFetcher("handle", env -> this.<ProductState>src(env).handle)
                        .dataFetcher("status", env -> this.<ProductState>src(env).status)
                        .dataFetcher("tags", env -> locked(env, () -> List.copyOf(this.<ProductState>src(env).tags)))
                        .dataFetcher(
                                "totalInventory",
                                env -> locked(
                                        env,
                                        () -> this.<ProductState>src(env).variants.stream()
                                                .flatMap(v -> shop(env).inventory.levelsOf(v).stream())
                                                .mapToLong(l -> l.available)
                                                .sum()))
                        .dataFetcher("createdAt", env -> this.<ProductState>src(env).createdAt)
                        .dataFetcher("updatedAt", env -> this.<ProductState>src(env).updatedAt)
                        .dataFetcher(
                                "variants",
                                env -> locked(
                                        env,
                                        () -> connection(
                                                env, List.copyOf(this.<ProductState>src(env).variants), v -> v.id))))
                .type(TypeRuntimeWiring.newTypeWiring("ProductVariant")
                        .dataFetcher("id", env -> Shop.gid("ProductVariant", this.<VariantState>src(env).id))
                        .dataFetcher("title", env -> this.<VariantState>src(env).title)
                        .dataFetcher("sku", env -> this.<VariantState>src(env).sku)
                        .dataFetcher("barcode", env -> this.<VariantState>src(env).barcode)
                        .dataFetcher("price", env -> this.<VariantState>src(env).price)
                        .dataFetcher("product", env -> this.<VariantState>src(env).product)
                        .dataFetcher("inventoryItem", env -> new ItemRef(src(env)))
                        .dataFetcher(
                                "inventoryQuantity",
                                env -> locked(env, () -> (int) shop(env).inventory.levelsOf(src(env)).stream()
                                        .mapToLong(l -> l.available)
                                        .sum()))
                        .dataFetcher("updatedAt", env -> this.<VariantState>src(env).updatedAt))
                .type(TypeRuntimeWiring.newTypeWiring("InventoryItem")
                        .dataFetcher(
                                "id",
                                env -> Shop.gid(
                                        "InventoryItem", this.<ItemRef>src(env).variant().itemId))
                        .dataFetcher("sku", env -> this.<ItemRef>src(env).variant().sku)
                        .dataFetcher("tracked", env -> this.<ItemRef>src(env).variant().tracked)
                        .dataFetcher("variant", env -> this.<ItemRef>src(env).variant())
                        .dataFetcher(
                                "inventoryLevel",
                                env -> locked(env, () -> {
                                    Long loc = parseGid(env.getArgument("locationId"), "Location");
                                    return loc == null
                                            ? null
                                            : shop(env)
                                                    .inventory
                                                    .level(
                                                            this.<ItemRef>src(env)
                                                                    .variant()
                                                                    .itemId,
                                                            loc);
                                }))
                        .dataFetcher(
                                "inventoryLevels",
                                env -> locked(
                                        env,
                                        () -> connection(
                                                env,
                                                shop(env)
                                                        .inventory
                                                        .levelsOf(this.<ItemRef>src(env)
                                                                .variant()),
                                                l -> l.location.id))))
                .type(TypeRuntimeWiring.newTypeWiring("Location")
                        .dataFetcher("id", env -> Shop.gid("Location", this.<LocationState>src(env).id))
                        .dataFetcher("name", env -> this.<LocationState>src(env).name)
                        .dataFetcher("isActive", env -> this.<LocationState>src(env).active)
                        .dataFetcher(
                                "inventoryLevel",
                                env -> locked(env, () -> {
                                    Long item = parseGid(env.getArgument("inventoryItemId"), "InventoryItem");
                                    return item == null
                                            ? null
                                            : shop(env).inventory.level(item, this.<LocationState>src(env).id);
                                }))
                        .dataFetcher(
                                "inventoryLevels",
                                env -> locked(env, () -> {
                                    LocationState loc = src(env);
                                    return connection(
                                            env,
                                            shop(env).levels.values().stream()
                                                    .filter(l -> l.location == loc)
                                                    .toList(),
                                            l -> l.variant.itemId);
                                })))
                .type(TypeRuntimeWiring.newTypeWiring("InventoryLevel")
                        .dataFetcher("id", env -> this.<LevelState>src(env).gid())
                        .dataFetcher("location", env -> this.<LevelState>src(env).location)
                        .dataFetcher("item", env -> new ItemRef(this.<LevelState>src(env).variant))
                        .dataFetcher("updatedAt", env -> this.<LevelState>src(env).updatedAt)
                        .dataFetcher("quantities", env -> locked(env, () -> quantities(env))))
                .type(TypeRuntimeWiring.newTypeWiring("ReverseFulfillmentOrder")
                        .dataFetcher(
                                "id",
                                env -> Shop.gid("ReverseFulfillmentOrder", this.<ShopState.ReturnState>src(env).rfoId))
                        .dataFetcher("order", env -> this.<ShopState.ReturnState>src(env).order)
                        .dataFetcher(
                                "lineItems",
                                env -> locked(
                                        env,
                                        () -> connection(
                                                env,
                                                List.copyOf(this.<ShopState.ReturnState>src(env).lines),
                                                l -> l.rfoLineId))))
                .type(TypeRuntimeWiring.newTypeWiring("ReverseFulfillmentOrderLineItem")
                        .dataFetcher(
                                "id",
                                env -> Shop.gid(
                                        "ReverseFulfillmentOrderLineItem",
                                        this.<ShopState.ReturnLineState>src(env).rfoLineId))
                        .dataFetcher("totalQuantity", env -> this.<ShopState.ReturnLineState>src(env).quantity)
                        .dataFetcher("fulfillmentLineItem", env -> new FulfillmentLineRef(src(env)))
                        .dataFetcher(
                                "dispositions",
                                env -> locked(
                                        env, () -> List.copyOf(this.<ShopState.ReturnLineState>src(env).dispositions))))
                .type(TypeRuntimeWiring.newTypeWiring("ReverseFulfillmentOrderDisposition")
                        .dataFetcher(
                                "id",
                                env -> Shop.gid(
                                        "ReverseFulfillmentOrderDisposition",
                                        this.<ShopState.DispositionState>src(env).id))
                        .dataFetcher("createdAt", env -> this.<ShopState.DispositionState>src(env).createdAt)
                        .dataFetcher("location", env -> this.<ShopState.DispositionState>src(env).location)
                        .dataFetcher("quantity", env -> this.<ShopState.DispositionState>src(env).quantity)
                        .dataFetcher("type", env -> this.<ShopState.DispositionState>src(env).type))
                .type(TypeRuntimeWiring.newTypeWiring("FulfillmentLineItem")
                        .dataFetcher(
                                "id",
                                env -> Shop.gid(
                                        "FulfillmentLineItem",
                                        this.<FulfillmentLineRef>src(env).returnLine().fulfillmentLineId))
                        .dataFetcher(
                                "quantity",
                                env -> this.<FulfillmentLineRef>src(env).returnLine().line.quantity)
                        .dataFetcher(
                                "lineItem",
                                env -> this.<FulfillmentLineRef>src(env).returnLine().line))
                .type(TypeRuntimeWiring.newTypeWiring("LineItem")
                        .dataFetcher("id", env -> Shop.gid("LineItem", this.<ShopState.LineState>src(env).id))
                        .dataFetcher("sku", env -> this.<ShopState.LineState>src(env).sku)
                        .dataFetcher("quantity", env -> this.<ShopState.LineState>src(env).quantity)
                        .dataFetcher("variant", env -> this.<ShopState.LineState>src(env).variant))
                .type(TypeRuntimeWiring.newTypeWiring("Order")
                        .dataFetcher("id", env -> Shop.gid("Order", this.<ShopState.OrderState>src(env).id))
                        .dataFetcher("name", env -> this.<ShopState.OrderState>src(env).name));
    }

    /** The object type of a simulator value, for every interface (Node, ...) and union of Shopify's schema. */
    static String objectType(Object o) {
        return o instanceof ProductState
                ? "Product"
                : o instanceof VariantState
                        ? "ProductVariant"
                        : o instanceof ItemRef
                                ? "InventoryItem"
                                : o instanceof LocationState
                                        ? "Location"
                                        : o instanceof LevelState
                                                ? "InventoryLevel"
                                                : o instanceof ShopState.ReturnState
                                                        ? "ReverseFulfillmentOrder"
                                                        : o instanceof ShopState.ReturnLineState
                                                                ? "ReverseFulfillmentOrderLineItem"
                                                                : o instanceof ShopState.DispositionState
                                                                        ? "ReverseFulfillmentOrderDisposition"
                                                                        : o instanceof FulfillmentLineRef
                                                                                ? "FulfillmentLineItem"
                                                                                : o instanceof ShopState.LineState
                                                                                        ? "LineItem"
                                                                                        : o
                                                                                                        instanceof
                                                                                                        ShopState
                                                                                                                .OrderState
                                                                                                ? "Order"
                                                                                                : "Shop";
    }

    private Object quantities(DataFetchingEnvironment env) {
        LevelState l = src(env);
        List<String> names = env.getArgument("names");
        List<Map<String, Object>> out = new ArrayList<>();
        for (String n : names) {
            if (!QUANTITY_NAMES.contains(n)) {
                return DataFetcherResult.newResult()
                        .error(GraphqlErrorBuilder.newError(env)
                                .message("Invalid quantity name: '" + n + "'. Valid names are " + QUANTITY_NAMES)
                                .build())
                        .build();
            }
            Map<String, Object> q = new LinkedHashMap<>();
            q.put("name", n);
            q.put("quantity", n.equals("available") || n.equals("on_hand") ? (int) l.available : 0);
            q.put("updatedAt", l.updatedAt);
            out.add(q);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private <T> T src(DataFetchingEnvironment env) {
        return (T) env.getSource();
    }
}
