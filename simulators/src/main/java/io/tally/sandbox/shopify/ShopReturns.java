package io.tally.sandbox.shopify;

import static io.tally.sandbox.shopify.Shop.gid;
import static io.tally.sandbox.shopify.ShopInventory.levelKey;
import static io.tally.sandbox.shopify.ShopSnapshots.snapshot;

import io.tally.sandbox.shopify.Shop.Disposition;
import io.tally.sandbox.shopify.Shop.Return;
import io.tally.sandbox.shopify.Shop.ReturnLineSpec;
import io.tally.sandbox.shopify.ShopState.DispositionState;
import io.tally.sandbox.shopify.ShopState.LevelState;
import io.tally.sandbox.shopify.ShopState.LineState;
import io.tally.sandbox.shopify.ShopState.LocationState;
import io.tally.sandbox.shopify.ShopState.OrderState;
import io.tally.sandbox.shopify.ShopState.ReturnLineState;
import io.tally.sandbox.shopify.ShopState.ReturnState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A shop's returns and their reverse fulfillment orders: requesting a return, disposing of returned units, and the
 * {@code returns/request} and {@code reverse_fulfillment_orders/dispose} webhooks.
 */
final class ShopReturns {

    private final Shop shop;

    ShopReturns(Shop shop) {
        this.shop = shop;
    }

