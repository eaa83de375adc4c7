package io.tally.sandbox.walmart;

import io.tally.sandbox.LoopbackHttpServer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A local stand-in for the Walmart Marketplace (US) API, so the hub's Walmart adapter can be developed and tested
 * without a seller account: token API, orders (read), single-SKU inventory, and order event notifications (webhooks).
 * Point the adapter's base URL ({@code https://marketplace.walmartapis.com}) at {@link #baseUrl()}.
 *
 * <p>What it reproduces, and why (facts from {@code shared/reference/channels.md} §3):
 * <ul>
 *   <li>{@code POST /v3/token}: client-credentials grant with HTTP Basic {@code clientId:clientSecret}; tokens
 *       live {@link #tokenLifetime(Duration)} (900 s like Walmart). The answer is JSON with
 *       {@code Accept: application/json} and Walmart's default XML {@code OAuthTokenDTO} otherwise.</li>
 *   <li>Every API call needs {@code WM_SEC.ACCESS_TOKEN} (valid, unexpired: else 401
 *       {@code UNAUTHORIZED.GMP_GATEWAY_API}), {@code WM_SVC.NAME} and {@code WM_QOS.CORRELATION_ID} (else 400).
 *       Errors use Walmart's {@code {"errors":[{code, field, description, info, severity, category, causes}]}}.</li>
 *   <li>{@code GET /v3/orders} with Walmart's filters and cursor paging: {@code list.meta.nextCursor} is a query
 *       string ({@code ?limit=..&hasMoreElements=true&soIndex=..&poIndex=..&...}) to append verbatim to
 *       {@code /v3/orders}. Paging is keyset on the last PO served, newest orders first (Walmart's sort order is
 *       not documented). Dates are epoch milliseconds and quantity amounts are strings, as Walmart sends them.</li>
 *   <li>{@code PUT/GET /v3/inventory?sku=} with {@code {"sku", "quantity": {"unit": "EACH", "amount"}}}.</li>
 *   <li>Per-operation, per-seller token buckets (US production limits are unconfirmed; defaults follow the
 *       third-party table in channels.md), 429 {@code REQUEST_THRESHOLD_VIOLATED.GMP_GATEWAY_API} and the usage
 *       headers {@code x-current-token-count} / {@code x-next-replenish-time} (epoch ms).</li>
 *   <li>Event notifications: {@code ORDER_UPDATES} with {@code subEventType} {@code PO_CREATED} when an order is
 *       placed and {@code PO_LINE_AUTOCANCELLED} when a line is cancelled, and until Walmart retires them on
 *       2026-12-15 (by the simulator's clock, or per {@link #legacyOrderEvents(Boolean)}) the standalone
 *       {@code PO_CREATED} / {@code PO_LINE_AUTOCANCELLED} events too (see {@link WalmartWebhooks#notifyOrderUpdate} and
 *       {@link WalmartWebhooks#orderEventPayload} for the pages they follow), plus {@code PO_LINE_SHIPPED} when an order ships (a
 *       simulator-only name: Walmart documents no shipped event; switch it off with {@link #notifyOnShip(boolean)}).
 *       The body is Walmart's envelope {@code {"source":{eventType, eventTime, eventId}, "payload":{...}}}. Delivery
 *       is at least once: non-2xx or no answer is retried after {@link #webhookRetryDelays(Duration...)} (Walmart's
 *       marketplace schedule is unconfirmed; the supplier program makes 3 attempts, the default here), and
 *       {@link #duplicateProbability(double)} sends an extra copy of a delivered event.</li>
 * </ul>
 *
 * <p><b>Webhook authentication is our own choice.</b> Walmart authenticates order webhooks with the subscription's
 * {@code authDetails} (Basic, HMAC or OAuth) and its HMAC signing string is not public, so this simulator signs every
 * delivery with a per-seller shared secret: header {@code X-Tally-Signature: base64(HMAC-SHA256(secret, rawBody))},
 * the same scheme Shopify uses, which the hub can verify with one code path.
 *
 * <p>Not reproduced: feeds, multi-node inventory, acknowledge/ship/cancel over HTTP (they are merchant-side Java
 * calls here), returns, the webhook subscription API, XML for anything but the token. Merchant-side actions are Java
 * methods and, for curl users, HTTP under {@code /_sandbox/walmart/} (see {@link WalmartSandboxControl}). Time for tokens,
 * buckets, fault windows and order dates comes from an injectable {@link Clock}; webhook retries use real time.
 * Plain JDK, no Spring; thread-safe.
 */
public class WalmartSimulator implements AutoCloseable {

    // The public face only: the work is done by WalmartAuth (token API), WalmartOrdersApi, WalmartInventoryApi,
    // WalmartWebhooks, WalmartLimits, WalmartOrderLifecycle and WalmartStore (state), routed by WalmartHttpApi. It is
    // longer than ~300 lines because it keeps the whole public API the hub's tests and the sandbox use (one-line
    // delegations) and the vendor-citing header above.

    public static final String DEFAULT_SELLER_ID = "10000012345";
    public static final String DEFAULT_CLIENT_ID = "tally-walmart-client";
    public static final String DEFAULT_CLIENT_SECRET = "tally-walmart-secret";

    public static final String GET_ALL_ORDERS = "getAllOrders";
    public static final String GET_ORDER = "getAnOrder";
    public static final String UPDATE_INVENTORY = "updateInventoryForAnItem";
    public static final String GET_INVENTORY = "getInventory";
    public static final String TOKEN = "tokenAPI";

    public static final String SIGNATURE_HEADER = "X-Tally-Signature";

    /**
     * The consolidated order notification (developer.walmart.com/us-marketplace/docs/order-management-event):
     * {@code source.eventType} is always {@code ORDER_UPDATES}, the concrete update is {@code payload.subEventType}.
     */
    public static final String ORDER_UPDATES = "ORDER_UPDATES";

    /**
     * When Walmart retires the standalone {@code PO_CREATED}, {@code PO_LINE_AUTOCANCELLED} and {@code INTENT_TO_CANCEL}
     * notifications (release note developer.walmart.com/us-marketplace/page/new-order-management-webhook-event,
     * 2026-02-11: "will be deprecated on December 15, 2026").
     */
    public static final Instant LEGACY_ORDER_EVENTS_RETIRED = Instant.parse("2026-12-15T00:00:00Z");

    /** Walmart order line statuses the simulator produces. */
    public enum LineStatus {
        Created,
        Acknowledged,
        Shipped,
        Cancelled
    }

    /** One order line as placed: a SKU and a quantity. */
    public record Line(String sku, int quantity) {}

    public record LineView(String lineNumber, String sku, int quantity, LineStatus status) {}

    public record OrderView(
            String purchaseOrderId,
            String customerOrderId,
            String sellerId,
            Instant orderDate,
            Instant lastModified,
            List<LineView> lines) {}

    public record RateLimit(double ratePerSecond, int burst) {}

    public record OperationStats(long calls, long throttled) {}

    /** One webhook delivery attempt; {@code status} is -1 when no HTTP answer came. */
    public record Delivery(
            String eventId,
            String eventType,
            String url,
            int attempt,
            boolean duplicate,
            int status,
            Instant at,
            String body) {}

    /** One {@code PUT /v3/inventory} request as received. */
    public record InventoryUpdate(
            Instant at, String sellerId, String sku, String body, int httpStatus, Integer amount) {}

    private final int requestedPort;
    private final WalmartStore store;
    private final WalmartAuth auth;
    private final WalmartLimits limits;
    private final WalmartOrdersApi ordersApi;
    private final WalmartInventoryApi inventoryApi;
    private final WalmartWebhooks webhooks;
    private final WalmartOrderLifecycle orderLifecycle;
    private final WalmartHttpApi api;
    private final WalmartSandboxControl control;
    private LoopbackHttpServer http;

    public WalmartSimulator() {
        this(0, Clock.systemUTC());
    }

    public WalmartSimulator(int port) {
        this(port, Clock.systemUTC());
    }

    /**
     * A simulator on {@code port} (0 = a free port) with one seller, {@link #DEFAULT_SELLER_ID}, whose API keys are
     * {@link #DEFAULT_CLIENT_ID}/{@link #DEFAULT_CLIENT_SECRET}.
     */
    public WalmartSimulator(int port, Clock clock) {
        this.requestedPort = port;
        this.store = new WalmartStore(clock);
        WalmartJson json = new WalmartJson();
        this.auth = new WalmartAuth(store, json);
        this.limits = new WalmartLimits(store);
        this.ordersApi = new WalmartOrdersApi(store, json);
        this.inventoryApi = new WalmartInventoryApi(store, json);
        this.webhooks = new WalmartWebhooks(store, json);
        this.orderLifecycle = new WalmartOrderLifecycle(store, webhooks);
        this.api = new WalmartHttpApi(store, json, auth, limits, ordersApi, inventoryApi);
        this.control = new WalmartSandboxControl(this, json);
        addSeller(DEFAULT_SELLER_ID, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET);
    }

    // ------------------------------------------------------------------ lifecycle

    public synchronized WalmartSimulator start() {
        if (http != null) {
            return this;
        }
        // One scheduled pool serves requests and the webhook deliveries (with their retry delays).
        http = LoopbackHttpServer.start(
                "walmart-sim",
                requestedPort,
                Map.of("/", api::handle, "/_sandbox/walmart/", control::handle),
                threads -> Executors.newScheduledThreadPool(4, threads));
        webhooks.attach((ScheduledExecutorService) http.executor());
        return this;
    }

    public synchronized void stop() {
        if (http != null) {
            http.stop();
            http = null;
            webhooks.detach();
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

    /** {@code http://127.0.0.1:<port>}, standing in for {@code https://marketplace.walmartapis.com}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    // ------------------------------------------------------------------ settings

    public WalmartSimulator addSeller(String sellerId, String clientId, String clientSecret) {
        store.addSeller(sellerId, clientId, clientSecret);
        return this;
    }

    /** Where the default seller's event notifications go and the secret that signs them (null url = none). */
    public WalmartSimulator webhook(String url, String secret) {
        return webhook(DEFAULT_SELLER_ID, url, secret);
    }

    public WalmartSimulator webhook(String sellerId, String url, String secret) {
        webhooks.webhook(sellerId, url, secret);
        return this;
    }

    /** Access-token lifetime (default 900 s). */
    public WalmartSimulator tokenLifetime(Duration d) {
        auth.tokenLifetime(d);
        return this;
    }

    /** Waits before the 2nd, 3rd, ... delivery attempt (default 1 s, 5 s: three attempts in all). */
    public WalmartSimulator webhookRetryDelays(Duration... delays) {
        webhooks.webhookRetryDelays(delays);
        return this;
    }

    /** How long a delivery waits for the receiver's answer (default 10 s). */
    public WalmartSimulator webhookTimeout(Duration d) {
        webhooks.webhookTimeout(d);
        return this;
    }

    /** Probability (0..1) that a delivered event is sent once more (default 0). */
    public WalmartSimulator duplicateProbability(double p) {
        webhooks.duplicateProbability(p);
        return this;
    }

    /** Whether shipping sends the simulator-only {@code PO_LINE_SHIPPED} event (default true). */
    public WalmartSimulator notifyOnShip(boolean b) {
        webhooks.notifyOnShip(b);
        return this;
    }

    /**
     * Whether the standalone {@code PO_CREATED} / {@code PO_LINE_AUTOCANCELLED} notifications are sent: null (the
     * default) sends them until {@link #LEGACY_ORDER_EVENTS_RETIRED} by the simulator's clock, as Walmart does.
     */
    public WalmartSimulator legacyOrderEvents(Boolean b) {
        webhooks.legacyOrderEvents(b);
        return this;
    }

    /** Whether {@code ORDER_UPDATES} notifications are sent (default true). */
    public WalmartSimulator orderUpdatesEvents(boolean b) {
        webhooks.orderUpdatesEvents(b);
        return this;
    }

    /**
     * Whether an order search without results is answered as Walmart answers it, 404 {@code CONTENT_NOT_FOUND}
     * (default true), or with an empty list (false; not what Walmart does, kept for clients that want to compare).
     */
    public WalmartSimulator emptyOrdersAs404(boolean b) {
        ordersApi.emptyOrdersAs404(b);
        return this;
    }

    /**
     * Rate limit of one operation; buckets start full again. Defaults (unconfirmed, from a third-party table):
     * {@link #GET_ALL_ORDERS} and {@link #GET_ORDER} 5000/min (83.3/s, burst 5000), {@link #UPDATE_INVENTORY} and
     * {@link #GET_INVENTORY} 200/min (3.33/s, burst 200).
     */
    public WalmartSimulator rateLimit(String operation, double ratePerSecond, int burst) {
        limits.rateLimit(operation, ratePerSecond, burst);
        return this;
    }

    public RateLimit rateLimit(String operation) {
        return limits.rateLimit(operation);
    }

    // ------------------------------------------------------------------ merchant side: items

    public WalmartSimulator createItem(String sku, int quantity) {
        return createItem(DEFAULT_SELLER_ID, sku, quantity, new BigDecimal("10.00"));
    }

    public WalmartSimulator createItem(String sellerId, String sku, int quantity, BigDecimal price) {
        store.createItem(sellerId, sku, quantity, price);
        return this;
    }

    public void setInventory(String sku, int quantity) {
        setInventory(DEFAULT_SELLER_ID, sku, quantity);
    }

    public void setInventory(String sellerId, String sku, int quantity) {
        store.setInventory(sellerId, sku, quantity);
    }

    public int inventory(String sku) {
        return inventory(DEFAULT_SELLER_ID, sku);
    }

    public int inventory(String sellerId, String sku) {
        return store.inventory(sellerId, sku);
    }

    // ------------------------------------------------------------------ merchant side: orders

    public String placeOrder(List<Line> lines) {
        return placeOrder(DEFAULT_SELLER_ID, lines);
    }

    /**
     * A customer places an order: one PO with lines in status {@code Created}; inventory drops by the ordered
     * quantities and {@code PO_CREATED} is sent.
     *
     * @throws IllegalStateException if an item has too little inventory (Walmart would not sell it)
     */
    public String placeOrder(String sellerId, List<Line> lines) {
        return orderLifecycle.placeOrder(sellerId, lines);
    }

    /** Acknowledges every {@code Created} line. */
    public void acknowledge(String po) {
        orderLifecycle.acknowledge(po);
    }

    /** Ships every line that is neither shipped nor cancelled (inventory is unchanged: it was taken at order time). */
    public void ship(String po) {
        orderLifecycle.ship(po);
    }

    /** Cancels one line: its quantity goes back to inventory and {@code PO_LINE_AUTOCANCELLED} is sent. */
    public void cancelLine(String po, String lineNumber) {
        orderLifecycle.cancelLine(po, lineNumber);
    }

    public OrderView order(String po) {
        return orderLifecycle.order(po);
    }

    public List<OrderView> orders() {
        return orderLifecycle.orders();
    }

    // ------------------------------------------------------------------ faults and stats

    /** Every API call (token included, {@code /_sandbox} not) is answered {@code status} for {@code d}. */
    public void failFor(Duration d, int status) {
        limits.failFor(d, status);
    }

    /** Every API call except the token API is answered 429 for {@code d}. */
    public void throttleStorm(Duration d) {
        limits.throttleStorm(d);
    }

    public void recover() {
        limits.recover();
    }

    public Map<String, OperationStats> stats() {
        return limits.stats();
    }

    public OperationStats stats(String operation) {
        return limits.stats(operation);
    }

    /** Every webhook delivery attempt, oldest first. */
    public List<Delivery> deliveries() {
        return webhooks.deliveries();
    }

    public List<InventoryUpdate> inventoryUpdates() {
        return inventoryApi.inventoryUpdates();
    }

    /** Forgets items, orders, tokens, stats, records, faults and buckets; keeps sellers, webhooks and settings. */
    public void reset() {
        synchronized (store.lock) {
            store.clear();
            auth.clear();
            limits.clear();
            webhooks.clear();
            inventoryApi.clear();
        }
    }

    /** {@code base64(HMAC-SHA256(secret, body))}: what {@link #SIGNATURE_HEADER} carries. */
    public static String sign(String secret, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
