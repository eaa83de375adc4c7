package io.tally.sandbox.amazon;

import io.tally.sandbox.LoopbackHttpServer;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

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
 * under {@code /_sandbox/amazon/} (see {@link AmazonSandboxControl}). Plain JDK, no Spring; thread-safe.
 */
public class AmazonSimulator implements AutoCloseable {

    // The public face only: the work is done by AmazonLwa (token endpoint), AmazonOrdersApi, AmazonListingsApi,
    // AmazonListingsPatch, AmazonLimits and AmazonStore (state), routed by AmazonHttpApi. It is a little longer than
    // ~300 lines because it keeps the whole public API the hub's tests and the sandbox use (one-line delegations).

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

    /** Orders v0 statuses the merchant side can set (spelled as Amazon spells them: one L in Canceled). */
    public enum OrderStatus {
        Pending,
        Unshipped,
        Shipped,
        Canceled
    }

    /** One order line: a SKU and a quantity. */
    public record Line(String sku, int quantity) {}

    /** A rate limit: tokens per second and bucket size. */
    public record RateLimit(double ratePerSecond, int burst) {}

    /** Calls received for one operation and how many of them were answered 429. */
    public record OperationStats(long calls, long throttled) {}

    /** One {@code patchListingsItem} request as received, with the outcome. */
    public record PatchRecord(
            Instant at,
            String sellerId,
            String sku,
            String body,
            int httpStatus,
            String submissionStatus,
            Integer quantity) {}

    /** Snapshot of an order. */
    public record OrderView(
            String amazonOrderId,
            String sellerId,
            OrderStatus status,
            Instant purchaseDate,
            Instant lastUpdateDate,
            List<Line> lines) {}