    Return createReturn(long orderId, List<ReturnLineSpec> lines) {
        if (lines == null || lines.isEmpty()) {
            throw new IllegalArgumentException("a return needs at least one line");
        }
        synchronized (shop.lock) {
            OrderState o = shop.orderFlow.order(orderId);
            ReturnState rs = new ReturnState();
            rs.id = shop.newId();
            rs.rfoId = shop.newId();
            rs.order = o;
            for (ReturnLineSpec s : lines) {
                LineState li = ShopOrders.line(o, s.lineItemId());
                if (s.quantity() <= 0 || s.quantity() > li.quantity) {
                    throw new IllegalArgumentException("bad return quantity " + s.quantity());
                }
                ReturnLineState rl = new ReturnLineState();
                rl.id = shop.newId();
                rl.rfoLineId = shop.newId();
                rl.fulfillmentLineId = shop.newId();
                rl.line = li;
                rl.quantity = s.quantity();
                rs.lines.add(rl);
            }
            shop.returns.put(rs.id, rs);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("id", rs.id);
            body.put("admin_graphql_api_id", gid("Return", rs.id));
            body.put("order_id", o.id);
            body.put("status", rs.status);
            List<Object> rli = new ArrayList<>();
            for (ReturnLineState rl : rs.lines) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", rl.id);
                m.put("admin_graphql_api_id", gid("ReturnLineItem", rl.id));
                m.put("line_item_id", rl.line.id);
                m.put("quantity", rl.quantity);
                rli.add(m);
            }
            body.put("return_line_items", rli);
            shop.fire("returns/request", body);
            return snapshot(rs);
        }
    }

    // Shopify requires a location for RESTOCKED (ReverseFulfillmentOrderDisposeInput.locationId): the primary
    // location stands in when none is given.
    Disposition disposeReturn(long returnId, long lineItemId, int quantity, String dispositionType, Long locationId) {
        if (!List.of("RESTOCKED", "PROCESSING_REQUIRED", "NOT_RESTOCKED", "MISSING")
                .contains(dispositionType)) {
            throw new IllegalArgumentException(
                    "dispositionType must be RESTOCKED, PROCESSING_REQUIRED, " + "NOT_RESTOCKED or MISSING");
        }
        synchronized (shop.lock) {
            ReturnState rs = shop.returns.get(returnId);
            if (rs == null) {
                throw new IllegalArgumentException("unknown return " + returnId);
            }
            ReturnLineState rl = rs.lines.stream()
                    .filter(x -> x.line.id == lineItemId)
                    .findFirst()
                    .orElseThrow(
                            () -> new IllegalArgumentException("line " + lineItemId + " is not in return " + returnId));
            if (quantity <= 0 || rl.disposed + quantity > rl.quantity) {
                throw new IllegalArgumentException("only " + (rl.quantity - rl.disposed) + " units left to dispose");
            }
            boolean restock = "RESTOCKED".equals(dispositionType);
            LocationState at = null;
            if (restock) {
                at = locationId == null ? shop.catalog.primary() : shop.catalog.location(locationId);
                if (at == null) {
                    throw new IllegalArgumentException("unknown location " + locationId);
                }
            }
            rl.disposed += quantity;
            if (restock) {
                LevelState l = shop.levels.get(levelKey(rl.line.variant.itemId, at.id));
                if (l != null) {
                    shop.inventory.changeLevel(l, l.available + quantity);
                }
            }
            DispositionState ds = new DispositionState();
            ds.id = shop.newId();
            ds.type = dispositionType;
            ds.quantity = quantity;
            ds.location = at;
            ds.createdAt = Instant.now();
            rl.dispositions.add(ds);
            Disposition d = new Disposition(
                    ds.id,
                    rs.rfoId,
                    rl.rfoLineId,
                    rl.line.id,
                    rl.line.variant.id,
                    quantity,
                    dispositionType,
                    at == null ? null : at.id);
            shop.fire("reverse_fulfillment_orders/dispose", dispositionJson(rs, rl, ds));
            return d;
        }
    }

    /**
     * The {@code reverse_fulfillment_orders/dispose} body, in the shape of Shopify's webhook reference example
     * (https://shopify.dev/docs/api/webhooks/2025-01, kept as
     * src/test/resources/shopify/reverse-fulfillment-orders-dispose.json): the reverse fulfillment order's
     * {@code id}, {@code admin_graphql_api_id}, {@code total_dispositions} and per disposition
     * {@code reverse_fulfillment_order_line_item {id, admin_graphql_api_id}}, {@code reverse_delivery_line_item},
     * {@code location {id, admin_graphql_api_id}}, {@code quantity}, {@code type}. No order, line item or variant
     * id. Not documented, so chosen here: one delivery per dispose call listing that call's dispositions
     * ({@code total_dispositions} = their count); {@code type} is the lower-case enum value (the example shows
     * only {@code "restocked"}); {@code location} is null for a disposition without one.
     */
    Map<String, Object> dispositionJson(ReturnState rs, ReturnLineState rl, DispositionState ds) {
        Map<String, Object> lineItem = new LinkedHashMap<>();
        lineItem.put("id", rl.rfoLineId);
        lineItem.put("admin_graphql_api_id", gid("ReverseFulfillmentOrderLineItem", rl.rfoLineId));
        Map<String, Object> location = null;
        if (ds.location != null) {
            location = new LinkedHashMap<>();
            location.put("id", ds.location.id);
            location.put("admin_graphql_api_id", gid("Location", ds.location.id));
        }
        Map<String, Object> dm = new LinkedHashMap<>();
        dm.put("reverse_fulfillment_order_line_item", lineItem);
        dm.put("reverse_delivery_line_item", null);
        dm.put("location", location);
        dm.put("quantity", ds.quantity);
        dm.put("type", ds.type.toLowerCase(Locale.ROOT));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", rs.rfoId);
        body.put("admin_graphql_api_id", gid("ReverseFulfillmentOrder", rs.rfoId));
        body.put("total_dispositions", 1);
        body.put("dispositions", List.of(dm));
        return body;
    }

    /** The return whose reverse fulfillment order has this id, or null; callers hold the lock. */
    ReturnState returnByReverseFulfillmentOrder(long rfoId) {
        return shop.returns.values().stream()
                .filter(r -> r.rfoId == rfoId)
                .findFirst()
                .orElse(null);
    }

    List<Return> returns() {
        synchronized (shop.lock) {
            return shop.returns.values().stream().map(ShopSnapshots::snapshot).toList();
        }
    }
}
