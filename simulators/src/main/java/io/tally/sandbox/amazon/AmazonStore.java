package io.tally.sandbox.amazon;

import static io.tally.sandbox.amazon.AmazonText.key;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.sandbox.amazon.AmazonSimulator.Line;
import io.tally.sandbox.amazon.AmazonSimulator.OrderStatus;
import io.tally.sandbox.amazon.AmazonSimulator.OrderView;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The sellers' state: their app authorisations, listings (with accepted patches still being processed) and orders,
 * and how orders move listing quantities ({@link AmazonOrderBook}). The whole simulator works under this store's
 * {@link #lock}.
 */
final class AmazonStore {

    static final class Seller {
        final String sellerId;
        final String clientId;
        final String clientSecret;
        final String refreshToken;

        Seller(String sellerId, String clientId, String clientSecret, String refreshToken) {
            this.sellerId = sellerId;
            this.clientId = clientId;
            this.clientSecret = clientSecret;
            this.refreshToken = refreshToken;
        }
    }

    record PendingQuantity(Instant applyAt, int quantity) {}

    static final class Listing {
        String sellerId;
        String sku;
        String asin;
        String title;
        String productType = "PRODUCT";
        BigDecimal price;
        int quantity;
        Instant created;
        Instant updated;
        final List<PendingQuantity> pending = new ArrayList<>();
        final Map<String, JsonNode> attributes = new TreeMap<>();
    }

    static final class Item {
        String orderItemId;
        String sku;
        String asin;
        String title;
        int ordered;
        int shipped;
        BigDecimal price;
    }

    static final class Order {
        String id;
        String sellerId;
        Instant purchaseDate;
        Instant lastUpdate;
        OrderStatus status;
        boolean deducted;
        final List<Item> items = new ArrayList<>();
    }

    final Object lock = new Object();
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    // all guarded by lock
    final Map<String, Seller> sellers = new LinkedHashMap<>();
    final Map<String, Listing> listings = new LinkedHashMap<>(); // sellerId \0 sku
    final Map<String, Order> orders = new LinkedHashMap<>();
    boolean deductOnPending = true;

    private final AmazonOrderBook orderBook = new AmazonOrderBook(this);

    AmazonStore(Clock clock) {
        this.clock = clock;
    }

    void addSeller(String sellerId, String clientId, String clientSecret, String refreshToken) {
        synchronized (lock) {
            sellers.put(sellerId, new Seller(sellerId, clientId, clientSecret, refreshToken));
        }
    }

    void deductOnPending(boolean b) {
        synchronized (lock) {
            deductOnPending = b;
        }
    }

    // ------------------------------------------------------------------ listings

    void createListing(String sellerId, String sku, int quantity, BigDecimal price) {
        if (quantity < 0) {
            throw new IllegalArgumentException("quantity must be >= 0");
        }
        synchronized (lock) {
            requireSeller(sellerId);
            Listing l = new Listing();
            l.sellerId = sellerId;
            l.sku = sku;
            l.asin = "B0" + randomAlnum(8);
            l.title = "Simulated product " + sku;
            l.price = price.setScale(2, RoundingMode.HALF_UP);
            l.quantity = quantity;
            l.created = now();
            l.updated = l.created;
            listings.put(key(sellerId, sku), l);
        }
    }

    void setQuantity(String sellerId, String sku, int quantity) {
        synchronized (lock) {
            Listing l = requireListing(sellerId, sku);
            l.pending.clear();
            l.quantity = quantity;
            l.updated = now();
        }
    }

    int quantity(String sellerId, String sku) {
        synchronized (lock) {
            Listing l = requireListing(sellerId, sku);
            settle(l);
            return l.quantity;
        }
    }

    boolean hasListing(String sellerId, String sku) {
        synchronized (lock) {
            return listings.containsKey(key(sellerId, sku));
        }
    }

    /** Applies accepted patches whose processing time has come. Caller holds the lock. */
    void settle(Listing l) {
        Instant now = now();
        while (!l.pending.isEmpty() && !l.pending.get(0).applyAt().isAfter(now)) {
            l.quantity = l.pending.remove(0).quantity();
            l.updated = now;
        }
    }

    // ------------------------------------------------------------------ orders

    String placeOrder(String sellerId, List<Line> lines, OrderStatus status) {
        return orderBook.placeOrder(sellerId, lines, status);
    }

    void setStatus(String amazonOrderId, OrderStatus status) {
        orderBook.setStatus(amazonOrderId, status);
    }

    OrderView order(String amazonOrderId) {
        synchronized (lock) {
            Order o = orders.get(amazonOrderId);
            return o == null ? null : view(o);
        }
    }

    List<OrderView> orders() {
        synchronized (lock) {
            return orders.values().stream().map(this::view).toList();
        }
    }

    /** Forgets listings and orders; keeps sellers and settings. Caller holds the lock. */
    void clear() {
        listings.clear();
        orders.clear();
    }

    private OrderView view(Order o) {
        return new OrderView(
                o.id,
                o.sellerId,
                o.status,
                o.purchaseDate,
                o.lastUpdate,
                o.items.stream().map(i -> new Line(i.sku, i.ordered)).toList());
    }

    Seller requireSeller(String sellerId) {
        Seller s = sellers.get(sellerId);
        if (s == null) {
            throw new IllegalArgumentException("unknown seller " + sellerId);
        }
        return s;
    }

    Listing requireListing(String sellerId, String sku) {
        Listing l = listings.get(key(sellerId, sku));
        if (l == null) {
            throw new IllegalArgumentException("no listing " + sku + " for seller " + sellerId);
        }
        return l;
    }

    // ------------------------------------------------------------------ time and ids

    Instant now() {
        return clock.instant();
    }

    String digits(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append((char) ('0' + random.nextInt(10)));
        }
        return b.toString();
    }

    String randomAlnum(int n) {
        String chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(chars.charAt(random.nextInt(chars.length())));
        }
        return b.toString();
    }
}
