package io.tally.sandbox.walmart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpExchange;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import io.tally.sandbox.LoopbackHttpServer;
import io.tally.sandbox.TokenBucket;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

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
 *       {@code PO_CREATED} / {@code PO_LINE_AUTOCANCELLED} events too (see {@link #notifyOrderUpdate} and
 *       {@link #orderEventPayload} for the pages they follow), plus {@code PO_LINE_SHIPPED} when an order ships (a
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
 * methods and, for curl users, HTTP under {@code /_sandbox/walmart/} (see {@link #control}). Time for tokens,
 * buckets, fault windows and order dates comes from an injectable {@link Clock}; webhook retries use real time.
 * Plain JDK, no Spring; thread-safe.
 */
public class WalmartSimulator implements AutoCloseable {

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
    public enum LineStatus { Created, Acknowledged, Shipped, Cancelled }

    /** One order line as placed: a SKU and a quantity. */
    public record Line(String sku, int quantity) {
    }

    public record LineView(String lineNumber, String sku, int quantity, LineStatus status) {
    }

    public record OrderView(String purchaseOrderId, String customerOrderId, String sellerId, Instant orderDate,
                            Instant lastModified, List<LineView> lines) {
    }

    public record RateLimit(double ratePerSecond, int burst) {
    }

    public record OperationStats(long calls, long throttled) {
    }

    /** One webhook delivery attempt; {@code status} is -1 when no HTTP answer came. */
    public record Delivery(String eventId, String eventType, String url, int attempt, boolean duplicate, int status,
                           Instant at, String body) {
    }

    /** One {@code PUT /v3/inventory} request as received. */
    public record InventoryUpdate(Instant at, String sellerId, String sku, String body, int httpStatus, Integer amount) {
    }

    private static final class Seller {
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

    private record Token(String sellerId, Instant expiresAt) {
    }

    private static final class Item {
        String sku;
        String productName;
        BigDecimal price;
        int quantity;
    }

    private static final class OrderLine {
        String lineNumber;
        String sku;
        String productName;
        int quantity;
        BigDecimal price;
        LineStatus status;
        Instant statusDate;
    }

    private static final class Order {
        String po;
        String customerOrderId;
        String sellerId;
        Instant orderDate;
        Instant lastModified;
        final List<OrderLine> lines = new ArrayList<>();
    }

    private record Reply(int status, Object body, Map<String, String> headers, String contentType) {
        Reply(int status, Object body) {
            this(status, body, Map.of(), "application/json");
        }
    }

    private static final Comparator<Order> NEWEST_FIRST =
            Comparator.comparing((Order o) -> o.orderDate).reversed().thenComparing(o -> o.po);

    private final ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private final int requestedPort;
    private final Clock clock;
    private final Object lock = new Object();
    private final SecureRandom random = new SecureRandom();

    // guarded by lock
    private final Map<String, Seller> sellers = new LinkedHashMap<>();
    private final Map<String, Token> tokens = new HashMap<>();
    private final Map<String, Item> items = new LinkedHashMap<>();          // sellerId \0 sku
    private final Map<String, Order> orders = new LinkedHashMap<>();
    private final Map<String, RateLimit> limits = new HashMap<>();
    private final Map<String, TokenBucket> buckets = new HashMap<>();
    private final Map<String, long[]> stats = new TreeMap<>();
    private final List<Delivery> deliveries = new ArrayList<>();
    private final List<InventoryUpdate> inventoryUpdates = new ArrayList<>();
    private Duration tokenLifetime = Duration.ofSeconds(900);
    private List<Duration> retryDelays = List.of(Duration.ofSeconds(1), Duration.ofSeconds(5));
    private Duration webhookTimeout = Duration.ofSeconds(10);
    private double duplicateProbability;
    private boolean notifyOnShip = true;
    private boolean emptyOrdersAs404 = true;
    private Boolean legacyOrderEvents;          // null: until LEGACY_ORDER_EVENTS_RETIRED by the clock
    private boolean orderUpdatesEvents = true;
    private Instant outageUntil;
    private int outageStatus;
    private Instant stormUntil;

    private LoopbackHttpServer http;
    private volatile ScheduledExecutorService executor;
    private volatile HttpClient webhookClient;

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
        this.clock = clock;
        limits.put(GET_ALL_ORDERS, new RateLimit(5000 / 60.0, 5000));
        limits.put(GET_ORDER, new RateLimit(5000 / 60.0, 5000));
        limits.put(UPDATE_INVENTORY, new RateLimit(200 / 60.0, 200));
        limits.put(GET_INVENTORY, new RateLimit(200 / 60.0, 200));
        addSeller(DEFAULT_SELLER_ID, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET);
    }

    // ------------------------------------------------------------------ lifecycle

    public synchronized WalmartSimulator start() {
        if (http != null) {
            return this;
        }
        // One scheduled pool serves requests and the webhook deliveries (with their retry delays).
        http = LoopbackHttpServer.start("walmart-sim", requestedPort,
                Map.of("/", this::handle, "/_sandbox/walmart/", this::control),
                threads -> Executors.newScheduledThreadPool(4, threads));
        executor = (ScheduledExecutorService) http.executor();
        webhookClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).executor(executor).build();
        return this;
    }

    public synchronized void stop() {
        if (http != null) {
            http.stop();
            http = null;
            executor = null;
            webhookClient = null;
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
        synchronized (lock) {
            sellers.put(sellerId, new Seller(sellerId, clientId, clientSecret));
        }
        return this;
    }

    /** Where the default seller's event notifications go and the secret that signs them (null url = none). */
    public WalmartSimulator webhook(String url, String secret) {
        return webhook(DEFAULT_SELLER_ID, url, secret);
    }

    public WalmartSimulator webhook(String sellerId, String url, String secret) {
        synchronized (lock) {
            Seller s = requireSeller(sellerId);
            s.webhookUrl = url;
            s.webhookSecret = secret;
        }
        return this;
    }

    /** Access-token lifetime (default 900 s). */
    public WalmartSimulator tokenLifetime(Duration d) {
        synchronized (lock) {
            tokenLifetime = d;
        }
        return this;
    }

    /** Waits before the 2nd, 3rd, ... delivery attempt (default 1 s, 5 s: three attempts in all). */
    public WalmartSimulator webhookRetryDelays(Duration... delays) {
        synchronized (lock) {
            retryDelays = List.of(delays);
        }
        return this;
    }

    /** How long a delivery waits for the receiver's answer (default 10 s). */
    public WalmartSimulator webhookTimeout(Duration d) {
        synchronized (lock) {
            webhookTimeout = d;
        }
        return this;
    }

    /** Probability (0..1) that a delivered event is sent once more (default 0). */
    public WalmartSimulator duplicateProbability(double p) {
        synchronized (lock) {
            duplicateProbability = p;
        }
        return this;
    }

    /** Whether shipping sends the simulator-only {@code PO_LINE_SHIPPED} event (default true). */
    public WalmartSimulator notifyOnShip(boolean b) {
        synchronized (lock) {
            notifyOnShip = b;
        }
        return this;
    }

    /**
     * Whether the standalone {@code PO_CREATED} / {@code PO_LINE_AUTOCANCELLED} notifications are sent: null (the
     * default) sends them until {@link #LEGACY_ORDER_EVENTS_RETIRED} by the simulator's clock, as Walmart does.
     */
    public WalmartSimulator legacyOrderEvents(Boolean b) {
        synchronized (lock) {
            legacyOrderEvents = b;
        }
        return this;
    }

    /** Whether {@code ORDER_UPDATES} notifications are sent (default true). */
    public WalmartSimulator orderUpdatesEvents(boolean b) {
        synchronized (lock) {
            orderUpdatesEvents = b;
        }
        return this;
    }

    /**
     * Whether an order search without results is answered as Walmart answers it, 404 {@code CONTENT_NOT_FOUND}
     * (default true), or with an empty list (false; not what Walmart does, kept for clients that want to compare).
     */
    public WalmartSimulator emptyOrdersAs404(boolean b) {
        synchronized (lock) {
            emptyOrdersAs404 = b;
        }
        return this;
    }

    /**
     * Rate limit of one operation; buckets start full again. Defaults (unconfirmed, from a third-party table):
     * {@link #GET_ALL_ORDERS} and {@link #GET_ORDER} 5000/min (83.3/s, burst 5000), {@link #UPDATE_INVENTORY} and
     * {@link #GET_INVENTORY} 200/min (3.33/s, burst 200).
     */
    public WalmartSimulator rateLimit(String operation, double ratePerSecond, int burst) {
        synchronized (lock) {
            limits.put(operation, new RateLimit(ratePerSecond, burst));
            buckets.keySet().removeIf(k -> k.endsWith("\u0000" + operation));
        }
        return this;
    }

    public RateLimit rateLimit(String operation) {
        synchronized (lock) {
            return limits.get(operation);
        }
    }

    // ------------------------------------------------------------------ merchant side: items

    public WalmartSimulator createItem(String sku, int quantity) {
        return createItem(DEFAULT_SELLER_ID, sku, quantity, new BigDecimal("10.00"));
    }

    public WalmartSimulator createItem(String sellerId, String sku, int quantity, BigDecimal price) {
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
        return this;
    }

    public void setInventory(String sku, int quantity) {
        setInventory(DEFAULT_SELLER_ID, sku, quantity);
    }

    public void setInventory(String sellerId, String sku, int quantity) {
        synchronized (lock) {
            requireItem(sellerId, sku).quantity = quantity;
        }
    }

    public int inventory(String sku) {
        return inventory(DEFAULT_SELLER_ID, sku);
    }

    public int inventory(String sellerId, String sku) {
        synchronized (lock) {
            return requireItem(sellerId, sku).quantity;
        }
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
        if (lines == null || lines.isEmpty()) {
            throw new IllegalArgumentException("an order needs at least one line");
        }
        Order o = new Order();
        synchronized (lock) {
            requireSeller(sellerId);
            Map<String, Integer> wanted = new LinkedHashMap<>();
            for (Line l : lines) {
                if (l.quantity() <= 0) {
                    throw new IllegalArgumentException("quantity must be > 0: " + l);
                }
                requireItem(sellerId, l.sku());
                wanted.merge(l.sku(), l.quantity(), Integer::sum);
            }
            wanted.forEach((sku, q) -> {
                Item i = items.get(key(sellerId, sku));
                if (i.quantity < q) {
                    throw new IllegalStateException("item " + sku + " has only " + i.quantity + ", order wants " + q);
                }
            });
            do {
                o.po = "1" + digits(12);
            } while (orders.containsKey(o.po));
            o.customerOrderId = "5" + digits(12);
            o.sellerId = sellerId;
            o.orderDate = now();
            o.lastModified = o.orderDate;
            int n = 1;
            for (Line l : lines) {
                Item i = items.get(key(sellerId, l.sku()));
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
            orders.put(o.po, o);
            notifyOrder(o, "PO_CREATED", o.lines);
        }
        return o.po;
    }

    /** Acknowledges every {@code Created} line. */
    public void acknowledge(String po) {
        synchronized (lock) {
            Order o = requireOrder(po);
            move(o, o.lines.stream().filter(l -> l.status == LineStatus.Created).toList(), LineStatus.Acknowledged);
        }
    }

    /** Ships every line that is neither shipped nor cancelled (inventory is unchanged: it was taken at order time). */
    public void ship(String po) {
        synchronized (lock) {
            Order o = requireOrder(po);
            List<OrderLine> open = o.lines.stream()
                    .filter(l -> l.status == LineStatus.Created || l.status == LineStatus.Acknowledged).toList();
            move(o, open, LineStatus.Shipped);
            if (notifyOnShip && !open.isEmpty()) {
                notify(o, "PO_LINE_SHIPPED", open);
            }
        }
    }

    /** Cancels one line: its quantity goes back to inventory and {@code PO_LINE_AUTOCANCELLED} is sent. */
    public void cancelLine(String po, String lineNumber) {
        synchronized (lock) {
            Order o = requireOrder(po);
            OrderLine l = o.lines.stream().filter(x -> x.lineNumber.equals(lineNumber)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no line " + lineNumber + " in " + po));
            if (l.status == LineStatus.Shipped || l.status == LineStatus.Cancelled) {
                throw new IllegalStateException("line " + lineNumber + " of " + po + " is " + l.status);
            }
            Item i = items.get(key(o.sellerId, l.sku));
            if (i != null) {
                i.quantity += l.quantity;
            }
            move(o, List.of(l), LineStatus.Cancelled);
            notifyOrder(o, "PO_LINE_AUTOCANCELLED", List.of(l));
        }
    }

    public OrderView order(String po) {
        synchronized (lock) {
            Order o = orders.get(po);
            return o == null ? null : view(o);
        }
    }

    public List<OrderView> orders() {
        synchronized (lock) {
            return orders.values().stream().map(this::view).toList();
        }
    }

    // ------------------------------------------------------------------ faults and stats

    /** Every API call (token included, {@code /_sandbox} not) is answered {@code status} for {@code d}. */
    public void failFor(Duration d, int status) {
        synchronized (lock) {
            outageUntil = now().plus(d);
            outageStatus = status;
        }
    }

    /** Every API call except the token API is answered 429 for {@code d}. */
    public void throttleStorm(Duration d) {
        synchronized (lock) {
            stormUntil = now().plus(d);
        }
    }

    public void recover() {
        synchronized (lock) {
            outageUntil = null;
            stormUntil = null;
        }
    }

    public Map<String, OperationStats> stats() {
        synchronized (lock) {
            Map<String, OperationStats> out = new TreeMap<>();
            stats.forEach((op, s) -> out.put(op, new OperationStats(s[0], s[1])));
            return out;
        }
    }

    public OperationStats stats(String operation) {
        synchronized (lock) {
            long[] s = stats.get(operation);
            return s == null ? new OperationStats(0, 0) : new OperationStats(s[0], s[1]);
        }
    }

    /** Every webhook delivery attempt, oldest first. */
    public List<Delivery> deliveries() {
        synchronized (lock) {
            return List.copyOf(deliveries);
        }
    }

    public List<InventoryUpdate> inventoryUpdates() {
        synchronized (lock) {
            return List.copyOf(inventoryUpdates);
        }
    }

    /** Forgets items, orders, tokens, stats, records, faults and buckets; keeps sellers, webhooks and settings. */
    public void reset() {
        synchronized (lock) {
            items.clear();
            orders.clear();
            tokens.clear();
            buckets.clear();
            stats.clear();
            deliveries.clear();
            inventoryUpdates.clear();
            outageUntil = null;
            stormUntil = null;
        }
    }

    // ------------------------------------------------------------------ HTTP: API

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Reply r;
            try {
                r = dispatch(ex, body);
            } catch (RuntimeException e) {
                r = new Reply(500, errors("SYSTEM_ERROR.GMP_GATEWAY_API", "INTERNAL", "Internal error", String.valueOf(e)));
            }
            send(ex, r);
        }
    }

    private Reply dispatch(HttpExchange ex, String body) {
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getRawPath();
        Map<String, String> q = query(ex.getRequestURI().getRawQuery());
        String[] seg = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toArray(String[]::new);
        String op;
        if (path.equals("/v3/token") && method.equals("POST")) {
            op = TOKEN;
        } else if (path.equals("/v3/orders") && method.equals("GET")) {
            op = GET_ALL_ORDERS;
        } else if (seg.length == 3 && seg[0].equals("v3") && seg[1].equals("orders") && method.equals("GET")) {
            op = GET_ORDER;
        } else if (path.equals("/v3/inventory") && (method.equals("PUT") || method.equals("GET"))) {
            op = method.equals("PUT") ? UPDATE_INVENTORY : GET_INVENTORY;
        } else {
            return new Reply(404, errors("CONTENT_NOT_FOUND.GMP_GATEWAY_API", "path", "Not Found",
                    "No such resource: " + method + " " + path));
        }
        String svc = ex.getRequestHeaders().getFirst("WM_SVC.NAME");
        String correlation = ex.getRequestHeaders().getFirst("WM_QOS.CORRELATION_ID");
        String sellerId;
        Map<String, String> usage;
        synchronized (lock) {
            Instant now = now();
            count(op, false);
            if (outageUntil != null && now.isBefore(outageUntil)) {
                int s = outageStatus;
                if (s == 429) {
                    count(op, true);
                }
                return new Reply(s, errors(s == 503 ? "SERVICE_UNAVAILABLE.GMP_GATEWAY_API" : "SYSTEM_ERROR.GMP_GATEWAY_API",
                        "SYSTEM", "Simulated outage", "Simulated outage (HTTP " + s + ")"));
            }
            if (op.equals(TOKEN)) {
                return token(ex, body, svc, correlation);
            }
            Token t = tokens.get(ex.getRequestHeaders().getFirst("WM_SEC.ACCESS_TOKEN"));
            if (t == null || !now.isBefore(t.expiresAt())) {
                return new Reply(401, errors("UNAUTHORIZED.GMP_GATEWAY_API", "UNAUTHORIZED", "Unauthorized",
                        "Unauthorized token or incorrect authorization header."));
            }
            Reply missing = requireHeaders(svc, correlation);
            if (missing != null) {
                return missing;
            }
            sellerId = t.sellerId();
            RateLimit limit = limits.get(op);
            TokenBucket bucket = buckets.computeIfAbsent(key(sellerId, op),
                    k -> new TokenBucket(limit.ratePerSecond(), limit.burst(), now));
            boolean storm = stormUntil != null && now.isBefore(stormUntil);
            boolean ok = !storm && bucket.tryTake(now);
            usage = Map.of("x-current-token-count", Long.toString((long) Math.floor(bucket.tokens(now))),
                    "x-next-replenish-time", Long.toString(now.plus(bucket.untilNextToken(now)).toEpochMilli()));
            if (!ok) {
                count(op, true);
                return new Reply(429, errors("REQUEST_THRESHOLD_VIOLATED.GMP_GATEWAY_API", "REQUEST_THRESHOLD_VIOLATED",
                        "Too Many Requests", "Request threshold violated"), usage, "application/json");
            }
        }
        Reply r = switch (op) {
            case GET_ALL_ORDERS -> getAllOrders(sellerId, q);
            case GET_ORDER -> getOrder(sellerId, decode(seg[2]));
            case UPDATE_INVENTORY -> putInventory(sellerId, q.get("sku"), body);
            default -> getInventory(sellerId, q.get("sku"));
        };
        return new Reply(r.status(), r.body(), usage, r.contentType());
    }

    private Reply requireHeaders(String svc, String correlation) {
        if (svc == null || svc.isBlank()) {
            return new Reply(400, errors("MISSING_REQUEST_HEADER.GMP_GATEWAY_API", "WM_SVC.NAME",
                    "Missing request header", "WM_SVC.NAME header is required"));
        }
        if (correlation == null || correlation.isBlank()) {
            return new Reply(400, errors("MISSING_REQUEST_HEADER.GMP_GATEWAY_API", "WM_QOS.CORRELATION_ID",
                    "Missing request header", "WM_QOS.CORRELATION_ID header is required"));
        }
        return null;
    }

    private Reply token(HttpExchange ex, String body, String svc, String correlation) {
        Reply missing = requireHeaders(svc, correlation);
        if (missing != null) {
            return missing;
        }
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        Seller seller = null;
        if (auth != null && auth.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                decoded = "";
            }
            int colon = decoded.indexOf(':');
            if (colon > 0) {
                String id = decoded.substring(0, colon);
                String secret = decoded.substring(colon + 1);
                seller = sellers.values().stream().filter(s -> s.clientId.equals(id) && s.clientSecret.equals(secret))
                        .findFirst().orElse(null);
            }
        }
        if (seller == null) {
            return new Reply(401, errors("UNAUTHORIZED.GMP_GATEWAY_API", "UNAUTHORIZED", "Unauthorized",
                    "Unauthorized token or invalid clientId/clientSecret."));
        }
        if (!"client_credentials".equals(query(body).get("grant_type"))) {
            return new Reply(400, errors("INVALID_REQUEST_PARAM.GMP_GATEWAY_API", "grant_type",
                    "Invalid grant_type", "grant_type must be client_credentials"));
        }
        String access = "eyJraWQiOiJ" + randomAlnum(60);
        tokens.put(access, new Token(seller.sellerId, now().plus(tokenLifetime)));
        long expiresIn = tokenLifetime.toSeconds();
        String accept = ex.getRequestHeaders().getFirst("Accept");
        if (accept != null && accept.contains("application/json")) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("access_token", access);
            out.put("token_type", "Bearer");
            out.put("expires_in", expiresIn);
            return new Reply(200, out);
        }
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><OAuthTokenDTO><accessToken>" + access
                + "</accessToken><tokenType>Bearer</tokenType><expiresIn>" + expiresIn + "</expiresIn></OAuthTokenDTO>";
        return new Reply(200, xml, Map.of(), "application/xml");
    }

    private Reply getAllOrders(String sellerId, Map<String, String> q) {
        synchronized (lock) {
            Instant now = now();
            int limit = 100;
            if (q.containsKey("limit")) {
                try {
                    limit = Integer.parseInt(q.get("limit"));
                } catch (NumberFormatException e) {
                    limit = -1;
                }
                if (limit < 1 || limit > 200) {
                    return invalidParam("limit", "limit must be between 1 and 200");
                }
            }
            Instant createdStart;
            Instant createdEnd;
            Instant modifiedStart;
            Instant modifiedEnd;
            try {
                createdStart = date(q.get("createdStartDate"));
                createdEnd = date(q.get("createdEndDate"));
                modifiedStart = date(q.get("lastModifiedStartDate"));
                modifiedEnd = date(q.get("lastModifiedEndDate"));
            } catch (DateTimeParseException | NumberFormatException e) {
                return invalidParam("date", "Dates must be ISO 8601 (yyyy-MM-dd or with time) or epoch milliseconds");
            }
            if (createdStart == null && modifiedStart == null) {
                createdStart = now.minus(Duration.ofDays(7));
            }
            String status = q.get("status");
            if (status != null && !List.of("Created", "Acknowledged", "Shipped", "Delivered", "Cancelled").contains(status)) {
                return invalidParam("status", "Invalid status " + status);
            }
            Instant cs = createdStart;
            Instant floor = now.minus(Duration.ofDays(180));
            List<Order> matching = orders.values().stream()
                    .filter(o -> o.sellerId.equals(sellerId))
                    .filter(o -> !o.orderDate.isBefore(floor))
                    .filter(o -> cs == null || !o.orderDate.isBefore(cs))
                    .filter(o -> createdEnd == null || !o.orderDate.isAfter(createdEnd))
                    .filter(o -> modifiedStart == null || !o.lastModified.isBefore(modifiedStart))
                    .filter(o -> modifiedEnd == null || !o.lastModified.isAfter(modifiedEnd))
                    .filter(o -> status == null || o.lines.stream().anyMatch(l -> l.status.name().equals(status)))
                    .filter(o -> q.get("sku") == null || o.lines.stream().anyMatch(l -> l.sku.equals(q.get("sku"))))
                    .filter(o -> q.get("purchaseOrderId") == null || o.po.equals(q.get("purchaseOrderId")))
                    .filter(o -> q.get("customerOrderId") == null || o.customerOrderId.equals(q.get("customerOrderId")))
                    .sorted(NEWEST_FIRST)
                    .toList();
            int start = 0;
            int served = 0;
            if ("true".equals(q.get("hasMoreElements")) && q.containsKey("poIndex")) {
                Order last = orders.get(q.get("poIndex"));
                if (last == null) {
                    return invalidParam("nextCursor", "Invalid cursor");
                }
                while (start < matching.size() && NEWEST_FIRST.compare(matching.get(start), last) <= 0) {
                    start++;
                }
                try {
                    served = Integer.parseInt(q.getOrDefault("soIndex", "0"));
                } catch (NumberFormatException e) {
                    return invalidParam("nextCursor", "Invalid cursor");
                }
            }
            List<Order> page = matching.subList(start, Math.min(matching.size(), start + limit));
            if (matching.isEmpty() && emptyOrdersAs404) {
                return new Reply(404, noOrdersFound());
            }
            String nextCursor = null;
            if (start + page.size() < matching.size()) {
                Map<String, String> cursor = new LinkedHashMap<>();
                cursor.put("limit", Integer.toString(limit));
                cursor.put("hasMoreElements", "true");
                cursor.put("soIndex", Integer.toString(served + page.size()));
                cursor.put("poIndex", page.get(page.size() - 1).po);
                cursor.put("partnerId", sellerId);
                cursor.put("sellerId", sellerId);
                for (String k : List.of("createdStartDate", "createdEndDate", "lastModifiedStartDate",
                        "lastModifiedEndDate", "status", "sku", "purchaseOrderId", "customerOrderId")) {
                    if (q.containsKey(k)) {
                        cursor.put(k, q.get(k));
                    } else if (k.equals("createdStartDate") && createdStart != null) {
                        cursor.put(k, createdStart.toString());
                    }
                }
                StringBuilder b = new StringBuilder("?");
                cursor.forEach((k, v) -> b.append(b.length() > 1 ? "&" : "").append(k).append('=')
                        .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
                nextCursor = b.toString();
            }
            ObjectNode root = mapper.createObjectNode();
            ObjectNode list = root.putObject("list");
            ObjectNode meta = list.putObject("meta");
            meta.put("totalCount", matching.size());
            meta.put("limit", limit);
            meta.put("nextCursor", nextCursor);
            ArrayNode arr = list.putObject("elements").putArray("order");
            page.forEach(o -> arr.add(orderJson(o)));
            return new Reply(200, root);
        }
    }

    /**
     * Walmart's answer to {@code GET /v3/orders} when nothing matches: 404, not an empty list. Reported by
     * fulfilio/python-walmart PR 14 ("If no orders are there on walmart, it throws 404"), fillup/walmart-partner-api-
     * sdk-php PR 6 ("return empty set rather than 404 error when no orders found") and makanaleu/wmt-marketplace-sdk
     * 1.3.4, whose CHANGELOG quotes the body's code and description and whose lib/error.d.ts gives the other fields'
     * examples ({@code info} "Requested content could not be found.", {@code severity} INFO, {@code category}
     * APPLICATION). The JSON error envelope {@code {"errors":[...]}} is Walmart's (error-codes page; the
     * highsidelabs/walmart-api-php Error404 model has the same fields). Walmart's {@code field} for this error is not
     * documented, so none is sent.
     */
    private ObjectNode noOrdersFound() {
        ObjectNode root = mapper.createObjectNode();
        ObjectNode e = root.putArray("errors").addObject();
        e.put("code", "CONTENT_NOT_FOUND.GMP_ORDER_API");
        e.put("description", "Failed when called getAllOrders. Orders not found for given search parameters");
        e.put("info", "Requested content could not be found.");
        e.put("severity", "INFO");
        e.put("category", "APPLICATION");
        e.putArray("causes");
        e.putObject("errorIdentifiers");
        return root;
    }

    private Reply getOrder(String sellerId, String po) {
        synchronized (lock) {
            Order o = orders.get(po);
            if (o == null || !o.sellerId.equals(sellerId)) {
                return new Reply(404, errors("CONTENT_NOT_FOUND.GMP_ORDER_API", "purchaseOrderId", "Not found",
                        "Purchase order " + po + " not found"));
            }
            ObjectNode root = mapper.createObjectNode();
            root.set("order", orderJson(o));
            return new Reply(200, root);
        }
    }

    private Reply putInventory(String sellerId, String sku, String body) {
        Reply r = putInventoryOutcome(sellerId, sku, body);
        synchronized (lock) {
            Integer amount = r.status() == 200 ? ((JsonNode) r.body()).get("quantity").get("amount").intValue() : null;
            inventoryUpdates.add(new InventoryUpdate(now(), sellerId, sku, body, r.status(), amount));
        }
        return r;
    }

    private Reply putInventoryOutcome(String sellerId, String sku, String body) {
        if (sku == null || sku.isBlank()) {
            return invalidParam("sku", "sku query parameter is required");
        }
        JsonNode req;
        try {
            req = mapper.readTree(body);
        } catch (IOException e) {
            return invalidParam("body", "Request body is not valid JSON");
        }
        JsonNode qty = req == null ? null : req.get("quantity");
        JsonNode amount = qty == null ? null : qty.get("amount");
        if (req == null || !req.isObject() || qty == null || amount == null) {
            return invalidParam("quantity", "quantity.unit and quantity.amount are required");
        }
        if (req.hasNonNull("sku") && !req.get("sku").asText().equals(sku)) {
            return invalidParam("sku", "sku in the body does not match the sku parameter");
        }
        if (!"EACH".equals(qty.path("unit").asText())) {
            return invalidParam("quantity.unit", "quantity.unit must be EACH");
        }
        if (!amount.isIntegralNumber() || !amount.canConvertToInt() || amount.intValue() < 0) {
            return invalidParam("quantity.amount", "quantity.amount must be a whole number of at least 0");
        }
        synchronized (lock) {
            Item i = items.get(key(sellerId, sku));
            if (i == null) {
                return new Reply(404, errors("CONTENT_NOT_FOUND.GMP_INVENTORY_API", "sku", "Not found",
                        "Item " + sku + " not found"));
            }
            i.quantity = amount.intValue();
            return new Reply(200, inventoryJson(i));
        }
    }

    private Reply getInventory(String sellerId, String sku) {
        if (sku == null || sku.isBlank()) {
            return invalidParam("sku", "sku query parameter is required");
        }
        synchronized (lock) {
            Item i = items.get(key(sellerId, sku));
            if (i == null) {
                return new Reply(404, errors("CONTENT_NOT_FOUND.GMP_INVENTORY_API", "sku", "Not found",
                        "Item " + sku + " not found"));
            }
            return new Reply(200, inventoryJson(i));
        }
    }

    // ------------------------------------------------------------------ HTTP: merchant controls

    /**
     * Merchant-side controls for curl users (JSON; {@code sellerId} defaults to {@link #DEFAULT_SELLER_ID}):
     * <ul>
     *   <li>{@code POST /_sandbox/walmart/items} {@code {"sellerId"?, "sku", "quantity", "price"?}};
     *       {@code GET} and {@code PUT} (body {@code {"quantity"}}) {@code /_sandbox/walmart/items/{sku}}</li>
     *   <li>{@code POST /_sandbox/walmart/orders} {@code {"sellerId"?, "lines":[{"sku","quantity"}]}},
     *       {@code GET /_sandbox/walmart/orders}, {@code POST /_sandbox/walmart/orders/{po}/acknowledge},
     *       {@code .../ship}, {@code .../lines/{lineNumber}/cancel}</li>
     *   <li>{@code POST /_sandbox/walmart/webhook} {@code {"sellerId"?, "url", "secret"}}</li>
     *   <li>{@code POST /_sandbox/walmart/outage?status=503&seconds=60}, {@code POST .../throttle-storm?seconds=60},
     *       {@code POST .../recover}, {@code GET .../stats}, {@code GET .../deliveries}</li>
     * </ul>
     */
    private void control(HttpExchange ex) throws IOException {
        try (ex) {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String method = ex.getRequestMethod();
            String[] seg = Arrays.stream(ex.getRequestURI().getRawPath().split("/")).filter(s -> !s.isEmpty())
                    .map(WalmartSimulator::decode).toArray(String[]::new);
            Map<String, String> q = query(ex.getRequestURI().getRawQuery());
            int status = 200;
            Object answer;
            try {
                JsonNode in = body.isBlank() ? mapper.createObjectNode() : mapper.readTree(body);
                String what = seg.length > 2 ? seg[2] : "";
                String seller = q.getOrDefault("sellerId", in.hasNonNull("sellerId") ? in.get("sellerId").asText() : DEFAULT_SELLER_ID);
                if (what.equals("items") && seg.length == 3 && method.equals("POST")) {
                    BigDecimal price = in.hasNonNull("price") ? new BigDecimal(in.get("price").asText()) : new BigDecimal("10.00");
                    createItem(seller, in.get("sku").asText(), in.get("quantity").asInt(), price);
                    answer = Map.of("sku", in.get("sku").asText(), "quantity", inventory(seller, in.get("sku").asText()));
                } else if (what.equals("items") && seg.length == 4 && method.equals("GET")) {
                    answer = Map.of("sku", seg[3], "quantity", inventory(seller, seg[3]));
                } else if (what.equals("items") && seg.length == 4 && method.equals("PUT")) {
                    setInventory(seller, seg[3], in.get("quantity").asInt());
                    answer = Map.of("sku", seg[3], "quantity", inventory(seller, seg[3]));
                } else if (what.equals("orders") && seg.length == 3 && method.equals("POST")) {
                    List<Line> lines = new ArrayList<>();
                    in.get("lines").forEach(l -> lines.add(new Line(l.get("sku").asText(), l.get("quantity").asInt())));
                    answer = order(placeOrder(seller, lines));
                } else if (what.equals("orders") && seg.length == 3 && method.equals("GET")) {
                    answer = orders();
                } else if (what.equals("orders") && seg.length == 5 && seg[4].equals("acknowledge") && method.equals("POST")) {
                    acknowledge(seg[3]);
                    answer = order(seg[3]);
                } else if (what.equals("orders") && seg.length == 5 && seg[4].equals("ship") && method.equals("POST")) {
                    ship(seg[3]);
                    answer = order(seg[3]);
                } else if (what.equals("orders") && seg.length == 7 && seg[4].equals("lines") && seg[6].equals("cancel")
                        && method.equals("POST")) {
                    cancelLine(seg[3], seg[5]);
                    answer = order(seg[3]);
                } else if (what.equals("webhook") && method.equals("POST")) {
                    webhook(seller, in.path("url").asText(null), in.path("secret").asText(null));
                    answer = Map.of("webhook", in.path("url").asText(""));
                } else if (what.equals("outage") && method.equals("POST")) {
                    int s = Integer.parseInt(q.getOrDefault("status", "503"));
                    failFor(Duration.ofSeconds(Long.parseLong(q.getOrDefault("seconds", "60"))), s);
                    answer = Map.of("outage", s);
                } else if (what.equals("throttle-storm") && method.equals("POST")) {
                    throttleStorm(Duration.ofSeconds(Long.parseLong(q.getOrDefault("seconds", "60"))));
                    answer = Map.of("throttleStorm", true);
                } else if (what.equals("recover") && method.equals("POST")) {
                    recover();
                    answer = Map.of("recovered", true);
                } else if (what.equals("stats") && method.equals("GET")) {
                    answer = stats();
                } else if (what.equals("deliveries") && method.equals("GET")) {
                    answer = deliveries();
                } else {
                    status = 404;
                    answer = Map.of("error", "unknown sandbox control " + method + " " + ex.getRequestURI().getPath());
                }
            } catch (IllegalArgumentException | IllegalStateException | NullPointerException e) {
                status = 400;
                answer = Map.of("error", String.valueOf(e.getMessage()));
            }
            send(ex, new Reply(status, answer));
        }
    }

    // ------------------------------------------------------------------ webhooks

    /**
     * An order event as the seller's subscriptions would receive it: the standalone event (until Walmart retires it,
     * or per {@link #legacyOrderEvents(Boolean)}) and {@code ORDER_UPDATES} with it as {@code subEventType} (per
     * {@link #orderUpdatesEvents(boolean)}). Caller holds the lock.
     */
    private void notifyOrder(Order o, String orderEvent, List<OrderLine> lines) {
        boolean legacy = legacyOrderEvents != null ? legacyOrderEvents : now().isBefore(LEGACY_ORDER_EVENTS_RETIRED);
        if (legacy) {
            notify(o, orderEvent, lines);
        }
        if (orderUpdatesEvents) {
            notifyOrderUpdate(o, orderEvent, lines);
        }
    }

    /**
     * {@code ORDER_UPDATES} (developer.walmart.com/us-marketplace/docs/order-management-event, updated 2026-04-12):
     * {@code source} has {@code eventType} (always ORDER_UPDATES), {@code eventFilters} ("reserved for future use; may
     * be null"), {@code eventTime} (ISO 8601 UTC) and {@code eventId} (unique per delivery); {@code payload} has
     * {@code subEventType} and the {@code order} block. The page's {@code payload.meta} container is not sent: its
     * content is not shown in the copy of the page we could read. Nor is the order block's content, so it carries the
     * fields of the standalone event ({@link #orderEventPayload}): an assumption, unverified. Caller holds the lock.
     */
    private void notifyOrderUpdate(Order o, String subEventType, List<OrderLine> lines) {
        ObjectNode payload = mapper.createObjectNode();
        payload.put("subEventType", subEventType);
        payload.set("order", orderEventPayload(o, lines));
        deliverEvent(o, ORDER_UPDATES, payload, true);
    }

    /** Queues one standalone event for the order's seller. Caller holds the lock. */
    private void notify(Order o, String eventType, List<OrderLine> lines) {
        deliverEvent(o, eventType, orderEventPayload(o, lines), false);
    }

    /**
     * The order of a standalone order event, as the PO created / PO line auto-canceled event pages list it
     * (developer.walmart.com/us-marketplace/docs/purchase-order-po-created-event and
     * .../purchase-order-po-line-auto-canceled-event): {@code partnerId}, {@code purchaseOrderId},
     * {@code customerOrderId}, {@code orderDate}, {@code estimatedDeliveryDate}, {@code estimatedShipDate} (strings)
     * and {@code orderLines[]} with {@code lineNumber}, {@code sku}, {@code productName},
     * {@code quantity{unitOfMeasure, measurementValue}} ("numeric string. Example: 1"), {@code status} ("Example:
     * CREATED" / "CANCELLED"), {@code statusDate} (ISO-8601, UTC). The auto-cancel page's {@code cancellationReason} is
     * not sent (its example is cut short in our copy). The date strings' format is not given for the order dates; ISO 8601 is sent. Other documented line fields
     * (shipping program, method, node) are left out. {@code PO_LINE_SHIPPED} is a simulator-only event of the same
     * shape. Caller holds the lock.
     */
    private ObjectNode orderEventPayload(Order o, List<OrderLine> lines) {
        ObjectNode payload = mapper.createObjectNode();
        payload.put("partnerId", o.sellerId);
        payload.put("purchaseOrderId", o.po);
        payload.put("customerOrderId", o.customerOrderId);
        payload.put("orderDate", o.orderDate.truncatedTo(ChronoUnit.MILLIS).toString());
        payload.put("estimatedDeliveryDate", o.orderDate.plus(Duration.ofDays(5)).truncatedTo(ChronoUnit.MILLIS)
                .toString());
        payload.put("estimatedShipDate", o.orderDate.plus(Duration.ofDays(2)).truncatedTo(ChronoUnit.MILLIS)
                .toString());
        ArrayNode arr = payload.putArray("orderLines");
        for (OrderLine l : lines) {
            ObjectNode n = arr.addObject();
            n.put("lineNumber", l.lineNumber);
            n.put("sku", l.sku);
            n.put("productName", l.productName);
            ObjectNode qn = n.putObject("quantity");
            qn.put("unitOfMeasure", "EACH");
            qn.put("measurementValue", Integer.toString(l.quantity));
            n.put("status", l.status.name().toUpperCase(java.util.Locale.ROOT));
            n.put("statusDate", l.statusDate.truncatedTo(ChronoUnit.MILLIS).toString());
        }
        return payload;
    }

    /** Queues one notification for the order's seller, if it has a webhook. Caller holds the lock. */
    private void deliverEvent(Order o, String eventType, ObjectNode payload, boolean withEventFilters) {
        Seller s = sellers.get(o.sellerId);
        if (s == null || s.webhookUrl == null || executor == null) {
            return;
        }
        ObjectNode root = mapper.createObjectNode();
        ObjectNode source = root.putObject("source");
        String eventId = UUID.randomUUID().toString();
        source.put("eventType", eventType);
        if (withEventFilters) {
            source.putNull("eventFilters");
        }
        source.put("eventTime", now().truncatedTo(ChronoUnit.MILLIS).toString());
        source.put("eventId", eventId);
        root.set("payload", payload);
        String body;
        try {
            body = mapper.writeValueAsString(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String url = s.webhookUrl;
        String secret = s.webhookSecret;
        executor.execute(() -> deliver(eventId, eventType, url, secret, body, 1, false));
    }

    private void deliver(String eventId, String eventType, String url, String secret, String body, int attempt,
                         boolean duplicate) {
        Duration timeout;
        HttpClient client;
        synchronized (lock) {
            timeout = webhookTimeout;
        }
        client = webhookClient;
        if (client == null) {
            return;
        }
        int status;
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
            if (secret != null) {
                b.header(SIGNATURE_HEADER, sign(secret, body));
            }
            status = client.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException | IllegalArgumentException e) {
            status = -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        Duration retryIn = null;
        boolean sendDuplicate = false;
        synchronized (lock) {
            deliveries.add(new Delivery(eventId, eventType, url, attempt, duplicate, status, now(), body));
            if (status < 200 || status > 299) {
                if (!duplicate && attempt <= retryDelays.size()) {
                    retryIn = retryDelays.get(attempt - 1);
                }
            } else if (!duplicate && duplicateProbability > 0 && ThreadLocalRandom.current().nextDouble() < duplicateProbability) {
                sendDuplicate = true;
            }
        }
        ScheduledExecutorService ex = executor;
        if (ex == null) {
            return;
        }
        try {
            if (retryIn != null) {
                ex.schedule(() -> deliver(eventId, eventType, url, secret, body, attempt + 1, false),
                        retryIn.toMillis(), TimeUnit.MILLISECONDS);
            } else if (sendDuplicate) {
                ex.schedule(() -> deliver(eventId, eventType, url, secret, body, attempt + 1, true),
                        50, TimeUnit.MILLISECONDS);
            }
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // simulator stopped
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

    // ------------------------------------------------------------------ helpers

    private void send(HttpExchange ex, Reply r) throws IOException {
        byte[] bytes = r.body() instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : mapper.writeValueAsBytes(r.body());
        ex.getResponseHeaders().set("Content-Type", r.contentType());
        r.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        try {
            ex.sendResponseHeaders(r.status(), bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            // client went away
        }
    }

    /**
     * One order of {@code GET /v3/orders} ({@code list.elements.order[]}), in the shape of the documented 200 example
     * of Walmart's Orders OpenAPI (highsidelabs/walmart-api-php resources/schemas/models/us/mp/orders.json, commit
     * 044255bb; a trimmed copy is src/test/resources/walmart/get-all-orders.json): epoch-millisecond dates, string
     * quantity amounts, one status entry per line.
     */
    private ObjectNode orderJson(Order o) {
        ObjectNode n = mapper.createObjectNode();
        n.put("purchaseOrderId", o.po);
        n.put("customerOrderId", o.customerOrderId);
        n.put("customerEmailId", o.customerOrderId + "@relay.walmart.com");
        n.put("orderType", "REGULAR");
        n.put("orderDate", o.orderDate.toEpochMilli());
        ObjectNode ship = n.putObject("shippingInfo");
        ship.put("phone", "5555555555");
        ship.put("estimatedDeliveryDate", o.orderDate.plus(Duration.ofDays(5)).toEpochMilli());
        ship.put("estimatedShipDate", o.orderDate.plus(Duration.ofDays(2)).toEpochMilli());
        ship.put("methodCode", "Standard");
        ObjectNode addr = ship.putObject("postalAddress");
        addr.put("name", "Simulated Customer");
        addr.put("address1", "1 Main St");
        addr.put("city", "Bentonville");
        addr.put("state", "AR");
        addr.put("postalCode", "72712");
        addr.put("country", "USA");
        addr.put("addressType", "RESIDENTIAL");
        ArrayNode lines = n.putObject("orderLines").putArray("orderLine");
        for (OrderLine l : o.lines) {
            ObjectNode ln = lines.addObject();
            ln.put("lineNumber", l.lineNumber);
            ObjectNode item = ln.putObject("item");
            item.put("productName", l.productName);
            item.put("sku", l.sku);
            ObjectNode charge = ln.putObject("charges").putArray("charge").addObject();
            charge.put("chargeType", "PRODUCT");
            charge.put("chargeName", "ItemPrice");
            ObjectNode amount = charge.putObject("chargeAmount");
            amount.put("currency", "USD");
            amount.put("amount", l.price.multiply(BigDecimal.valueOf(l.quantity)));
            charge.putNull("tax");
            ObjectNode q = ln.putObject("orderLineQuantity");
            q.put("unitOfMeasurement", "EACH");
            q.put("amount", Integer.toString(l.quantity));
            ln.put("statusDate", l.statusDate.toEpochMilli());
            ObjectNode st = ln.putObject("orderLineStatuses").putArray("orderLineStatus").addObject();
            st.put("status", l.status.name());
            ObjectNode sq = st.putObject("statusQuantity");
            sq.put("unitOfMeasurement", "EACH");
            sq.put("amount", Integer.toString(l.quantity));
            if (l.status == LineStatus.Cancelled) {
                st.put("cancellationReason", "CANCEL_BY_SELLER");
            }
            ObjectNode f = ln.putObject("fulfillment");
            f.put("fulfillmentOption", "S2H");
            f.put("shipMethod", "STANDARD");
        }
        n.putObject("shipNode").put("type", "SellerFulfilled");
        return n;
    }

    /** {@code {"sku", "quantity": {"unit": "EACH", "amount"}}}: inventory.json mirror and update-single-item-inventory. */
    private ObjectNode inventoryJson(Item i) {
        ObjectNode n = mapper.createObjectNode();
        n.put("sku", i.sku);
        ObjectNode q = n.putObject("quantity");
        q.put("unit", "EACH");
        q.put("amount", i.quantity);
        return n;
    }

    private Reply invalidParam(String field, String info) {
        return new Reply(400, errors("INVALID_REQUEST_PARAM.GMP_GATEWAY_API", field, "Invalid request parameter", info));
    }

    private ObjectNode errors(String code, String field, String description, String info) {
        ObjectNode root = mapper.createObjectNode();
        ObjectNode e = root.putArray("errors").addObject();
        e.put("code", code);
        e.put("field", field);
        e.put("description", description);
        e.put("info", info);
        e.put("severity", "ERROR");
        e.put("category", code.startsWith("SYSTEM") || code.startsWith("SERVICE") ? "SYSTEM" : "DATA");
        e.putArray("causes");
        e.putObject("errorIdentifiers");
        return root;
    }

    private void move(Order o, List<OrderLine> lines, LineStatus to) {
        if (lines.isEmpty()) {
            return;
        }
        Instant now = now();
        for (OrderLine l : lines) {
            l.status = to;
            l.statusDate = now;
        }
        o.lastModified = now;
    }

    private OrderView view(Order o) {
        return new OrderView(o.po, o.customerOrderId, o.sellerId, o.orderDate, o.lastModified,
                o.lines.stream().map(l -> new LineView(l.lineNumber, l.sku, l.quantity, l.status)).toList());
    }

    private void count(String op, boolean throttled) {
        long[] s = stats.computeIfAbsent(op, k -> new long[2]);
        if (throttled) {
            s[1]++;
        } else {
            s[0]++;
        }
    }

    private Seller requireSeller(String sellerId) {
        Seller s = sellers.get(sellerId);
        if (s == null) {
            throw new IllegalArgumentException("unknown seller " + sellerId);
        }
        return s;
    }

    private Item requireItem(String sellerId, String sku) {
        Item i = items.get(key(sellerId, sku));
        if (i == null) {
            throw new IllegalArgumentException("no item " + sku + " for seller " + sellerId);
        }
        return i;
    }

    private Order requireOrder(String po) {
        Order o = orders.get(po);
        if (o == null) {
            throw new IllegalArgumentException("no order " + po);
        }
        return o;
    }

    private Instant now() {
        return clock.instant();
    }

    /** ISO 8601 date or date-time (offset optional) or epoch milliseconds; null stays null. */
    static Instant date(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        if (s.chars().allMatch(Character::isDigit)) {
            return Instant.ofEpochMilli(Long.parseLong(s));
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                return LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
        }
    }

    private String digits(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append((char) ('0' + random.nextInt(10)));
        }
        return b.toString();
    }

    private String randomAlnum(int n) {
        String chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(chars.charAt(random.nextInt(chars.length())));
        }
        return b.toString();
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(k, v);
        }
        return out;
    }

    private static String key(String a, String b) {
        return a + "\u0000" + b;
    }
}
