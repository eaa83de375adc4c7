package io.tally.sandbox.amazon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.tally.sandbox.LoopbackHttpServer;

import io.tally.sandbox.TokenBucket;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local stand-in for Amazon's Selling Partner API (Orders v0, Listings Items 2021-08-01) and for Login with Amazon
 * (LWA), so the hub's Amazon adapter can be developed and tested without a seller account. One loopback HTTP server
 * plays both hosts: point the adapter's LWA endpoint ({@code https://api.amazon.com}) and its SP-API endpoint
 * ({@code https://sellingpartnerapi-na.amazon.com}) at {@link #baseUrl()}.
 *
 * <p>What it reproduces, and why (facts from {@code shared/reference/channels.md} §2):
 * <ul>
 *   <li>LWA {@code POST /auth/o2/token} (refresh-token grant) hands out {@code Atza|...} access tokens that expire
 *       after {@link #tokenLifetime(Duration)} (3600 s like Amazon). SP-API calls need {@code x-amz-access-token};
 *       a missing, unknown or expired token gets Amazon's 403 {@code Unauthorized} body, so token refresh is
 *       exercised. Bad client credentials answer 401 {@code invalid_client}, a bad refresh token 400
 *       {@code invalid_grant}, as OAuth 2 / LWA do.</li>
 *   <li>{@code getOrders}: the CreatedAfter/LastUpdatedAfter exclusivity, the "Before must be at least 2 minutes
 *       ago" rule ({@link #beforeMinAge(Duration)}), MaxResultsPerPage 1..100 and NextToken paging. Paging works
 *       on a snapshot of the matching order ids taken at the first page (later pages show the orders' current
 *       state); with NextToken all other filters are ignored, as Amazon does.</li>
 *   <li>{@code patchListingsItem} answers {@code ACCEPTED} and applies the quantity only after
 *       {@link #processingDelay(Duration)}, because Amazon processes submissions asynchronously. Reads settle lazily
 *       by the clock, so there is no background thread.</li>
 *   <li>Per-operation, per-seller token buckets with the documented default rate/burst, answering 429
 *       {@code QuotaExceeded} and sending {@code x-amzn-RateLimit-Limit} and {@code x-amzn-RequestId}.</li>
 *   <li>Orders lower the listing quantity (at placement, or when they leave Pending if
 *       {@link #deductOnPending(boolean)} is false: Amazon's behaviour for Pending MFN orders is unconfirmed) and a
 *       cancellation gives it back.</li>
 * </ul>
 * Strict where the Listings Items model is ({@code models/listings-items-api-model/listingsItems_2021-08-01.json} in
 * amzn/selling-partner-api-models at 34dc93fe): {@code includedData} outside each operation's enum is a 400, and every
 * issue carries the required {@code categories}. No official model artifact resolves from Maven Central here (tried
 * {@code software.amazon.spapi:spapi-sdk} 1.9.0 and 1.6.1); the npm SDK
 * {@code @amazon-sp-api-release/amazon-sp-api-sdk-js} 1.12.0 resolves but ships neither the schemas nor any
 * validation, so these facts are written here with their source.
 * {@code searchListingsItems} pages through a seller's listings ({@code pageSize} up to 20, {@code pageToken}).
 * Not reproduced: AWS SigV4 (no longer required), RDT/PII, AFN orders, the 2026-01-01 Orders API, feeds and
 * notifications. Error codes other than {@code Unauthorized}, {@code QuotaExceeded} and {@code InvalidInput} are
 * plausible guesses ({@code NotFound}, {@code ServiceUnavailable}, {@code InternalFailure}).
 *
 * <p>All time comes from an injectable {@link Clock}, so tests can move time instead of sleeping. Merchant-side
 * actions (listings, orders, status changes, faults) are available as Java methods and, for curl users, as HTTP
 * under {@code /_sandbox/amazon/} (see {@link #control}). Plain JDK, no Spring; thread-safe.
 */
public class AmazonSimulator implements AutoCloseable {

    public static final String US_MARKETPLACE = "ATVPDKIKX0DER";
    public static final String DEFAULT_SELLER_ID = "A1TALLYSELLER";
    public static final String DEFAULT_CLIENT_ID = "amzn1.application-oa2-client.tally";
    public static final String DEFAULT_CLIENT_SECRET = "tally-client-secret";
    public static final String DEFAULT_REFRESH_TOKEN = "Atzr|tally-refresh-token";

    public static final String GET_ORDERS = "getOrders";
    public static final String GET_ORDER_ITEMS = "getOrderItems";
    public static final String PATCH_LISTINGS_ITEM = "patchListingsItem";
    public static final String GET_LISTINGS_ITEM = "getListingsItem";
    public static final String SEARCH_LISTINGS_ITEMS = "searchListingsItems";

    /**
     * The {@code includedData} values getListingsItem and searchListingsItems accept (listingsItems_2021-08-01.json,
     * amzn/selling-partner-api-models at 34dc93fe: the parameter's items enum; default {@code summaries}).
     */
    static final Set<String> READ_INCLUDED_DATA = Set.of("summaries", "attributes", "issues", "offers",
            "fulfillmentAvailability", "procurement", "relationships", "productTypes");

    /**
     * The {@code includedData} values patchListingsItem accepts (same model: {@code identifiers}, {@code issues};
     * default {@code issues}); {@code identifiers} "can only be requested when mode is VALIDATION_PREVIEW".
     */
    static final Set<String> PATCH_INCLUDED_DATA = Set.of("identifiers", "issues");

    private static final String INVALID_ATTRIBUTE = "INVALID_ATTRIBUTE";
    private static final String MISSING_ATTRIBUTE = "MISSING_ATTRIBUTE";

    /** Orders v0 statuses the merchant side can set (spelled as Amazon spells them: one L in Canceled). */
    public enum OrderStatus { Pending, Unshipped, Shipped, Canceled }

    /** One order line: a SKU and a quantity. */
    public record Line(String sku, int quantity) {
    }

    /** A rate limit: tokens per second and bucket size. */
    public record RateLimit(double ratePerSecond, int burst) {
    }

    /** Calls received for one operation and how many of them were answered 429. */
    public record OperationStats(long calls, long throttled) {
    }

    /** One {@code patchListingsItem} request as received, with the outcome. */
    public record PatchRecord(Instant at, String sellerId, String sku, String body, int httpStatus,
                              String submissionStatus, Integer quantity) {
    }

    /** Snapshot of an order. */
    public record OrderView(String amazonOrderId, String sellerId, OrderStatus status, Instant purchaseDate,
                            Instant lastUpdateDate, List<Line> lines) {
    }

    private static final Set<String> KNOWN_STATUSES = Set.of("PendingAvailability", "Pending", "Unshipped",
            "PartiallyShipped", "Shipped", "InvoiceUnconfirmed", "Canceled", "Unfulfillable");
    private static final DateTimeFormatter ISO_SECONDS = DateTimeFormatter.ISO_INSTANT;

    private static final class Seller {
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

    private record Token(String sellerId, Instant expiresAt) {
    }

    private record PendingQuantity(Instant applyAt, int quantity) {
    }

    private static final class Listing {
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

    private static final class Item {
        String orderItemId;
        String sku;
        String asin;
        String title;
        int ordered;
        int shipped;
        BigDecimal price;
    }

    private static final class Order {
        String id;
        String sellerId;
        Instant purchaseDate;
        Instant lastUpdate;
        OrderStatus status;
        boolean deducted;
        final List<Item> items = new ArrayList<>();
    }

    private record Page(String sellerId, List<String> remaining, int pageSize, String boundName, String boundValue) {
    }

    private final ObjectMapper mapper = new ObjectMapper()
            .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
            .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private final int requestedPort;
    private final Clock clock;
    private final Object lock = new Object();
    private final SecureRandom random = new SecureRandom();

    // all guarded by lock
    private final Map<String, Seller> sellers = new LinkedHashMap<>();
    private final Map<String, Token> tokens = new HashMap<>();
    private final Map<String, Listing> listings = new LinkedHashMap<>();     // sellerId \0 sku
    private final Map<String, Order> orders = new LinkedHashMap<>();
    private final Map<String, Page> pages = new HashMap<>();
    private final Map<String, RateLimit> limits = new HashMap<>();
    private final Map<String, TokenBucket> buckets = new HashMap<>();       // sellerId \0 op
    private final Map<String, long[]> stats = new TreeMap<>();               // op -> {calls, throttled}
    private final List<PatchRecord> patches = new ArrayList<>();
    private Duration tokenLifetime = Duration.ofHours(1);
    private Duration beforeMinAge = Duration.ofMinutes(2);
    private Duration processingDelay = Duration.ofMillis(250);
    private boolean deductOnPending = true;
    private Instant outageUntil;
    private int outageStatus;
    private Instant stormUntil;

    private final AtomicLong itemIds = new AtomicLong(10_000_000_000_000L);
    private LoopbackHttpServer http;

    /** A simulator on a free port with the system clock. */
    public AmazonSimulator() {
        this(0, Clock.systemUTC());
    }

    /** A simulator on the given port (0 = a free port) with the system clock. */
    public AmazonSimulator(int port) {
        this(port, Clock.systemUTC());
    }

    /**
     * A simulator on the given port (0 = a free port) that takes all its time (token expiry, the 2-minute rule,
     * processing delay, rate limits, fault windows, order dates) from {@code clock}. It starts with one seller,
     * {@link #DEFAULT_SELLER_ID}, whose app credentials are the {@code DEFAULT_*} constants.
     */
    public AmazonSimulator(int port, Clock clock) {
        this.requestedPort = port;
        this.clock = clock;
        limits.put(GET_ORDERS, new RateLimit(0.0167, 20));
        limits.put(GET_ORDER_ITEMS, new RateLimit(0.5, 30));
        limits.put(PATCH_LISTINGS_ITEM, new RateLimit(5, 5));
        limits.put(GET_LISTINGS_ITEM, new RateLimit(5, 10));
        limits.put(SEARCH_LISTINGS_ITEMS, new RateLimit(5, 5));
        addSeller(DEFAULT_SELLER_ID, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_REFRESH_TOKEN);
    }

    // ------------------------------------------------------------------ lifecycle

    public synchronized AmazonSimulator start() {
        if (http != null) {
            return this;
        }
        http = LoopbackHttpServer.start("amazon-sim", requestedPort, 
                java.util.Map.of("/", this::handle, "/_sandbox/amazon/", this::control));
        return this;
    }

    public synchronized void stop() {
        if (http != null) {
            http.stop();
            http = null;
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

    /** {@code http://127.0.0.1:<port>}: use it for both the LWA and the SP-API endpoint. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    // ------------------------------------------------------------------ settings

    /** Registers another seller (an authorisation of the same or another app). */
    public AmazonSimulator addSeller(String sellerId, String clientId, String clientSecret, String refreshToken) {
        synchronized (lock) {
            sellers.put(sellerId, new Seller(sellerId, clientId, clientSecret, refreshToken));
        }
        return this;
    }

    /** Lifetime of LWA access tokens (default 1 hour, Amazon's {@code expires_in: 3600}). */
    public AmazonSimulator tokenLifetime(Duration d) {
        synchronized (lock) {
            tokenLifetime = d;
        }
        return this;
    }

    /** How far in the past {@code CreatedBefore}/{@code LastUpdatedBefore} must be (default 2 minutes). */
    public AmazonSimulator beforeMinAge(Duration d) {
        synchronized (lock) {
            beforeMinAge = d;
        }
        return this;
    }

    /** Time between an ACCEPTED patch and its quantity showing (default 250 ms; Amazon's real delay varies). */
    public AmazonSimulator processingDelay(Duration d) {
        synchronized (lock) {
            processingDelay = d;
        }
        return this;
    }

    /**
     * Whether a {@code Pending} order already lowers the listing quantity (default true). Amazon's treatment of
     * Pending MFN orders is unconfirmed; with false the quantity drops when the order leaves Pending.
     */
    public AmazonSimulator deductOnPending(boolean b) {
        synchronized (lock) {
            deductOnPending = b;
        }
        return this;
    }

    /**
     * Rate limit of one operation ({@link #GET_ORDERS} 0.0167/20, {@link #GET_ORDER_ITEMS} 0.5/30,
     * {@link #PATCH_LISTINGS_ITEM} 5/5, {@link #GET_LISTINGS_ITEM} 5/10 by default). Buckets start full again.
     */
    public AmazonSimulator rateLimit(String operation, double ratePerSecond, int burst) {
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

    // ------------------------------------------------------------------ merchant side: listings

    /** Creates (or replaces) a listing of the default seller at 10.00 USD. */
    public AmazonSimulator createListing(String sku, int quantity) {
        return createListing(DEFAULT_SELLER_ID, sku, quantity, new BigDecimal("10.00"));
    }

    /** Creates (or replaces) a listing. */
    public AmazonSimulator createListing(String sellerId, String sku, int quantity, BigDecimal price) {
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
        return this;
    }

    /** Sets the quantity by hand (as in Seller Central), dropping any patch still being processed. */
    public void setQuantity(String sku, int quantity) {
        setQuantity(DEFAULT_SELLER_ID, sku, quantity);
    }

    public void setQuantity(String sellerId, String sku, int quantity) {
        synchronized (lock) {
            Listing l = requireListing(sellerId, sku);
            l.pending.clear();
            l.quantity = quantity;
            l.updated = now();
        }
    }

    /** The quantity buyers see now (accepted patches whose processing delay has passed are applied). */
    public int quantity(String sku) {
        return quantity(DEFAULT_SELLER_ID, sku);
    }

    public int quantity(String sellerId, String sku) {
        synchronized (lock) {
            Listing l = requireListing(sellerId, sku);
            settle(l);
            return l.quantity;
        }
    }

    public boolean hasListing(String sellerId, String sku) {
        synchronized (lock) {
            return listings.containsKey(key(sellerId, sku));
        }
    }

    // ------------------------------------------------------------------ merchant side: orders

    /** A buyer places a {@code Pending} order with the default seller. */
    public String placeOrder(List<Line> lines) {
        return placeOrder(DEFAULT_SELLER_ID, lines, OrderStatus.Pending);
    }

    public String placeOrder(List<Line> lines, OrderStatus status) {
        return placeOrder(DEFAULT_SELLER_ID, lines, status);
    }

    /**
     * A buyer places an order. It lowers the listings' quantities (see {@link #deductOnPending(boolean)}).
     *
     * @throws IllegalArgumentException for an unknown SKU or a non-positive quantity
     * @throws IllegalStateException    if a listing has too little quantity (Amazon would not sell it)
     */
    public String placeOrder(String sellerId, List<Line> lines, OrderStatus status) {
        if (lines == null || lines.isEmpty()) {
            throw new IllegalArgumentException("an order needs at least one line");
        }
        if (status != OrderStatus.Pending && status != OrderStatus.Unshipped) {
            throw new IllegalArgumentException("an order starts Pending or Unshipped");
        }
        synchronized (lock) {
            requireSeller(sellerId);
            Map<String, Integer> wanted = new LinkedHashMap<>();
            for (Line line : lines) {
                if (line.quantity() <= 0) {
                    throw new IllegalArgumentException("quantity must be > 0: " + line);
                }
                requireListing(sellerId, line.sku());
                wanted.merge(line.sku(), line.quantity(), Integer::sum);
            }
            boolean deduct = deductOnPending || status != OrderStatus.Pending;
            if (deduct) {
                checkAvailable(sellerId, wanted);
            }
            Order o = new Order();
            do {
                o.id = digits(3) + "-" + digits(7) + "-" + digits(7);
            } while (orders.containsKey(o.id));
            o.sellerId = sellerId;
            o.purchaseDate = now();
            o.lastUpdate = o.purchaseDate;
            o.status = status;
            for (Line line : lines) {
                Listing l = listings.get(key(sellerId, line.sku()));
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
            orders.put(o.id, o);
            return o.id;
        }
    }

    /**
     * Moves an order on: Pending to Unshipped, to Shipped or to Canceled; Unshipped to Shipped or Canceled.
     * Canceled gives the quantity back. Each change moves {@code LastUpdateDate}.
     */
    public void setStatus(String amazonOrderId, OrderStatus status) {
        synchronized (lock) {
            Order o = orders.get(amazonOrderId);
            if (o == null) {
                throw new IllegalArgumentException("no order " + amazonOrderId);
            }
            if (o.status == status) {
                return;
            }
            if (o.status == OrderStatus.Shipped || o.status == OrderStatus.Canceled || status == OrderStatus.Pending) {
                throw new IllegalStateException("cannot move order " + amazonOrderId + " from " + o.status + " to " + status);
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
            o.lastUpdate = now();
        }
    }

    public OrderView order(String amazonOrderId) {
        synchronized (lock) {
            Order o = orders.get(amazonOrderId);
            return o == null ? null : view(o);
        }
    }

    public List<OrderView> orders() {
        synchronized (lock) {
            return orders.values().stream().map(this::view).toList();
        }
    }

    // ------------------------------------------------------------------ faults and stats

    /** Every SP-API call (not LWA, not {@code /_sandbox}) is answered {@code status} for {@code d}. */
    public void failFor(Duration d, int status) {
        synchronized (lock) {
            outageUntil = now().plus(d);
            outageStatus = status;
        }
    }

    /** Every SP-API call is answered 429 {@code QuotaExceeded} for {@code d}. */
    public void throttleStorm(Duration d) {
        synchronized (lock) {
            stormUntil = now().plus(d);
        }
    }

    /** Every access token handed out so far stops working (revoked, or expired early): the next call gets 403. */
    public void expireTokens() {
        synchronized (lock) {
            tokens.clear();
        }
    }

    /** Ends outages and throttle storms now. */
    public void recover() {
        synchronized (lock) {
            outageUntil = null;
            stormUntil = null;
        }
    }

    /** Calls and 429s per operation (also {@code lwaToken}). */
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

    /** Every patch request received, oldest first. */
    public List<PatchRecord> patches() {
        synchronized (lock) {
            return List.copyOf(patches);
        }
    }

    /** Forgets listings, orders, tokens, stats, patches, faults and buckets; keeps sellers and settings. */
    public void reset() {
        synchronized (lock) {
            listings.clear();
            orders.clear();
            tokens.clear();
            pages.clear();
            buckets.clear();
            stats.clear();
            patches.clear();
            outageUntil = null;
            stormUntil = null;
        }
    }

    // ------------------------------------------------------------------ HTTP: API

    private record Reply(int status, Object body, Map<String, String> headers) {
        Reply(int status, Object body) {
            this(status, body, Map.of());
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Reply reply;
            try {
                reply = dispatch(ex, body);
            } catch (RuntimeException e) {
                reply = new Reply(500, errors("InternalFailure", "We encountered an internal error. Please try again.", ""));
            }
            Map<String, String> headers = new LinkedHashMap<>(reply.headers());
            headers.put("x-amzn-RequestId", UUID.randomUUID().toString());
            send(ex, reply.status(), reply.body(), headers);
        }
    }

    private Reply dispatch(HttpExchange ex, String body) throws IOException {
        String method = ex.getRequestMethod();
        String rawPath = ex.getRequestURI().getRawPath();
        Map<String, String> q = query(ex.getRequestURI().getRawQuery());
        if (rawPath.equals("/auth/o2/token")) {
            count("lwaToken", false);
            if (!"POST".equals(method)) {
                return new Reply(405, Map.of("error", "invalid_request", "error_description", "POST required"));
            }
            return lwa(query(body));
        }
        String[] seg = segments(rawPath);
        String op;
        if (seg.length == 3 && seg[0].equals("orders") && seg[1].equals("v0") && seg[2].equals("orders") && method.equals("GET")) {
            op = GET_ORDERS;
        } else if (seg.length == 5 && seg[0].equals("orders") && seg[1].equals("v0") && seg[2].equals("orders")
                && seg[4].equals("orderItems") && method.equals("GET")) {
            op = GET_ORDER_ITEMS;
        } else if (seg.length == 5 && seg[0].equals("listings") && seg[1].equals("2021-08-01") && seg[2].equals("items")
                && (method.equals("GET") || method.equals("PATCH"))) {
            op = method.equals("GET") ? GET_LISTINGS_ITEM : PATCH_LISTINGS_ITEM;
        } else if (seg.length == 4 && seg[0].equals("listings") && seg[1].equals("2021-08-01") && seg[2].equals("items")
                && method.equals("GET")) {
            op = SEARCH_LISTINGS_ITEMS;
        } else {
            return new Reply(404, errors("NotFound", "Resource not found: " + method + " " + rawPath, ""));
        }
        String sellerId;
        Map<String, String> rateHeader;
        synchronized (lock) {
            Instant now = now();
            count(op, false);
            if (outageUntil != null && now.isBefore(outageUntil)) {
                int s = outageStatus;
                String code = s == 503 ? "ServiceUnavailable" : s >= 500 ? "InternalFailure" : s == 429 ? "QuotaExceeded" : "SimulatedFault";
                if (s == 429) {
                    count(op, true);
                }
                return new Reply(s, errors(code, "Simulated outage (HTTP " + s + ").", ""));
            }
            Token t = tokens.get(ex.getRequestHeaders().getFirst("x-amz-access-token"));
            if (t == null || !now.isBefore(t.expiresAt())) {
                return new Reply(403, errors("Unauthorized", "Access to requested resource is denied.", ""));
            }
            sellerId = t.sellerId();
            RateLimit limit = limits.get(op);
            rateHeader = Map.of("x-amzn-RateLimit-Limit", formatRate(limit.ratePerSecond()));
            boolean storm = stormUntil != null && now.isBefore(stormUntil);
            TokenBucket bucket = buckets.computeIfAbsent(key(sellerId, op),
                    k -> new TokenBucket(limit.ratePerSecond(), limit.burst(), now));
            if (storm || !bucket.tryTake(now)) {
                count(op, true);
                return new Reply(429, errors("QuotaExceeded", "You exceeded your quota for the requested resource.", ""),
                        rateHeader);
            }
        }
        Reply r = switch (op) {
            case GET_ORDERS -> getOrders(sellerId, q);
            case GET_ORDER_ITEMS -> getOrderItems(sellerId, decode(seg[3]));
            case GET_LISTINGS_ITEM -> getListingsItem(sellerId, decode(seg[3]), decode(seg[4]), q);
            case SEARCH_LISTINGS_ITEMS -> searchListingsItems(sellerId, decode(seg[3]), q);
            default -> patchListingsItem(sellerId, decode(seg[3]), decode(seg[4]), q, body);
        };
        Map<String, String> h = new LinkedHashMap<>(r.headers());
        h.putAll(rateHeader);
        return new Reply(r.status(), r.body(), h);
    }

    private Reply lwa(Map<String, String> form) {
        String grant = form.get("grant_type");
        if (grant == null || form.get("client_id") == null || form.get("client_secret") == null) {
            return new Reply(400, Map.of("error", "invalid_request",
                    "error_description", "The request is missing a required parameter : "
                            + (grant == null ? "grant_type" : form.get("client_id") == null ? "client_id" : "client_secret")));
        }
        if (!grant.equals("refresh_token")) {
            return new Reply(400, Map.of("error", "unsupported_grant_type",
                    "error_description", "The authorization grant type is not supported by the authorization server"));
        }
        synchronized (lock) {
            boolean clientKnown = sellers.values().stream().anyMatch(s ->
                    s.clientId.equals(form.get("client_id")) && s.clientSecret.equals(form.get("client_secret")));
            if (!clientKnown) {
                return new Reply(401, Map.of("error", "invalid_client", "error_description", "Client authentication failed"));
            }
            Seller seller = sellers.values().stream()
                    .filter(s -> s.refreshToken.equals(form.get("refresh_token")) && s.clientId.equals(form.get("client_id")))
                    .findFirst().orElse(null);
            if (seller == null) {
                return new Reply(400, Map.of("error", "invalid_grant",
                        "error_description", "The request has an invalid grant parameter : refresh_token"));
            }
            String access = "Atza|" + randomAlnum(48);
            tokens.put(access, new Token(seller.sellerId, now().plus(tokenLifetime)));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("access_token", access);
            out.put("refresh_token", seller.refreshToken);
            out.put("token_type", "bearer");
            out.put("expires_in", tokenLifetime.toSeconds());
            return new Reply(200, out);
        }
    }

    private Reply getOrders(String sellerId, Map<String, String> q) {
        synchronized (lock) {
            Instant now = now();
            if (blank(q.get("MarketplaceIds"))) {
                return invalid("MarketplaceIds is required.");
            }
            Page page;
            String next = q.get("NextToken");
            if (next != null) {
                page = pages.get(next);
                if (page == null || !page.sellerId().equals(sellerId)) {
                    return invalid("Invalid NextToken.");
                }
            } else {
                boolean created = q.containsKey("CreatedAfter") || q.containsKey("CreatedBefore");
                boolean updated = q.containsKey("LastUpdatedAfter") || q.containsKey("LastUpdatedBefore");
                if (created && updated) {
                    return invalid("CreatedAfter/CreatedBefore cannot be combined with LastUpdatedAfter/LastUpdatedBefore.");
                }
                if (!q.containsKey("CreatedAfter") && !q.containsKey("LastUpdatedAfter")
                        && blank(q.get("AmazonOrderIds"))) {
                    return invalid("Exactly one of CreatedAfter and LastUpdatedAfter is required.");
                }
                String afterName = created ? "CreatedAfter" : "LastUpdatedAfter";
                String beforeName = created ? "CreatedBefore" : "LastUpdatedBefore";
                Instant after;
                Instant before;
                try {
                    after = q.containsKey(afterName) ? parseDate(q.get(afterName)) : Instant.EPOCH;
                    before = q.containsKey(beforeName) ? parseDate(q.get(beforeName)) : null;
                } catch (DateTimeParseException e) {
                    return invalid("Invalid date: " + e.getParsedString() + ". Use ISO 8601.");
                }
                if (before != null && before.isAfter(now.minus(beforeMinAge))) {
                    return invalid(beforeName + " must be no later than " + beforeMinAge.toMinutes()
                            + " minutes before the time the request was submitted.");
                }
                if (before != null && !before.isAfter(after)) {
                    return invalid(beforeName + " must be after " + afterName + ".");
                }
                if (after.isAfter(now)) {
                    return invalid(afterName + " must not be in the future.");
                }
                int max = 100;
                if (q.containsKey("MaxResultsPerPage")) {
                    try {
                        max = Integer.parseInt(q.get("MaxResultsPerPage"));
                    } catch (NumberFormatException e) {
                        max = -1;
                    }
                    if (max < 1 || max > 100) {
                        return invalid("MaxResultsPerPage must be between 1 and 100.");
                    }
                }
                Set<String> markets = csv(q.get("MarketplaceIds"));
                Set<String> statuses = csv(q.get("OrderStatuses"));
                for (String s : statuses) {
                    if (!KNOWN_STATUSES.contains(s)) {
                        return invalid("Invalid OrderStatuses value: " + s + ".");
                    }
                }
                Set<String> channels = csv(q.get("FulfillmentChannels"));
                Set<String> ids = csv(q.get("AmazonOrderIds"));
                Instant upper = before == null ? now : before;
                List<String> matching = orders.values().stream()
                        .filter(o -> o.sellerId.equals(sellerId))
                        .filter(o -> markets.contains(US_MARKETPLACE))
                        .filter(o -> statuses.isEmpty() || statuses.contains(o.status.name()))
                        .filter(o -> channels.isEmpty() || channels.contains("MFN"))
                        .filter(o -> ids.isEmpty() || ids.contains(o.id))
                        .filter(o -> {
                            Instant t = created ? o.purchaseDate : o.lastUpdate;
                            return !t.isBefore(after) && !t.isAfter(upper);
                        })
                        .sorted(Comparator.comparing((Order o) -> created ? o.purchaseDate : o.lastUpdate)
                                .thenComparing(o -> o.id))
                        .map(o -> o.id)
                        .toList();
                page = new Page(sellerId, matching, max, beforeName, format(upper));
            }
            List<String> slice = page.remaining().subList(0, Math.min(page.pageSize(), page.remaining().size()));
            List<String> rest = page.remaining().subList(slice.size(), page.remaining().size());
            ArrayNode list = mapper.createArrayNode();
            for (String id : slice) {
                Order o = orders.get(id);
                if (o != null) {
                    list.add(orderJson(o));
                }
            }
            ObjectNode payload = mapper.createObjectNode();
            payload.set("Orders", list);
            if (!rest.isEmpty()) {
                String token = randomAlnum(40) + "==";
                pages.put(token, new Page(sellerId, List.copyOf(rest), page.pageSize(), page.boundName(), page.boundValue()));
                payload.put("NextToken", token);
            }
            payload.put(page.boundName(), page.boundValue());
            ObjectNode root = mapper.createObjectNode();
            root.set("payload", payload);
            return new Reply(200, root);
        }
    }

    private Reply getOrderItems(String sellerId, String orderId) {
        synchronized (lock) {
            Order o = orders.get(orderId);
            if (o == null || !o.sellerId.equals(sellerId)) {
                return new Reply(404, errors("NotFound", "Order " + orderId + " not found.", ""));
            }
            // payload{AmazonOrderId, OrderItems[], NextToken?} with OrderItem fields as in ordersV0.json
            // (definitions.OrderItemsList and OrderItem; IsGift is a string there, as in the model's example).
            ArrayNode items = mapper.createArrayNode();
            for (Item i : o.items) {
                ObjectNode n = items.addObject();
                n.put("ASIN", i.asin);
                n.put("SellerSKU", i.sku);
                n.put("OrderItemId", i.orderItemId);
                n.put("Title", i.title);
                n.put("QuantityOrdered", i.ordered);
                n.put("QuantityShipped", i.shipped);
                n.set("ItemPrice", money(i.price));
                n.put("IsGift", "false");
            }
            ObjectNode payload = mapper.createObjectNode();
            payload.set("OrderItems", items);
            payload.put("AmazonOrderId", o.id);
            ObjectNode root = mapper.createObjectNode();
            root.set("payload", payload);
            return new Reply(200, root);
        }
    }

    private Reply getListingsItem(String tokenSeller, String sellerId, String sku, Map<String, String> q) {
        if (!tokenSeller.equals(sellerId)) {
            return new Reply(403, errors("Unauthorized", "Access to requested resource is denied.", ""));
        }
        if (blank(q.get("marketplaceIds"))) {
            return invalid("marketplaceIds is required.");
        }
        Set<String> included = q.containsKey("includedData") ? csv(q.get("includedData")) : Set.of("summaries");
        Reply badIncludedData = checkIncludedData(included, READ_INCLUDED_DATA);
        if (badIncludedData != null) {
            return badIncludedData;
        }
        synchronized (lock) {
            Listing l = listings.get(key(sellerId, sku));
            if (l == null) {
                return new Reply(404, errors("NOT_FOUND", "SKU '" + sku + "' not found in marketplace " + US_MARKETPLACE, ""));
            }
            return new Reply(200, listingJson(l, included));
        }
    }

    /**
     * {@code searchListingsItems} (Listings Items 2021-08-01, GET {@code /listings/2021-08-01/items/{sellerId}}): the
     * seller's listings by SKU, {@code pageSize} 1..20 (default 10) with {@code pagination.nextToken}; Amazon pages
     * through at most 1,000 items, which this simulator does not enforce. Filters other than the page are ignored.
     */
    private Reply searchListingsItems(String tokenSeller, String sellerId, Map<String, String> q) {
        if (!tokenSeller.equals(sellerId)) {
            return new Reply(403, errors("Unauthorized", "Access to requested resource is denied.", ""));
        }
        if (blank(q.get("marketplaceIds"))) {
            return invalid("marketplaceIds is required.");
        }
        int size = 10;
        if (q.containsKey("pageSize")) {
            try {
                size = Integer.parseInt(q.get("pageSize"));
            } catch (NumberFormatException e) {
                size = -1;
            }
            if (size < 1 || size > 20) {
                return invalid("pageSize must be between 1 and 20.");
            }
        }
        int from = 0;
        if (q.containsKey("pageToken")) {
            try {
                from = Integer.parseInt(new String(java.util.Base64.getDecoder().decode(q.get("pageToken")),
                        StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                return invalid("Invalid pageToken.");
            }
        }
        Set<String> included = q.containsKey("includedData") ? csv(q.get("includedData")) : Set.of("summaries");
        Reply badIncludedData = checkIncludedData(included, READ_INCLUDED_DATA);
        if (badIncludedData != null) {
            return badIncludedData;
        }
        synchronized (lock) {
            List<Listing> mine = listings.values().stream().filter(l -> l.sellerId.equals(sellerId))
                    .sorted(Comparator.comparing((Listing l) -> l.sku)).toList();
            ObjectNode root = mapper.createObjectNode();
            root.put("numberOfResults", mine.size());
            ArrayNode items = root.putArray("items");
            int to = Math.min(mine.size(), from + size);
            for (int i = from; i < to; i++) {
                items.add(listingJson(mine.get(i), included));
            }
            ObjectNode pagination = root.putObject("pagination");
            if (to < mine.size()) {
                pagination.put("nextToken", java.util.Base64.getEncoder().encodeToString(
                        String.valueOf(to).getBytes(StandardCharsets.UTF_8)));
            }
            if (from > 0) {
                pagination.put("previousToken", java.util.Base64.getEncoder().encodeToString(
                        String.valueOf(Math.max(0, from - size)).getBytes(StandardCharsets.UTF_8)));
            }
            return new Reply(200, root);
        }
    }

    /** One listing as getListingsItem / searchListingsItems describe it. Caller holds the lock. */
    private ObjectNode listingJson(Listing l, Set<String> included) {
        settle(l);
        ObjectNode root = mapper.createObjectNode();
        root.put("sku", l.sku);
        if (included.contains("summaries")) {
            ObjectNode s = root.putArray("summaries").addObject();
            s.put("marketplaceId", US_MARKETPLACE);
            s.put("asin", l.asin);
            s.put("productType", l.productType);
            s.put("conditionType", "new_new");
            s.putArray("status").add("BUYABLE");
            s.put("itemName", l.title);
            s.put("createdDate", format(l.created));
            s.put("lastUpdatedDate", format(l.updated));
        }
        if (included.contains("attributes")) {
            ObjectNode a = root.putObject("attributes");
            l.attributes.forEach(a::set);
            ObjectNode fa = a.putArray("fulfillment_availability").addObject();
            fa.put("fulfillment_channel_code", "DEFAULT");
            fa.put("quantity", l.quantity);
        }
        if (included.contains("issues")) {
            root.putArray("issues");
        }
        if (included.contains("offers")) {
            ObjectNode o = root.putArray("offers").addObject();
            o.put("marketplaceId", US_MARKETPLACE);
            o.put("offerType", "B2C");
            ObjectNode p = o.putObject("price");
            p.put("currencyCode", "USD");
            p.put("amount", l.price.toPlainString());
        }
        if (included.contains("fulfillmentAvailability")) {
            ObjectNode fa = root.putArray("fulfillmentAvailability").addObject();
            fa.put("fulfillmentChannelCode", "DEFAULT");
            fa.put("quantity", l.quantity);
        }
        if (included.contains("relationships")) {
            // ItemRelationshipsByMarketplace {marketplaceId, relationships (required)}: a listing without variations.
            ObjectNode r = root.putArray("relationships").addObject();
            r.put("marketplaceId", US_MARKETPLACE);
            r.putArray("relationships");
        }
        if (included.contains("productTypes")) {
            // ItemProductTypeByMarketplace {marketplaceId, productType} (both required).
            ObjectNode t = root.putArray("productTypes").addObject();
            t.put("marketplaceId", US_MARKETPLACE);
            t.put("productType", l.productType);
        }
        // procurement is vendor (1P) data: a seller's listing has none, so it is left out.
        return root;
    }

    private Reply patchListingsItem(String tokenSeller, String sellerId, String sku, Map<String, String> q, String body) {
        Reply r = patchOutcome(tokenSeller, sellerId, sku, q, body);
        synchronized (lock) {
            String status = r.body() instanceof ObjectNode n && n.has("status") ? n.get("status").asText() : null;
            Integer qty = r.headers().containsKey("_qty") ? Integer.valueOf(r.headers().get("_qty")) : null;
            patches.add(new PatchRecord(now(), sellerId, sku, body, r.status(), status, qty));
        }
        return new Reply(r.status(), r.body());
    }

    private Reply patchOutcome(String tokenSeller, String sellerId, String sku, Map<String, String> q, String body) {
        if (!tokenSeller.equals(sellerId)) {
            return new Reply(403, errors("Unauthorized", "Access to requested resource is denied.", ""));
        }
        if (blank(q.get("marketplaceIds"))) {
            return invalid("marketplaceIds is required.");
        }
        Set<String> included = q.containsKey("includedData") ? csv(q.get("includedData")) : Set.of("issues");
        Reply badIncludedData = checkIncludedData(included, PATCH_INCLUDED_DATA);
        if (badIncludedData != null) {
            return badIncludedData;
        }
        if (included.contains("identifiers") && !"VALIDATION_PREVIEW".equals(q.get("mode"))) {
            return invalid("includedData 'identifiers' can only be requested when mode is VALIDATION_PREVIEW.");
        }
        JsonNode req;
        try {
            req = mapper.readTree(body);
        } catch (IOException e) {
            return invalid("Request body is not valid JSON.");
        }
        if (req == null || !req.isObject() || blank(text(req, "productType"))) {
            return invalid("productType is required.");
        }
        JsonNode ops = req.get("patches");
        if (ops == null || !ops.isArray() || ops.isEmpty()) {
            return invalid("patches must contain at least one patch operation.");
        }
        List<ObjectNode> issues = new ArrayList<>();
        Integer newQty = null;
        Map<String, JsonNode> otherAttributes = new LinkedHashMap<>();
        for (JsonNode p : ops) {
            String op = text(p, "op");
            String path = text(p, "path");
            if (op == null || !Set.of("add", "replace", "merge", "delete").contains(op)) {
                issues.add(issue("4000001", "Unsupported patch operation '" + op + "'.", null, INVALID_ATTRIBUTE));
                continue;
            }
            if (path == null || !path.startsWith("/attributes/") || path.substring(12).isEmpty()
                    || path.substring(12).contains("/")) {
                issues.add(issue("4000001", "Patch path must be a top-level attribute: '" + path + "'.", null,
                        INVALID_ATTRIBUTE));
                continue;
            }
            String attr = path.substring(12);
            JsonNode value = p.get("value");
            if (!op.equals("delete") && (value == null || !value.isArray() || value.isEmpty())) {
                issues.add(issue("4000001", "Patch value must be a non-empty array.", attr, INVALID_ATTRIBUTE));
                continue;
            }
            if (!attr.equals("fulfillment_availability")) {
                otherAttributes.put(attr, op.equals("delete") ? null : value);
                continue;
            }
            if (op.equals("delete")) {
                issues.add(issue("4000001", "fulfillment_availability cannot be deleted in this simulator.", attr,
                        INVALID_ATTRIBUTE));
                continue;
            }
            for (JsonNode v : value) {
                String channel = text(v, "fulfillment_channel_code");
                JsonNode quantity = v.get("quantity");
                if (blank(channel)) {
                    issues.add(issue("90220", "'fulfillment_channel_code' is required but not supplied.", attr,
                            MISSING_ATTRIBUTE));
                } else if (!channel.equals("DEFAULT")) {
                    issues.add(issue("90220", "Fulfillment channel '" + channel
                            + "' is controlled by Amazon and cannot be set here.", attr, INVALID_ATTRIBUTE));
                } else if (quantity == null || !quantity.canConvertToInt() || !quantity.isIntegralNumber()
                        || quantity.intValue() < 0) {
                    issues.add(issue("90220", "'quantity' must be a whole number of at least 0.", attr,
                            INVALID_ATTRIBUTE));
                } else {
                    newQty = quantity.intValue();
                }
            }
        }
        synchronized (lock) {
            Listing l = listings.get(key(sellerId, sku));
            if (l == null) {
                issues.add(issue("NOT_FOUND", "SKU '" + sku + "' not found in marketplace " + US_MARKETPLACE + ".", null,
                        null));
            }
            ObjectNode out = mapper.createObjectNode();
            out.put("sku", sku);
            boolean preview = "VALIDATION_PREVIEW".equals(q.get("mode"));
            out.put("status", !issues.isEmpty() ? "INVALID" : preview ? "VALID" : "ACCEPTED");
            out.put("submissionId", UUID.randomUUID().toString().replace("-", ""));
            ArrayNode is = out.putArray("issues");
            issues.forEach(is::add);
            if (!issues.isEmpty() || preview) {
                return new Reply(200, out);
            }
            settle(l);
            if (newQty != null) {
                l.pending.add(new PendingQuantity(now().plus(processingDelay), newQty));
                settle(l);
            }
            otherAttributes.forEach((k, v) -> {
                if (v == null) {
                    l.attributes.remove(k);
                } else {
                    l.attributes.put(k, v);
                }
            });
            l.productType = text(req, "productType");
            return new Reply(200, out, newQty == null ? Map.of() : Map.of("_qty", newQty.toString()));
        }
    }

    // ------------------------------------------------------------------ HTTP: merchant controls

    /**
     * Merchant-side controls for curl users (JSON in, JSON out; {@code sellerId} defaults to
     * {@link #DEFAULT_SELLER_ID}):
     * <ul>
     *   <li>{@code POST /_sandbox/amazon/listings} {@code {"sellerId"?, "sku", "quantity", "price"?}}</li>
     *   <li>{@code GET /_sandbox/amazon/listings/{sku}?sellerId=} and {@code PUT} the same with {@code {"quantity"}}</li>
     *   <li>{@code POST /_sandbox/amazon/orders} {@code {"sellerId"?, "status"?, "lines":[{"sku","quantity"}]}}</li>
     *   <li>{@code GET /_sandbox/amazon/orders}; {@code POST /_sandbox/amazon/orders/{id}/status} {@code {"status"}}</li>
     *   <li>{@code POST /_sandbox/amazon/outage?status=503&seconds=60}, {@code POST /_sandbox/amazon/throttle-storm?seconds=60},
     *       {@code POST /_sandbox/amazon/recover}, {@code GET /_sandbox/amazon/stats}, {@code GET /_sandbox/amazon/patches}</li>
     * </ul>
     */
    private void control(HttpExchange ex) throws IOException {
        try (ex) {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String method = ex.getRequestMethod();
            String[] seg = segments(ex.getRequestURI().getRawPath());   // _sandbox, amazon, ...
            Map<String, String> q = query(ex.getRequestURI().getRawQuery());
            int status = 200;
            Object answer;
            try {
                JsonNode in = body.isBlank() ? mapper.createObjectNode() : mapper.readTree(body);
                String what = seg.length > 2 ? seg[2] : "";
                String seller = q.getOrDefault("sellerId", in.hasNonNull("sellerId") ? in.get("sellerId").asText() : DEFAULT_SELLER_ID);
                if (what.equals("listings") && seg.length == 3 && method.equals("POST")) {
                    BigDecimal price = in.hasNonNull("price") ? new BigDecimal(in.get("price").asText()) : new BigDecimal("10.00");
                    createListing(seller, in.get("sku").asText(), in.get("quantity").asInt(), price);
                    answer = Map.of("sku", in.get("sku").asText(), "quantity", quantity(seller, in.get("sku").asText()));
                } else if (what.equals("listings") && seg.length == 4 && method.equals("GET")) {
                    answer = Map.of("sku", decode(seg[3]), "quantity", quantity(seller, decode(seg[3])));
                } else if (what.equals("listings") && seg.length == 4 && method.equals("PUT")) {
                    setQuantity(seller, decode(seg[3]), in.get("quantity").asInt());
                    answer = Map.of("sku", decode(seg[3]), "quantity", quantity(seller, decode(seg[3])));
                } else if (what.equals("orders") && seg.length == 3 && method.equals("POST")) {
                    List<Line> lines = new ArrayList<>();
                    in.get("lines").forEach(l -> lines.add(new Line(l.get("sku").asText(), l.get("quantity").asInt())));
                    OrderStatus st = in.hasNonNull("status") ? OrderStatus.valueOf(in.get("status").asText()) : OrderStatus.Pending;
                    answer = order(placeOrder(seller, lines, st));
                } else if (what.equals("orders") && seg.length == 3 && method.equals("GET")) {
                    answer = orders();
                } else if (what.equals("orders") && seg.length == 5 && seg[4].equals("status") && method.equals("POST")) {
                    setStatus(decode(seg[3]), OrderStatus.valueOf(in.get("status").asText()));
                    answer = order(decode(seg[3]));
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
                } else if (what.equals("patches") && method.equals("GET")) {
                    answer = patches();
                } else {
                    status = 404;
                    answer = Map.of("error", "unknown sandbox control " + method + " " + ex.getRequestURI().getPath());
                }
            } catch (IllegalArgumentException | IllegalStateException | NullPointerException e) {
                status = 400;
                answer = Map.of("error", String.valueOf(e.getMessage()));
            }
            send(ex, status, answer, Map.of());
        }
    }

    // ------------------------------------------------------------------ helpers

    private void send(HttpExchange ex, int status, Object body, Map<String, String> headers) throws IOException {
        byte[] bytes = mapper.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        try {
            ex.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            // client went away
        }
    }

    /**
     * An {@code Order} of getOrders, fields and types as in ordersV0.json (amzn/selling-partner-api-models at
     * 34dc93fe, definitions.Order; required: AmazonOrderId, PurchaseDate, LastUpdateDate, OrderStatus). Checked field
     * by field against that file for this version; the model's own example is its getOrders TEST_CASE_200 sandbox
     * response (src/test/resources/amazon/get-orders.json).
     */
    private ObjectNode orderJson(Order o) {
        ObjectNode n = mapper.createObjectNode();
        n.put("AmazonOrderId", o.id);
        n.put("PurchaseDate", format(o.purchaseDate));
        n.put("LastUpdateDate", format(o.lastUpdate));
        n.put("OrderStatus", o.status.name());
        n.put("FulfillmentChannel", "MFN");
        n.put("SalesChannel", "Amazon.com");
        n.put("OrderType", "StandardOrder");
        n.put("MarketplaceId", US_MARKETPLACE);
        int shipped = o.items.stream().mapToInt(i -> i.shipped).sum();
        int unshipped = o.status == OrderStatus.Canceled ? 0 : o.items.stream().mapToInt(i -> i.ordered - i.shipped).sum();
        n.put("NumberOfItemsShipped", shipped);
        n.put("NumberOfItemsUnshipped", unshipped);
        if (o.status != OrderStatus.Pending) {
            n.set("OrderTotal", money(o.items.stream().map(i -> i.price).reduce(BigDecimal.ZERO, BigDecimal::add)));
        }
        n.put("IsReplacementOrder", false);
        n.put("IsPrime", false);
        n.put("IsBusinessOrder", false);
        return n;
    }

    private ObjectNode money(BigDecimal amount) {
        ObjectNode m = mapper.createObjectNode();
        m.put("CurrencyCode", "USD");
        m.put("Amount", amount.setScale(2, RoundingMode.HALF_UP).toPlainString());
        return m;
    }

    /**
     * A Listings Items {@code Issue} (listingsItems_2021-08-01.json in amzn/selling-partner-api-models at
     * 34dc93fe, definitions.Issue): {@code code}, {@code message}, {@code severity} (ERROR|WARNING|INFO) and
     * {@code categories} are required; {@code attributeNames} optional. {@code category} is one of the model's listed
     * values ({@code INVALID_ATTRIBUTE}, {@code MISSING_ATTRIBUTE}, ...), or null for an issue none of them describes
     * (an unknown SKU): then {@code categories} is empty. The issue codes themselves are the simulator's, except
     * {@code 90220} ("'size' is required but not supplied.", category MISSING_ATTRIBUTE in the model's getListingsItem
     * sandbox example).
     */
    private ObjectNode issue(String code, String message, String attribute, String category) {
        ObjectNode i = mapper.createObjectNode();
        i.put("code", code);
        i.put("message", message);
        i.put("severity", "ERROR");
        ArrayNode names = i.putArray("attributeNames");
        if (attribute != null) {
            names.add(attribute);
        }
        ArrayNode categories = i.putArray("categories");
        if (category != null) {
            categories.add(category);
        }
        return i;
    }

    /**
     * 400 for an {@code includedData} value outside the operation's enum. The model documents 400 as "Request has
     * missing or invalid parameters and cannot be parsed." with Amazon's {@code ErrorList} body
     * ({@code {"errors":[{code, message, details?}]}}, code and message required); the wording of the message for
     * this case is the simulator's.
     */
    private Reply checkIncludedData(Set<String> included, Set<String> allowed) {
        for (String value : included) {
            if (!allowed.contains(value)) {
                return invalid("Invalid includedData value '" + value + "'. Allowed values: "
                        + String.join(", ", new java.util.TreeSet<>(allowed)) + ".");
            }
        }
        return null;
    }

    private Reply invalid(String message) {
        return new Reply(400, errors("InvalidInput", message, ""));
    }

    private ObjectNode errors(String code, String message, String details) {
        ObjectNode root = mapper.createObjectNode();
        ObjectNode e = root.putArray("errors").addObject();
        e.put("code", code);
        e.put("message", message);
        e.put("details", details);
        return root;
    }

    private OrderView view(Order o) {
        return new OrderView(o.id, o.sellerId, o.status, o.purchaseDate, o.lastUpdate,
                o.items.stream().map(i -> new Line(i.sku, i.ordered)).toList());
    }

    /** Applies accepted patches whose processing time has come. Caller holds the lock. */
    private void settle(Listing l) {
        Instant now = now();
        while (!l.pending.isEmpty() && !l.pending.get(0).applyAt().isAfter(now)) {
            l.quantity = l.pending.remove(0).quantity();
            l.updated = now;
        }
    }

    private void checkAvailable(String sellerId, Map<String, Integer> wanted) {
        wanted.forEach((sku, qty) -> {
            Listing l = listings.get(key(sellerId, sku));
            if (l == null) {
                throw new IllegalArgumentException("no listing " + sku);
            }
            settle(l);
            if (l.quantity < qty) {
                throw new IllegalStateException("listing " + sku + " has only " + l.quantity + ", order wants " + qty);
            }
        });
    }

    /** Lowers (sign -1) or restores (+1) the listings by the order's unshipped quantities. Caller holds the lock. */
    private void adjust(Order o, int sign) {
        for (Item i : o.items) {
            Listing l = listings.get(key(o.sellerId, i.sku));
            if (l != null) {
                settle(l);
                l.quantity = Math.max(0, l.quantity + sign * (i.ordered - i.shipped));
                l.updated = now();
            }
        }
        o.deducted = sign < 0;
    }

    private void count(String op, boolean throttled) {
        synchronized (lock) {
            long[] s = stats.computeIfAbsent(op, k -> new long[2]);
            if (throttled) {
                s[1]++;
            } else {
                s[0]++;
            }
        }
    }

    private Seller requireSeller(String sellerId) {
        Seller s = sellers.get(sellerId);
        if (s == null) {
            throw new IllegalArgumentException("unknown seller " + sellerId);
        }
        return s;
    }

    private Listing requireListing(String sellerId, String sku) {
        Listing l = listings.get(key(sellerId, sku));
        if (l == null) {
            throw new IllegalArgumentException("no listing " + sku + " for seller " + sellerId);
        }
        return l;
    }

    private Instant now() {
        return clock.instant();
    }

    private static String format(Instant t) {
        return ISO_SECONDS.format(t.truncatedTo(ChronoUnit.SECONDS));
    }

    private static String formatRate(double rate) {
        return BigDecimal.valueOf(rate).stripTrailingZeros().toPlainString();
    }

    /** ISO 8601 with or without offset/seconds, or a plain date. */
    static Instant parseDate(String s) {
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return java.time.LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
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
        String chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(chars.charAt(random.nextInt(chars.length())));
        }
        return b.toString();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Set<String> csv(String s) {
        Set<String> out = new HashSet<>();
        if (s != null) {
            Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).forEach(out::add);
        }
        return out;
    }

    private static String[] segments(String rawPath) {
        return Arrays.stream(rawPath.split("/")).filter(x -> !x.isEmpty()).toArray(String[]::new);
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
