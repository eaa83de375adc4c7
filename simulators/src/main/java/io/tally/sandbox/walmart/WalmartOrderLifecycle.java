package io.tally.sandbox.walmart;

import static io.tally.sandbox.walmart.WalmartText.key;

import io.tally.sandbox.walmart.WalmartSimulator.Line;
import io.tally.sandbox.walmart.WalmartSimulator.LineStatus;
import io.tally.sandbox.walmart.WalmartSimulator.LineView;
import io.tally.sandbox.walmart.WalmartSimulator.OrderView;
import io.tally.sandbox.walmart.WalmartStore.Item;
import io.tally.sandbox.walmart.WalmartStore.Order;
import io.tally.sandbox.walmart.WalmartStore.OrderLine;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The merchant side of orders: a customer places a PO (inventory drops), the seller acknowledges, ships or cancels
 * lines (a cancelled line's quantity goes back), and each change sends its order event.
 */
final class WalmartOrderLifecycle {

    private final WalmartStore store;
    private final WalmartWebhooks webhooks;

    WalmartOrderLifecycle(WalmartStore store, WalmartWebhooks webhooks) {
        this.store = store;
        this.webhooks = webhooks;
    }

    String placeOrder(String sellerId, List<Line> lines) {
        if (lines == null || lines.isEmpty()) {
            throw new IllegalArgumentException("an order needs at least one line");
        }
        Order o = new Order();
        synchronized (store.lock) {
            store.requireSeller(sellerId);
            Map<String, Integer> wanted = new LinkedHashMap<>();
            for (Line l : lines) {
                if (l.quantity() <= 0) {
                    throw new IllegalArgumentException("quantity must be > 0: " + l);
                }
                store.requireItem(sellerId, l.sku());
                wanted.merge(l.sku(), l.quantity(), Integer::sum);
            }
            wanted.forEach((sku, q) -> {
                Item i = store.items.get(key(sellerId, sku));
                if (i.quantity < q) {
                    throw new IllegalStateException("item " + sku + " has only " + i.quantity + ", order wants " + q);
                }
            });
            do {
                o.po = "1" + store.digits(12);
            } while (store.orders.containsKey(o.po));
            o.customerOrderId = "5" + store.digits(12);
            o.sellerId = sellerId;
            o.orderDate = store.now();
            o.lastModified = o.orderDate;
            int n = 1;
            for (Line l : lines) {
                Item i = store.items.get(key(sellerId, l.sku()));
                i.quantity -= l.quantity();
                OrderLine ol = new OrderLine();
                ol.lineNumber = Integer.toString(n++);
                ol.sku = i.sku;
                ol.productName = i.productName;
                ol.quantity = l.quantity();
                ol.price = i.price;
                ol.status = LineStatus.Created;
                ol.statusDate = o.orderDate;
                o.lines.add(ol);
            }
            store.orders.put(o.po, o);
            webhooks.notifyOrder(o, "PO_CREATED", o.lines);
        }
        return o.po;
    }

    void acknowledge(String po) {
        synchronized (store.lock) {
            Order o = store.requireOrder(po);
            move(o, o.lines.stream().filter(l -> l.status == LineStatus.Created).toList(), LineStatus.Acknowledged);
        }
    }

    void ship(String po) {
        synchronized (store.lock) {
            Order o = store.requireOrder(po);
            List<OrderLine> open = o.lines.stream()
                    .filter(l -> l.status == LineStatus.Created || l.status == LineStatus.Acknowledged)
                    .toList();
            move(o, open, LineStatus.Shipped);
            webhooks.notifyShipped(o, open);
        }
    }

    void cancelLine(String po, String lineNumber) {
        synchronized (store.lock) {
            Order o = store.requireOrder(po);
            OrderLine l = o.lines.stream()
                    .filter(x -> x.lineNumber.equals(lineNumber))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no line " + lineNumber + " in " + po));
            if (l.status == LineStatus.Shipped || l.status == LineStatus.Cancelled) {
                throw new IllegalStateException("line " + lineNumber + " of " + po + " is " + l.status);
            }
            Item i = store.items.get(key(o.sellerId, l.sku));
            if (i != null) {
                i.quantity += l.quantity;
            }
            move(o, List.of(l), LineStatus.Cancelled);
            webhooks.notifyOrder(o, "PO_LINE_AUTOCANCELLED", List.of(l));
        }
    }

    OrderView order(String po) {
        synchronized (store.lock) {
            Order o = store.orders.get(po);
            return o == null ? null : view(o);
        }
    }

    List<OrderView> orders() {
        synchronized (store.lock) {
            return store.orders.values().stream().map(this::view).toList();
        }
    }

    private void move(Order o, List<OrderLine> lines, LineStatus to) {
        if (lines.isEmpty()) {
            return;
        }
        Instant now = store.now();
        for (OrderLine l : lines) {
            l.status = to;
            l.statusDate = now;
        }
        o.lastModified = now;
    }

    private OrderView view(Order o) {
        return new OrderView(
                o.po,
                o.customerOrderId,
                o.sellerId,
                o.orderDate,
                o.lastModified,
                o.lines.stream()
                        .map(l -> new LineView(l.lineNumber, l.sku, l.quantity, l.status))
                        .toList());
    }
}
