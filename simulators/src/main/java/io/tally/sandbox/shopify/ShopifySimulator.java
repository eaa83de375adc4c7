package io.tally.sandbox.shopify;

import io.tally.sandbox.LoopbackHttpServer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local stand-in for Shopify, so Tally's Shopify adapter can be developed and tested without a real
 * store: one HTTP server on loopback hosting many shops, each under {@code /shops/<shop>} so that its
 * "api-url" is {@link #apiUrl(String)} and the adapter appends {@code /admin/api/<version>/graphql.json}
 * exactly as it does for {@code https://<shop>.myshopify.com}.
 *
 * <p>What it reproduces, and why: the Admin GraphQL subset the hub uses (real graphql-java validation,
 * Shopify names), calculated query cost with a per-shop leaky bucket and THROTTLED answers, the
 * {@code inventorySetQuantities} compare-and-set and {@code @idempotent} semantics, and webhooks that are
 * HMAC-signed, asynchronous, at least once, possibly duplicated and out of order. Those are the behaviours
 * that break sync hubs in production. Merchant actions (orders, cancels, refunds, returns, manual edits)
 * are driven from Java ({@link Shop}) or over HTTP under {@code /_sandbox/shopify/<shop>/...}.
 *
 * <p>Plain JDK HTTP server, no Spring; thread-safe.
 */
public class ShopifySimulator implements AutoCloseable {

    // The public face only: ShopifyAdminApi answers the Admin GraphQL endpoint (through ShopifyGraphQl) and
    // ShopifySandboxControl the merchant controls; each shop's state and webhooks live in its Shop.

    private final int requestedPort;
    private final Map<String, Shop> shops = new LinkedHashMap<>();
    private final AtomicLong ids = new AtomicLong(1000000);
    private final ShopifyJson json = new ShopifyJson();
    private final ShopifyAdminApi adminApi = new ShopifyAdminApi(this::findShop, json);
    private final ShopifySandboxControl sandbox = new ShopifySandboxControl(this, json);
    private LoopbackHttpServer http;

    /** A simulator on the given port (0 = a free port). */
    public ShopifySimulator(int port) {
        this.requestedPort = port;
    }

    /** A simulator on a free port. */
    public ShopifySimulator() {
        this(0);
    }

    public synchronized ShopifySimulator start() {
        if (http != null) {
            return this;
        }
        http = LoopbackHttpServer.start(
                "shopify-sim",
                requestedPort,
                java.util.Map.of("/shops/", adminApi::handle, "/_sandbox/shopify", sandbox::handle));
        return this;
    }

    /** Stop the HTTP server and every shop's webhook sender. */
    public synchronized void stop() {
        if (http != null) {
            http.stop();
            http = null;
        }
        synchronized (shops) {
            shops.values().forEach(Shop::shutdown);
        }
    }

    @Override
    public void close() {
        stop();
    }

    public synchronized int port() {
        if (http == null) {
            throw new IllegalStateException("simulator not started");
        }
        return http.port();
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** The shop's "api-url": {@code http://127.0.0.1:<port>/shops/<shop>}. */
    public String apiUrl(String shop) {
        return baseUrl() + "/shops/" + shop;
    }

    /** The GraphQL endpoint of a shop for an API version. */
    public String graphqlUrl(String shop, String version) {
        return apiUrl(shop) + "/admin/api/" + version + "/graphql.json";
    }

    /**
     * Ids handed out from now on are at least {@code next}. The sandbox seeds its catalog with the usual ids (the hub
     * knows the variants by them across restarts), then skips ahead so new orders and refunds never reuse the id of
     * one the hub booked before a restart.
     */
    public void skipIdsTo(long next) {
        ids.accumulateAndGet(next - 1, Math::max);
    }

    /** Add a shop; its ids come from a counter shared by all shops and types, so every id is unique. */
    public Shop addShop(String name, ShopSettings settings) {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
            throw new IllegalArgumentException("shop name must be a URL-safe word: " + name);
        }
        synchronized (shops) {
            if (shops.containsKey(name)) {
                throw new IllegalArgumentException("shop exists: " + name);
            }
            Shop s = new Shop(name, settings, ids::incrementAndGet);
            shops.put(name, s);
            return s;
        }
    }

    public Shop shop(String name) {
        synchronized (shops) {
            Shop s = shops.get(name);
            if (s == null) {
                throw new IllegalArgumentException("unknown shop " + name);
            }
            return s;
        }
    }

    public List<Shop> shops() {
        synchronized (shops) {
            return List.copyOf(shops.values());
        }
    }

    Shop findShop(String name) {
        synchronized (shops) {
            return shops.get(name);
        }
    }

    /** Counters and bucket state of a shop, for {@code GET .../stats}. */
    public Map<String, Object> stats(Shop shop) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("graphqlCalls", shop.graphqlCalls());
        m.put("mutationCalls", shop.mutationCalls());
        m.put("throttledCalls", shop.throttledCalls());
        m.put("throttleStatus", shop.throttleStatus());
        m.put("pendingWebhooks", shop.pendingWebhooks());
        m.put("heldWebhooks", shop.webhooks().held());
        m.put("webhooksFired", shop.firedWebhooks().size());
        m.put("deliveryAttempts", shop.deliveries().size());
        return m;
    }
}
