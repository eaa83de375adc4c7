package io.tally.sandbox.walmart;

import static io.tally.sandbox.walmart.WalmartText.key;

import io.tally.sandbox.walmart.WalmartSimulator.LineStatus;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sellers' state: their API keys and webhook, their items (inventory) and orders. The whole simulator works
 * under this store's {@link #lock}.
 */
final class WalmartStore {

    static final class Seller {
        final String sellerId;
        final String clientId;
        final String clientSecret;
        String webhookUrl;
        String webhookSecret;

        Seller(String sellerId, String clientId, String clientSecret) {
            this.sellerId = sellerId;
            this.clientId = clientId;
            this.clientSecret = clientSecret;
        }
    }

    static final class Item {
        String sku;
        String productName;
        BigDecimal price;
        int quantity;
    }

    static final class OrderLine {
        String lineNumber;
        String sku;
        String productName;
        int quantity;
        BigDecimal price;
        LineStatus status;
        Instant statusDate;
    }

    static final class Order {
        String po;
        String customerOrderId;
        String sellerId;
        Instant orderDate;
        Instant lastModified;
        final List<OrderLine> lines = new ArrayList<>();
    }

    final Object lock = new Object();
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    // guarded by lock
    final Map<String, Seller> sellers = new LinkedHashMap<>();
    final Map<String, Item> items = new LinkedHashMap<>(); // sellerId \0 sku
    final Map<String, Order> orders = new LinkedHashMap<>();

    WalmartStore(Clock clock) {
        this.clock = clock;
    }

    void addSeller(String sellerId, String clientId, String clientSecret) {
        synchronized (lock) {
            sellers.put(sellerId, new Seller(sellerId, clientId, clientSecret));
        }
    }

    void createItem(String sellerId, String sku, int quantity, BigDecimal price) {
        if (quantity < 0) {
            throw new IllegalArgumentException("quantity must be >= 0");
        }
        synchronized (lock) {
            requireSeller(sellerId);
            Item i = new Item();
            i.sku = sku;
            i.productName = "Simulated item " + sku;
            i.price = price.setScale(2, RoundingMode.HALF_UP);
            i.quantity = quantity;
            items.put(key(sellerId, sku), i);
        }
    }

    void setInventory(String sellerId, String sku, int quantity) {
        synchronized (lock) {
            requireItem(sellerId, sku).quantity = quantity;
        }
    }

    int inventory(String sellerId, String sku) {
        synchronized (lock) {
            return requireItem(sellerId, sku).quantity;
        }
    }

    /** Forgets items and orders; keeps sellers and their webhooks. Caller holds the lock. */
    void clear() {
        items.clear();
        orders.clear();
    }

    Seller requireSeller(String sellerId) {
        Seller s = sellers.get(sellerId);
        if (s == null) {
            throw new IllegalArgumentException("unknown seller " + sellerId);
        }
        return s;
    }

    Item requireItem(String sellerId, String sku) {
        Item i = items.get(key(sellerId, sku));
        if (i == null) {
            throw new IllegalArgumentException("no item " + sku + " for seller " + sellerId);
        }
        return i;
    }

    Order requireOrder(String po) {
        Order o = orders.get(po);
        if (o == null) {
            throw new IllegalArgumentException("no order " + po);
        }
        return o;
    }

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
        String chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(chars.charAt(random.nextInt(chars.length())));
        }
        return b.toString();
    }
}
