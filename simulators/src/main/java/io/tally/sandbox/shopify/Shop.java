package io.tally.sandbox.shopify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tally.sandbox.shopify.ShopState.IdempotentEntry;
import io.tally.sandbox.shopify.ShopState.LevelState;
import io.tally.sandbox.shopify.ShopState.LocationState;
import io.tally.sandbox.shopify.ShopState.OrderState;
import io.tally.sandbox.shopify.ShopState.ProductState;
import io.tally.sandbox.shopify.ShopState.ReturnState;
import io.tally.sandbox.shopify.ShopState.VariantState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * One simulated Shopify store: catalog, inventory levels per location, orders, refunds and returns, plus
 * everything the Admin GraphQL endpoint needs per shop (token, leaky bucket, idempotency keys, injected
 * faults, call accounting) and its {@link WebhookDispatcher}.
 *
 * <p>The merchant-side methods ({@link #placeOrder}, {@link #refund}, {@link #setAvailable} ...) change
 * state the way the Shopify admin would and fire the webhooks Shopify would fire, with REST-shaped
 * snake_case bodies. All state is guarded by one monitor, so a mutation and its webhooks are atomic
 * with respect to GraphQL reads.
 */
public final class Shop {

    // ------------------------------------------------------------------ public snapshots and specs

    public record Location(long id, String gid, String name, boolean primary) {}

    public record Variant(
            long id,
            String gid,
            long productId,
            long inventoryItemId,
            String inventoryItemGid,
            String title,
            String sku,
            String barcode) {}

    public record Product(long id, String gid, String title, String handle, List<String> tags, List<Variant> variants) {
        /** The variant with this SKU; throws if none. */
        public Variant variant(String sku) {
            return variants.stream()
                    .filter(v -> Objects.equals(v.sku(), sku))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no variant with sku " + sku));
        }
    }

    public record LineItem(long id, long variantId, long productId, String sku, int quantity, int currentQuantity) {}

    public record Order(
            long id,
            String gid,
            String name,
            String financialStatus,
            Instant cancelledAt,
            List<LineItem> lineItems,
            List<Long> refundIds) {
        public LineItem line(String sku) {
            return lineItems.stream()
                    .filter(l -> Objects.equals(l.sku(), sku))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no line with sku " + sku));
        }
    }

    public record RefundLine(long id, long lineItemId, Long locationId, int quantity, String restockType) {}

    public record Refund(long id, String gid, long orderId, Long returnId, List<RefundLine> lines) {}

    public record ReturnLine(long id, long lineItemId, long reverseFulfillmentOrderLineItemId, int quantity) {}

    public record Return(long id, String gid, long orderId, long reverseFulfillmentOrderId, List<ReturnLine> lines) {}

    public record Disposition(
            long id,
            long reverseFulfillmentOrderId,
            long reverseFulfillmentOrderLineItemId,
            long lineItemId,
            long variantId,
            int quantity,
            String type,
            Long locationId) {}

    /** A variant to create: {@code available} is stocked at the primary location (0 elsewhere). */
    public record VariantSpec(String title, String sku, String barcode, long available) {}

    public record LineSpec(long variantId, int quantity) {}

    /** {@code restockType}: {@code return}, {@code cancel} or {@code no_restock}. */
    public record RefundLineSpec(long lineItemId, int quantity, String restockType) {}

    public record ReturnLineSpec(long lineItemId, int quantity) {}

    /** One Admin GraphQL request as received (status is the HTTP status answered). */
    public record Call(
            Instant at,
            String apiVersion,
            String query,
            String variables,
            int status,
            boolean mutation,
            boolean throttled,
            int requestedCost,
            int actualCost) {}

    // ------------------------------------------------------------------ state (guarded by lock)
    // The public face only: the work is done by ShopCatalog (locations, products, variants), ShopInventory (levels),
    // ShopOrders (orders, refunds), ShopReturns (returns, dispositions) and ShopApiLimits (bucket, faults, calls), on
    // the ShopState objects below; ShopRestJson and ShopSnapshots render them. It is longer than ~300 lines because it
    // keeps the whole public API the hub's tests and the sandbox use (one-line delegations) and its public records.

    final Object lock = new Object();
    private final String name;
    private final LongSupplier ids;
    private final ObjectMapper mapper = new ObjectMapper();
    private volatile ShopSettings settings;
    private volatile String webhookUrl;
    private final java.util.Set<String> unsubscribed = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile String webhookApiVersion = "2026-04";
    private final WebhookDispatcher webhooks;

    final List<LocationState> locations = new ArrayList<>();
    final Map<Long, ProductState> products = new LinkedHashMap<>();
    final Map<Long, VariantState> variants = new LinkedHashMap<>();
    final Map<Long, VariantState> variantsByItem = new LinkedHashMap<>();
    final Map<String, LevelState> levels = new LinkedHashMap<>();
    final Map<Long, OrderState> orders = new LinkedHashMap<>();
    final Map<Long, ReturnState> returns = new LinkedHashMap<>();
    final Map<String, IdempotentEntry> idempotency = new LinkedHashMap<>();

    final ShopCatalog catalog = new ShopCatalog(this);
    final ShopInventory inventory = new ShopInventory(this);
    final ShopOrders orderFlow = new ShopOrders(this);
    final ShopReturns returnFlow = new ShopReturns(this);
    final ShopRestJson json = new ShopRestJson(this);

    /** Bucket, faults, accounting: guarded by "this" (the synchronized methods below), not by {@link #lock}. */
    private final ShopApiLimits limits;

    Shop(String name, ShopSettings settings, LongSupplier ids) {
        this.name = name;
        this.settings = settings;
        this.ids = ids;
        this.webhookUrl = settings.webhookUrl();
        this.limits = new ShopApiLimits(this);
        boolean first = true;
        for (String loc : settings.locations()) {
            LocationState l = new LocationState();
            l.id = ids.getAsLong();
            l.name = loc;
            l.primary = first;
            first = false;
            locations.add(l);
        }
        this.webhooks = new WebhookDispatcher(this);
    }

    // ------------------------------------------------------------------ settings

    public String name() {
        return name;
    }

    public ShopSettings settings() {
        return settings;
    }

    public String domain() {
        return settings.domain() != null ? settings.domain() : name + ".myshopify.com";
    }

    public String accessToken() {
        return settings.accessToken();
    }

    public String webhookUrl() {
        return webhookUrl;
    }

    /**
     * Subscribe to a topic again, or drop its subscription: a Shopify app only hears of the topics it subscribed
     * to (webhookSubscriptionCreate / the app configuration file). All topics are subscribed by default.
     */
    public Shop subscribed(String topic, boolean subscribed) {
        if (subscribed) {
            unsubscribed.remove(topic);
        } else {
            unsubscribed.add(topic);
        }
        return this;
    }

    /** Set (or change) the webhook address; queued webhooks then go out. */
    public Shop webhookUrl(String url) {
        this.webhookUrl = url;
        webhooks.wake();
        return this;
    }

    /** Replace the settings (e.g. a different bucket or retry policy); locations and the token are re-read lazily. */
    public Shop settings(ShopSettings newSettings) {
        this.settings = Objects.requireNonNull(newSettings);
        if (newSettings.webhookUrl() != null) {
            webhookUrl(newSettings.webhookUrl());
        }
        return this;
    }

    /** {@code X-Shopify-API-Version} sent with webhooks (default 2026-04). */
    public Shop webhookApiVersion(String version) {
        this.webhookApiVersion = version;
        return this;
    }

    public WebhookDispatcher webhooks() {
        return webhooks;
    }

    // ------------------------------------------------------------------ webhook shortcuts

    public void holdWebhooks() {
        webhooks.hold();
    }

    public void releaseWebhooks(WebhookDispatcher.Release order) {
        webhooks.release(order);
    }

    public void deliverEachTimes(int n) {
        webhooks.deliverEachTimes(n);
    }

    public void tamperNextSignature() {
        webhooks.tamperNextSignature();
    }

    public int pendingWebhooks() {
        return webhooks.pending();
    }

    public boolean awaitWebhooksDelivered(Duration max) {
        return webhooks.awaitDelivered(max);
    }

    public List<WebhookDispatcher.Delivery> deliveries() {
        return webhooks.deliveries();
    }

    public List<WebhookDispatcher.Event> firedWebhooks() {
        return webhooks.fired();
    }

    // ------------------------------------------------------------------ locations

    public List<Location> locations() {
        return catalog.locations();
    }

    public Location primaryLocation() {
        return catalog.primaryLocation();
    }

    /** Add a (non-primary) location; existing items get a level of 0 there. */
    public Location addLocation(String locationName) {
        return catalog.addLocation(locationName);
    }

    // ------------------------------------------------------------------ catalog

    /** Create a product; fires {@code products/create}. Each variant is stocked at every location. */
    public Product createProduct(String title, String handle, List<String> tags, List<VariantSpec> variantSpecs) {
        return catalog.createProduct(title, handle, tags, variantSpecs);
    }

    /** Change title and/or tags (null = unchanged); fires {@code products/update}. */
    public Product updateProduct(long productId, String title, List<String> tags) {
        return catalog.updateProduct(productId, title, tags);
    }

    /** Change a variant's SKU and/or barcode (null = unchanged); fires {@code products/update}. */
    public Variant updateVariant(long variantId, String sku, String barcode) {
        return catalog.updateVariant(variantId, sku, barcode);
    }

    /** Delete a product with its variants, items and levels; fires {@code products/delete {"id":..}}. */
    public void deleteProduct(long productId) {
        catalog.deleteProduct(productId);
    }

    public List<Product> products() {
        return catalog.products();
    }

    public Variant variant(String sku) {
        return catalog.variantSnapshot(sku);
    }

    public Variant variantById(long variantId) {
        return catalog.variantSnapshot(variantId);
    }

    public Variant variantByInventoryItem(long inventoryItemId) {
        return catalog.variantByInventoryItem(inventoryItemId);
    }

    /** The REST JSON of a product, as sent in {@code products/*} webhooks. */
    public Map<String, Object> productJsonOf(long productId) {
        synchronized (lock) {
            return json.productJson(catalog.product(productId));
        }
    }

    // ------------------------------------------------------------------ inventory

    /** {@code available} of a variant at the primary location. */
    public long available(long variantId) {
        return available(variantId, primaryLocation().id());
    }

    public long available(long variantId, long locationId) {
        return inventory.available(variantId, locationId);
    }

    /** A manual edit in the admin at the primary location; fires {@code inventory_levels/update}. */
    public void setAvailable(long variantId, long level) {
        setAvailable(variantId, primaryLocation().id(), level);
    }

    public void setAvailable(long variantId, long locationId, long level) {
        inventory.setAvailable(variantId, locationId, level);
    }

    /**
     * Arms a merchant's edit in the admin that lands right after the variant's level becomes {@code level} (e.g. by
     * Tally's push), within the same whole second: Shopify's times cannot order the two changes.
     */
    public void editRightAfterLevel(long variantId, long level, long merchantLevel) {
        inventory.editRightAfterLevel(variantId, level, merchantLevel);
    }

    // ------------------------------------------------------------------ orders

    /**
     * A customer order: decrements {@code available} at the primary location for each line and fires
     * {@code inventory_levels/update} per level, then {@code orders/create} and, when paid, {@code orders/paid}.
     */
    public Order placeOrder(List<LineSpec> lines, boolean paid) {
        return orderFlow.placeOrder(lines, paid);
    }

    /** Capture payment: fires {@code orders/paid} then {@code orders/updated}. */
    public Order markPaid(long orderId) {
        return orderFlow.markPaid(orderId);
    }

    /**
     * Cancel with {@code cancel_reason "customer"}. With {@code restock}, the unfulfilled (all remaining)
     * units go back to stock through a refund whose lines have {@code restock_type "cancel"}: levels are
     * incremented (+ {@code inventory_levels/update}) and {@code refunds/create} fires. Then
     * {@code orders/cancelled} (with the {@code refunds} array) and {@code orders/updated}.
     */
    public Order cancelOrder(long orderId, boolean restock) {
        return orderFlow.cancelOrder(orderId, restock);
    }

    /** {@link #refund(long, List, Long)} without a return. */
    public Refund refund(long orderId, List<RefundLineSpec> lines) {
        return refund(orderId, lines, null);
    }

    /**
     * Refund lines; {@code return}/{@code cancel} lines put units back at the primary location
     * (+ {@code inventory_levels/update}). Fires {@code refunds/create} and {@code orders/updated}.
     * {@code returnId} links the refund to a return ({@code "return":{id, admin_graphql_api_id}}).
     */
    public Refund refund(long orderId, List<RefundLineSpec> lines, Long returnId) {
        return orderFlow.refund(orderId, lines, returnId);
    }

    public List<Order> orders() {
        return orderFlow.orders();
    }

    public Order order(String nameOrId) {
        return orderFlow.order(nameOrId);
    }

    /** The REST JSON of an order, as sent in {@code orders/*} webhooks. */
    public Map<String, Object> orderJsonOf(long orderId) {
        return orderFlow.orderJsonOf(orderId);
    }

    // ------------------------------------------------------------------ returns

    /** Request a return for some order lines; fires {@code returns/request}. */
    public Return createReturn(long orderId, List<ReturnLineSpec> lines) {
        return returnFlow.createReturn(orderId, lines);
    }

    /** {@link #disposeReturn(long, long, int, String, Long)} at the primary location. */
    public Disposition disposeReturn(long returnId, long lineItemId, int quantity, String dispositionType) {
        return disposeReturn(returnId, lineItemId, quantity, dispositionType, null);
    }

    /**
     * Dispose returned units of one order line, as {@code reverseFulfillmentOrderDispose} does.
     * {@code RESTOCKED} puts them back at {@code locationId} (the primary location when null; Shopify requires a
     * location for RESTOCKED, ReverseFulfillmentOrderDisposeInput.locationId) and fires
     * {@code inventory_levels/update}; {@code PROCESSING_REQUIRED}, {@code NOT_RESTOCKED}, {@code MISSING}
     * change no stock. Fires {@code reverse_fulfillment_orders/dispose}, see {@link ShopReturns#dispositionJson}.
     */
    public Disposition disposeReturn(
            long returnId, long lineItemId, int quantity, String dispositionType, Long locationId) {
        return returnFlow.disposeReturn(returnId, lineItemId, quantity, dispositionType, locationId);
    }

    public List<Return> returns() {
        return returnFlow.returns();
    }

    // ------------------------------------------------------------------ faults and accounting (ShopApiLimits)

    /** Answer every GraphQL request with {@code status} for the given time; nothing changes meanwhile. */
    public synchronized void failFor(Duration d, int status) {
        limits.failFor(d, status);
    }

    /** Answer the next {@code n} GraphQL requests with {@code status}. */
    public synchronized void failNext(int n, int status) {
        limits.failNext(n, status);
    }

    /** Clear injected failures and latency. */
    public synchronized void recover() {
        limits.recover();
    }

    /** Delay every GraphQL answer by this much. */
    public synchronized void setLatency(Duration d) {
        limits.setLatency(d);
    }

    synchronized Duration latency() {
        return limits.latency();
    }

    /** The status to fail the current request with, or 0. Consumes one {@link #failNext} slot. */
    synchronized int injectedFailure() {
        return limits.injectedFailure();
    }

    public synchronized int graphqlCalls() {
        return limits.graphqlCalls();
    }

    public synchronized int mutationCalls() {
        return limits.mutationCalls();
    }

    public synchronized int throttledCalls() {
        return limits.throttledCalls();
    }

    public synchronized List<Call> calls() {
        return limits.calls();
    }

    public synchronized void resetCounters() {
        limits.resetCounters();
    }

    synchronized void record(Call c) {
        limits.record(c);
    }

    /** Charge {@code cost} up front; false (nothing charged) when the bucket holds less. */
    synchronized boolean charge(int cost) {
        return limits.charge(cost);
    }

    synchronized void refund(int points) {
        limits.refund(points);
    }

    /** {@code throttleStatus} as Shopify reports it. */
    public synchronized Map<String, Object> throttleStatus() {
        return limits.throttleStatus();
    }

    /** Fill the bucket (e.g. between tests). */
    public synchronized void resetBucket() {
        limits.resetBucket();
    }

    // ------------------------------------------------------------------ internals

    long newId() {
        return ids.getAsLong();
    }

    void fire(String topic, Map<String, Object> body) {
        if (unsubscribed.contains(topic)) {
            return;
        }
        try {
            webhooks.fire(topic, mapper.writeValueAsBytes(body), webhookApiVersion);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    void shutdown() {
        webhooks.shutdown();
    }

    /** Shopify's global id, {@code gid://shopify/<type>/<id>}. */
    static String gid(String type, long id) {
        return "gid://shopify/" + type + "/" + id;
    }
}
