package io.tally.sandbox.amazon;

import static io.tally.sandbox.amazon.AmazonText.key;

import io.tally.sandbox.amazon.AmazonSimulator.Line;
import io.tally.sandbox.amazon.AmazonSimulator.OrderStatus;
import io.tally.sandbox.amazon.AmazonStore.Item;
import io.tally.sandbox.amazon.AmazonStore.Listing;
import io.tally.sandbox.amazon.AmazonStore.Order;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The merchant side of the sellers' orders: placing an order and moving it between Orders v0 statuses, and how that
 * lowers or restores the listing quantities. Works on {@link AmazonStore}'s state under its lock.
 */
final class AmazonOrderBook {

    private final AmazonStore store;
    private final AtomicLong itemIds = new AtomicLong(10_000_000_000_000L);

    AmazonOrderBook(AmazonStore store) {
        this.store = store;
    }

    String placeOrder(String sellerId, List<Line> lines, OrderStatus status) {
        if (lines == null || lines.isEmpty()) {
            throw new IllegalArgumentException("an order needs at least one line");
        }
        if (status != OrderStatus.Pending && status != OrderStatus.Unshipped) {
            throw new IllegalArgumentException("an order starts Pending or Unshipped");
        }
        synchronized (store.lock) {
            store.requireSeller(sellerId);
            Map<String, Integer> wanted = new LinkedHashMap<>();
            for (Line line : lines) {
                if (line.quantity() <= 0) {
                    throw new IllegalArgumentException("quantity must be > 0: " + line);
                }
                store.requireListing(sellerId, line.sku());
                wanted.merge(line.sku(), line.quantity(), Integer::sum);
            }
            boolean deduct = store.deductOnPending || status != OrderStatus.Pending;
            if (deduct) {
                checkAvailable(sellerId, wanted);
            }
            Order o = new Order();
            do {
                o.id = store.digits(3) + "-" + store.digits(7) + "-" + store.digits(7);
            } while (store.orders.containsKey(o.id));
            o.sellerId = sellerId;
            o.purchaseDate = store.now();
            o.lastUpdate = o.purchaseDate;
            o.status = status;
            for (Line line : lines) {
                Listing l = store.listings.get(key(sellerId, line.sku()));
                Item it = new Item();
                it.orderItemId = Long.toString(itemIds.incrementAndGet());
                it.sku = l.sku;
                it.asin = l.asin;
                it.title = l.title;
                it.ordered = line.quantity();
                it.price = l.price.multiply(BigDecimal.valueOf(line.quantity()));
                o.items.add(it);
            }
            if (deduct) {
                adjust(o, -1);
            }
            store.orders.put(o.id, o);
            return o.id;
        }
    }

    void setStatus(String amazonOrderId, OrderStatus status) {
        synchronized (store.lock) {
            Order o = store.orders.get(amazonOrderId);
            if (o == null) {
                throw new IllegalArgumentException("no order " + amazonOrderId);
            }
            if (o.status == status) {
                return;
            }
            if (o.status == OrderStatus.Shipped || o.status == OrderStatus.Canceled || status == OrderStatus.Pending) {
                throw new IllegalStateException(
                        "cannot move order " + amazonOrderId + " from " + o.status + " to " + status);
            }
            if (status == OrderStatus.Canceled) {
                if (o.deducted) {
                    adjust(o, +1);
                }
            } else if (!o.deducted) {
                Map<String, Integer> wanted = new LinkedHashMap<>();
                o.items.forEach(i -> wanted.merge(i.sku, i.ordered, Integer::sum));
                checkAvailable(o.sellerId, wanted);
                adjust(o, -1);
            }
            if (status == OrderStatus.Shipped) {
                o.items.forEach(i -> i.shipped = i.ordered);
            }
            o.status = status;
            o.lastUpdate = store.now();
        }
    }

    private void checkAvailable(String sellerId, Map<String, Integer> wanted) {
        wanted.forEach((sku, qty) -> {
            Listing l = store.listings.get(key(sellerId, sku));
            if (l == null) {
                throw new IllegalArgumentException("no listing " + sku);
            }
            store.settle(l);
            if (l.quantity < qty) {
                throw new IllegalStateException("listing " + sku + " has only " + l.quantity + ", order wants " + qty);
            }
        });
    }

    /** Lowers (sign -1) or restores (+1) the listings by the order's unshipped quantities. Caller holds the lock. */
    private void adjust(Order o, int sign) {
        for (Item i : o.items) {
            Listing l = store.listings.get(key(o.sellerId, i.sku));
            if (l != null) {
                store.settle(l);
                l.quantity = Math.max(0, l.quantity + sign * (i.ordered - i.shipped));
                l.updated = store.now();
            }
        }
        o.deducted = sign < 0;
    }
}
