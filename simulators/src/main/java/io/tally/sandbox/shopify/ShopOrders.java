package io.tally.sandbox.shopify;

import static io.tally.sandbox.shopify.ShopInventory.levelKey;
import static io.tally.sandbox.shopify.ShopSnapshots.snapshot;

import io.tally.sandbox.shopify.Shop.LineSpec;
import io.tally.sandbox.shopify.Shop.Order;
import io.tally.sandbox.shopify.Shop.Refund;
import io.tally.sandbox.shopify.Shop.RefundLineSpec;
import io.tally.sandbox.shopify.ShopState.LevelState;
import io.tally.sandbox.shopify.ShopState.LineState;
import io.tally.sandbox.shopify.ShopState.LocationState;
import io.tally.sandbox.shopify.ShopState.OrderState;
import io.tally.sandbox.shopify.ShopState.RefundLineState;
import io.tally.sandbox.shopify.ShopState.RefundState;
import io.tally.sandbox.shopify.ShopState.VariantState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A shop's orders and refunds: placing, paying and cancelling orders, refunding lines (with restocking), and the
 * {@code orders/*} and {@code refunds/create} webhooks they fire.
 */
final class ShopOrders {

    private final Shop shop;
    private int nextOrderNumber = 1001;

    ShopOrders(Shop shop) {
        this.shop = shop;
    }

    Order placeOrder(List<LineSpec> lines, boolean paid) {
        if (lines == null || lines.isEmpty()) {
            throw new IllegalArgumentException("an order needs at least one line");
        }
        synchronized (shop.lock) {
            Instant now = Instant.now();
            OrderState o = new OrderState();
            o.id = shop.newId();
            o.name = "#" + nextOrderNumber++;
            o.createdAt = now;
            o.updatedAt = now;
            o.financialStatus = paid ? "paid" : "pending";
            for (LineSpec spec : lines) {
                if (spec.quantity() <= 0) {
                    throw new IllegalArgumentException("quantity must be positive");
                }
                VariantState v = shop.catalog.variant(spec.variantId());
                LineState li = new LineState();
                li.id = shop.newId();
                li.variant = v;
                li.productId = v.product.id;
                li.sku = v.sku;
                li.title = v.product.title;
                li.variantTitle = v.title;
                li.price = v.price;
                li.quantity = spec.quantity();
                o.lines.add(li);
            }
            shop.orders.put(o.id, o);
            for (LineState li : o.lines) {
                LevelState l = shop.levels.get(levelKey(li.variant.itemId, shop.catalog.primary().id));
                shop.inventory.changeLevel(l, l.available - li.quantity);
            }
            shop.fire("orders/create", shop.json.orderJson(o));
            if (paid) {
                shop.fire("orders/paid", shop.json.orderJson(o));
            }
            return snapshot(o);
        }
    }

    Order markPaid(long orderId) {
        synchronized (shop.lock) {
            OrderState o = order(orderId);
            o.financialStatus = "paid";
            o.updatedAt = Instant.now();
            shop.fire("orders/paid", shop.json.orderJson(o));
            shop.fire("orders/updated", shop.json.orderJson(o));
            return snapshot(o);
        }
    }

    Order cancelOrder(long orderId, boolean restock) {
        synchronized (shop.lock) {
            OrderState o = order(orderId);
            if (o.cancelledAt != null) {
                throw new IllegalStateException("order " + orderId + " is already cancelled");
            }
            if (restock) {
                List<RefundLineSpec> specs = new ArrayList<>();
                for (LineState li : o.lines) {
                    int left = li.quantity - li.refunded;
                    if (left > 0) {
                        specs.add(new RefundLineSpec(li.id, left, "cancel"));
                    }
                }
                if (!specs.isEmpty()) {
                    doRefund(o, specs, null, false);
                }
            }
            o.cancelledAt = Instant.now();
            o.cancelReason = "customer";
            o.updatedAt = o.cancelledAt;
            if (restock && "pending".equals(o.financialStatus)) {
                o.financialStatus = "voided";
            }
            shop.fire("orders/cancelled", shop.json.orderJson(o));
            shop.fire("orders/updated", shop.json.orderJson(o));
            return snapshot(o);
        }
    }

    Refund refund(long orderId, List<RefundLineSpec> lines, Long returnId) {
        synchronized (shop.lock) {
            OrderState o = order(orderId);
            if (returnId != null && !shop.returns.containsKey(returnId)) {
                throw new IllegalArgumentException("unknown return " + returnId);
            }
            RefundState r = doRefund(o, lines, returnId, true);
            return snapshot(r);
        }
    }

    RefundState doRefund(OrderState o, List<RefundLineSpec> specs, Long returnId, boolean fireUpdated) {
        if (specs == null || specs.isEmpty()) {
            throw new IllegalArgumentException("a refund needs at least one line");
        }
        // validate everything first: all or nothing
        Map<Long, Integer> wanted = new LinkedHashMap<>();
        for (RefundLineSpec s : specs) {
            LineState li = line(o, s.lineItemId());
            if (!List.of("return", "cancel", "no_restock").contains(s.restockType())) {
                throw new IllegalArgumentException("restock_type must be return, cancel or no_restock");
            }
            if (s.quantity() <= 0) {
                throw new IllegalArgumentException("quantity must be positive");
            }
            int total = wanted.merge(li.id, s.quantity(), Integer::sum);
            if (total > li.quantity - li.refunded) {
                throw new IllegalArgumentException(
                        "line " + li.id + " has only " + (li.quantity - li.refunded) + " refundable units");
            }
        }
        Instant now = Instant.now();
        RefundState r = new RefundState();
        r.id = shop.newId();
        r.order = o;
        r.createdAt = now;
        r.returnId = returnId;
        LocationState primary = shop.catalog.primary();
        for (RefundLineSpec s : specs) {
            LineState li = line(o, s.lineItemId());
            RefundLineState rl = new RefundLineState();
            rl.id = shop.newId();
            rl.line = li;
            rl.quantity = s.quantity();
            rl.restockType = s.restockType();
            boolean restock = !"no_restock".equals(s.restockType());
            rl.locationId = restock ? primary.id : null;
            li.refunded += s.quantity();
            r.lines.add(rl);
            if (restock) {
                LevelState l = shop.levels.get(levelKey(li.variant.itemId, primary.id));
                if (l != null) {
                    shop.inventory.changeLevel(l, l.available + s.quantity());
                }
            }
        }
        o.refunds.add(r);
        o.updatedAt = now;
        if ("paid".equals(o.financialStatus) || "partially_refunded".equals(o.financialStatus)) {
            boolean all = o.lines.stream().allMatch(li -> li.refunded >= li.quantity);
            o.financialStatus = all ? "refunded" : "partially_refunded";
        }
        shop.fire("refunds/create", shop.json.refundJson(r));
        if (fireUpdated) {
            shop.fire("orders/updated", shop.json.orderJson(o));
        }
        return r;
    }

    List<Order> orders() {
        synchronized (shop.lock) {
            return shop.orders.values().stream().map(ShopSnapshots::snapshot).toList();
        }
    }

    Order order(String nameOrId) {
        synchronized (shop.lock) {
            for (OrderState o : shop.orders.values()) {
                if (o.name.equals(nameOrId) || Long.toString(o.id).equals(nameOrId)) {
                    return snapshot(o);
                }
            }
            throw new IllegalArgumentException("unknown order " + nameOrId);
        }
    }

    Map<String, Object> orderJsonOf(long orderId) {
        synchronized (shop.lock) {
            return shop.json.orderJson(order(orderId));
        }
    }

    OrderState order(long id) {
        OrderState o = shop.orders.get(id);
        if (o == null) {
            throw new IllegalArgumentException("unknown order " + id);
        }
        return o;
    }

    static LineState line(OrderState o, long lineItemId) {
        return o.lines.stream()
                .filter(l -> l.id == lineItemId)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("line " + lineItemId + " is not in order " + o.id));
    }
}