    private final int requestedPort;
    private final AmazonStore store;
    private final AmazonLwa lwa;
    private final AmazonLimits limits;
    private final AmazonOrdersApi ordersApi;
    private final AmazonListingsPatch listingsPatch;
    private final AmazonHttpApi api;
    private final AmazonSandboxControl control;
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
        this.store = new AmazonStore(clock);
        AmazonJson json = new AmazonJson();
        this.lwa = new AmazonLwa(store);
        this.limits = new AmazonLimits(store);
        this.ordersApi = new AmazonOrdersApi(store, json);
        this.listingsPatch = new AmazonListingsPatch(store, json);
        this.api = new AmazonHttpApi(
                store, json, lwa, limits, ordersApi, new AmazonListingsApi(store, json), listingsPatch);
        this.control = new AmazonSandboxControl(this, json);
        addSeller(DEFAULT_SELLER_ID, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_REFRESH_TOKEN);
    }

    // ------------------------------------------------------------------ lifecycle

    public synchronized AmazonSimulator start() {
        if (http != null) {
            return this;
        }
        http = LoopbackHttpServer.start(
                "amazon-sim", requestedPort, java.util.Map.of("/", api::handle, "/_sandbox/amazon/", control::handle));
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
        store.addSeller(sellerId, clientId, clientSecret, refreshToken);
        return this;
    }

    /** Lifetime of LWA access tokens (default 1 hour, Amazon's {@code expires_in: 3600}). */
    public AmazonSimulator tokenLifetime(Duration d) {
        lwa.tokenLifetime(d);
        return this;
    }

    /** How far in the past {@code CreatedBefore}/{@code LastUpdatedBefore} must be (default 2 minutes). */
    public AmazonSimulator beforeMinAge(Duration d) {
        ordersApi.beforeMinAge(d);
        return this;
    }

    /** Time between an ACCEPTED patch and its quantity showing (default 250 ms; Amazon's real delay varies). */
    public AmazonSimulator processingDelay(Duration d) {
        listingsPatch.processingDelay(d);
        return this;
    }

    /**
     * Whether a {@code Pending} order already lowers the listing quantity (default true). Amazon's treatment of
     * Pending MFN orders is unconfirmed; with false the quantity drops when the order leaves Pending.
     */
    public AmazonSimulator deductOnPending(boolean b) {
        store.deductOnPending(b);
        return this;
    }

    /**
     * Rate limit of one operation ({@link #GET_ORDERS} 0.0167/20, {@link #GET_ORDER_ITEMS} 0.5/30,
     * {@link #PATCH_LISTINGS_ITEM} 5/5, {@link #GET_LISTINGS_ITEM} 5/10 by default). Buckets start full again.
     */
    public AmazonSimulator rateLimit(String operation, double ratePerSecond, int burst) {
        limits.rateLimit(operation, ratePerSecond, burst);
        return this;
    }

    public RateLimit rateLimit(String operation) {
        return limits.rateLimit(operation);
    }

    // ------------------------------------------------------------------ merchant side: listings

    /** Creates (or replaces) a listing of the default seller at 10.00 USD. */
    public AmazonSimulator createListing(String sku, int quantity) {
        return createListing(DEFAULT_SELLER_ID, sku, quantity, new BigDecimal("10.00"));
    }

    /** Creates (or replaces) a listing. */
    public AmazonSimulator createListing(String sellerId, String sku, int quantity, BigDecimal price) {
        store.createListing(sellerId, sku, quantity, price);
        return this;
    }

    /** Sets the quantity by hand (as in Seller Central), dropping any patch still being processed. */
    public void setQuantity(String sku, int quantity) {
        setQuantity(DEFAULT_SELLER_ID, sku, quantity);
    }

    public void setQuantity(String sellerId, String sku, int quantity) {
        store.setQuantity(sellerId, sku, quantity);
    }

    /** The quantity buyers see now (accepted patches whose processing delay has passed are applied). */
    public int quantity(String sku) {
        return quantity(DEFAULT_SELLER_ID, sku);
    }

    public int quantity(String sellerId, String sku) {
        return store.quantity(sellerId, sku);
    }

    public boolean hasListing(String sellerId, String sku) {
        return store.hasListing(sellerId, sku);
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
        return store.placeOrder(sellerId, lines, status);
    }

    /**
     * Moves an order on: Pending to Unshipped, to Shipped or to Canceled; Unshipped to Shipped or Canceled.
     * Canceled gives the quantity back. Each change moves {@code LastUpdateDate}.
     */
    public void setStatus(String amazonOrderId, OrderStatus status) {
        store.setStatus(amazonOrderId, status);
    }

    public OrderView order(String amazonOrderId) {
        return store.order(amazonOrderId);
    }

    public List<OrderView> orders() {
        return store.orders();
    }

    // ------------------------------------------------------------------ faults and stats

    /** Every SP-API call (not LWA, not {@code /_sandbox}) is answered {@code status} for {@code d}. */
    public void failFor(Duration d, int status) {
        limits.failFor(d, status);
    }

    /** Every SP-API call is answered 429 {@code QuotaExceeded} for {@code d}. */
    public void throttleStorm(Duration d) {
        limits.throttleStorm(d);
    }

    /** Every access token handed out so far stops working (revoked, or expired early): the next call gets 403. */
    public void expireTokens() {
        lwa.expireTokens();
    }

    /** Ends outages and throttle storms now. */
    public void recover() {
        limits.recover();
    }

    /** Calls and 429s per operation (also {@code lwaToken}). */
    public Map<String, OperationStats> stats() {
        return limits.stats();
    }

    public OperationStats stats(String operation) {
        return limits.stats(operation);
    }

    /** Every patch request received, oldest first. */
    public List<PatchRecord> patches() {
        return listingsPatch.patches();
    }

    /** Forgets listings, orders, tokens, stats, patches, faults and buckets; keeps sellers and settings. */
    public void reset() {
        synchronized (store.lock) {
            store.clear();
            lwa.expireTokens();
            ordersApi.clear();
            limits.clear();
            listingsPatch.clear();
        }
    }
}
