package io.tally.sandbox.shopify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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

    // ------------------------------------------------------------------ internal state (guarded by lock)

    static final class LocationState {
        long id;
        String name;
        boolean primary;
        boolean active = true;
    }

    static final class ProductState {
        long id;
        String title;
        String handle;
        String status = "ACTIVE";
        List<String> tags = new ArrayList<>();
        final List<VariantState> variants = new ArrayList<>();
        Instant createdAt;
        Instant updatedAt;
    }

    static final class VariantState {
        long id;
        long itemId;
        ProductState product;
        String title;
        String sku;
        String barcode;
        String price = "10.00";
        boolean tracked = true;
        Instant updatedAt;
    }

    static final class LevelState {
        VariantState variant;
        LocationState location;
        long available;
        Instant updatedAt;

        String gid() {
            return "gid://shopify/InventoryLevel/" + location.id + "?inventory_item_id=" + variant.itemId;
        }
    }

    static final class LineState {
        long id;
        VariantState variant;
        long productId;
        String sku;
        String title;
        String variantTitle;
        String price;
        int quantity;
        int refunded;
    }

    static final class OrderState {
        long id;
        String name;
        Instant createdAt;
        Instant updatedAt;
        Instant cancelledAt;
        String cancelReason;
        String financialStatus;
        final List<LineState> lines = new ArrayList<>();
        final List<RefundState> refunds = new ArrayList<>();
    }

    static final class RefundLineState {
        long id;
        LineState line;
        Long locationId;
        int quantity;
        String restockType;
    }

    static final class RefundState {
        long id;
        OrderState order;
        Instant createdAt;
        Long returnId;
        final List<RefundLineState> lines = new ArrayList<>();
    }

    static final class ReturnLineState {
        long id;
        long rfoLineId;
        /** The FulfillmentLineItem the reverse fulfillment order line item points at. */
        long fulfillmentLineId;

        LineState line;
        int quantity;
        int disposed;
        final List<DispositionState> dispositions = new ArrayList<>();
    }

    /** A ReverseFulfillmentOrderDisposition: its type, units and the location (null unless restocked). */
    static final class DispositionState {
        long id;
        String type;
        int quantity;
        LocationState location;
        Instant createdAt;
    }

    static final class ReturnState {
        long id;
        long rfoId;
        OrderState order;
        String status = "requested";
        final List<ReturnLineState> lines = new ArrayList<>();
    }

    /** A stored {@code @idempotent} result: the mutation field and its arguments as canonical JSON. */
    record IdempotentEntry(String field, String arguments, Object payload) {}

    static final DateTimeFormatter REST_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx");

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
    private int nextOrderNumber = 1001;
    /** Merchant edits armed by {@link #editRightAfterLevel}: item id → {level that triggers, level the merchant sets}. */
    private final Map<Long, long[]> editsAfterLevel = new java.util.HashMap<>();

    // bucket, faults, accounting: guarded by "this"
    private double bucketAvailable;
    private long bucketNanos;
    private long failUntilNanos;
    private int failForStatus;
    private int failNextCount;
    private int failNextStatus;
    private Duration latency = Duration.ZERO;
    private int graphqlCalls;
    private int mutationCalls;
    private int throttledCalls;
    private final List<Call> calls = new ArrayList<>();

    Shop(String name, ShopSettings settings, LongSupplier ids) {
        this.name = name;
        this.settings = settings;
        this.ids = ids;
        this.webhookUrl = settings.webhookUrl();
        this.bucketAvailable = settings.bucketSize();
        this.bucketNanos = System.nanoTime();
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
        synchronized (lock) {
            return locations.stream().map(Shop::snapshot).toList();
        }
    }

    public Location primaryLocation() {
        synchronized (lock) {
            return snapshot(primary());
        }
    }

    /** Add a (non-primary) location; existing items get a level of 0 there. */
    public Location addLocation(String locationName) {
        synchronized (lock) {
            LocationState l = new LocationState();
            l.id = ids.getAsLong();
            l.name = locationName;
            locations.add(l);
            for (VariantState v : variants.values()) {
                newLevel(v, l, 0);
            }
            return snapshot(l);
        }
    }

    // ------------------------------------------------------------------ catalog

    /** Create a product; fires {@code products/create}. Each variant is stocked at every location. */
    public Product createProduct(String title, String handle, List<String> tags, List<VariantSpec> variantSpecs) {
        synchronized (lock) {
            Instant now = Instant.now();
            ProductState p = new ProductState();
            p.id = ids.getAsLong();
            p.title = title;
            p.handle = handle != null ? handle : title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
            p.tags = tags == null ? new ArrayList<>() : new ArrayList<>(tags);
            p.createdAt = now;
            p.updatedAt = now;
            List<VariantSpec> specs = variantSpecs == null || variantSpecs.isEmpty()
                    ? List.of(new VariantSpec("Default Title", null, null, 0))
                    : variantSpecs;
            for (VariantSpec s : specs) {
                VariantState v = new VariantState();
                v.id = ids.getAsLong();
                v.itemId = ids.getAsLong();
                v.product = p;
                v.title = s.title() == null ? "Default Title" : s.title();
                v.sku = s.sku();
                v.barcode = s.barcode();
                v.updatedAt = now;
                p.variants.add(v);
                variants.put(v.id, v);
                variantsByItem.put(v.itemId, v);
                for (LocationState l : locations) {
                    newLevel(v, l, l.primary ? s.available() : 0);
                }
            }
            products.put(p.id, p);
            fire("products/create", productJson(p));
            return snapshot(p);
        }
    }

    /** Change title and/or tags (null = unchanged); fires {@code products/update}. */
    public Product updateProduct(long productId, String title, List<String> tags) {
        synchronized (lock) {
            ProductState p = product(productId);
            if (title != null) {
                p.title = title;
            }
            if (tags != null) {
                p.tags = new ArrayList<>(tags);
            }
            p.updatedAt = Instant.now();
            fire("products/update", productJson(p));
            return snapshot(p);
        }
    }

    /** Change a variant's SKU and/or barcode (null = unchanged); fires {@code products/update}. */
    public Variant updateVariant(long variantId, String sku, String barcode) {
        synchronized (lock) {
            VariantState v = variant(variantId);
            if (sku != null) {
                v.sku = sku;
            }
            if (barcode != null) {
                v.barcode = barcode;
            }
            v.updatedAt = Instant.now();
            v.product.updatedAt = v.updatedAt;
            fire("products/update", productJson(v.product));
            return snapshot(v);
        }
    }

    /** Delete a product with its variants, items and levels; fires {@code products/delete {"id":..}}. */
    public void deleteProduct(long productId) {
        synchronized (lock) {
            ProductState p = product(productId);
            products.remove(productId);
            for (VariantState v : p.variants) {
                variants.remove(v.id);
                variantsByItem.remove(v.itemId);
                levels.values().removeIf(l -> l.variant == v);
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("id", p.id);
            fire("products/delete", body);
        }
    }

    public List<Product> products() {
        synchronized (lock) {
            return products.values().stream().map(Shop::snapshot).toList();
        }
    }

    public Variant variant(String sku) {
        synchronized (lock) {
            return snapshot(variantBySku(sku));
        }
    }

    public Variant variantById(long variantId) {
        synchronized (lock) {
            return snapshot(variant(variantId));
        }
    }

    public Variant variantByInventoryItem(long inventoryItemId) {
        synchronized (lock) {
            VariantState v = variantsByItem.get(inventoryItemId);
            if (v == null) {
                throw new IllegalArgumentException("unknown inventory item " + inventoryItemId);
            }
            return snapshot(v);
        }
    }

    // ------------------------------------------------------------------ inventory

    /** {@code available} of a variant at the primary location. */
    public long available(long variantId) {
        return available(variantId, primaryLocation().id());
    }

    public long available(long variantId, long locationId) {
        synchronized (lock) {
            LevelState l = levels.get(levelKey(variant(variantId).itemId, locationId));
            if (l == null) {
                throw new IllegalArgumentException("variant " + variantId + " not stocked at " + locationId);
            }
            return l.available;
        }
    }

    /** A manual edit in the admin at the primary location; fires {@code inventory_levels/update}. */
    public void setAvailable(long variantId, long level) {
        setAvailable(variantId, primaryLocation().id(), level);
    }

    public void setAvailable(long variantId, long locationId, long level) {
        synchronized (lock) {
            LevelState l = levels.get(levelKey(variant(variantId).itemId, locationId));
            if (l == null) {
                throw new IllegalArgumentException("variant " + variantId + " not stocked at " + locationId);
            }
            changeLevel(l, level);
        }
    }

    // ------------------------------------------------------------------ orders

    /**
     * A customer order: decrements {@code available} at the primary location for each line and fires
     * {@code inventory_levels/update} per level, then {@code orders/create} and, when paid, {@code orders/paid}.
     */
    public Order placeOrder(List<LineSpec> lines, boolean paid) {
        if (lines == null || lines.isEmpty()) {
            throw new IllegalArgumentException("an order needs at least one line");
        }
        synchronized (lock) {
            Instant now = Instant.now();
            OrderState o = new OrderState();
            o.id = ids.getAsLong();
            o.name = "#" + nextOrderNumber++;
            o.createdAt = now;
            o.updatedAt = now;
            o.financialStatus = paid ? "paid" : "pending";
            for (LineSpec spec : lines) {
                if (spec.quantity() <= 0) {
                    throw new IllegalArgumentException("quantity must be positive");
                }
                VariantState v = variant(spec.variantId());
                LineState li = new LineState();
                li.id = ids.getAsLong();
                li.variant = v;
                li.productId = v.product.id;
                li.sku = v.sku;
                li.title = v.product.title;
                li.variantTitle = v.title;
                li.price = v.price;
                li.quantity = spec.quantity();
                o.lines.add(li);
            }
            orders.put(o.id, o);
            for (LineState li : o.lines) {
                LevelState l = levels.get(levelKey(li.variant.itemId, primary().id));
                changeLevel(l, l.available - li.quantity);
            }
            fire("orders/create", orderJson(o));
            if (paid) {
                fire("orders/paid", orderJson(o));
            }
            return snapshot(o);
        }
    }

    /** Capture payment: fires {@code orders/paid} then {@code orders/updated}. */
    public Order markPaid(long orderId) {
        synchronized (lock) {
            OrderState o = order(orderId);
            o.financialStatus = "paid";
            o.updatedAt = Instant.now();
            fire("orders/paid", orderJson(o));
            fire("orders/updated", orderJson(o));
            return snapshot(o);
        }
    }

    /**
     * Cancel with {@code cancel_reason "customer"}. With {@code restock}, the unfulfilled (all remaining)
     * units go back to stock through a refund whose lines have {@code restock_type "cancel"}: levels are
     * incremented (+ {@code inventory_levels/update}) and {@code refunds/create} fires. Then
     * {@code orders/cancelled} (with the {@code refunds} array) and {@code orders/updated}.
     */
    public Order cancelOrder(long orderId, boolean restock) {
        synchronized (lock) {
            OrderState o = order(orderId);
            if (o.cancelledAt != null) {
                throw new IllegalStateException("order " + orderId + " is already cancelled");
            }
            if (restock) {
                List<RefundLineSpec> specs = new ArrayList<>();
                for (LineState li : o.lines) {
                    int left = li.quantity - li.refunded;
                    if (left > 0) {
                        specs.add(new RefundLineSpec(li.id, left, "cancel"));
                    }
                }
                if (!specs.isEmpty()) {
                    doRefund(o, specs, null, false);
                }
            }
            o.cancelledAt = Instant.now();
            o.cancelReason = "customer";
            o.updatedAt = o.cancelledAt;
            if (restock && "pending".equals(o.financialStatus)) {
                o.financialStatus = "voided";
            }
            fire("orders/cancelled", orderJson(o));
            fire("orders/updated", orderJson(o));
            return snapshot(o);
        }
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
        synchronized (lock) {
            OrderState o = order(orderId);
            if (returnId != null && !returns.containsKey(returnId)) {
                throw new IllegalArgumentException("unknown return " + returnId);
            }
            RefundState r = doRefund(o, lines, returnId, true);
            return snapshot(r);
        }
    }

    private RefundState doRefund(OrderState o, List<RefundLineSpec> specs, Long returnId, boolean fireUpdated) {
        if (specs == null || specs.isEmpty()) {
            throw new IllegalArgumentException("a refund needs at least one line");
        }
        // validate everything first: all or nothing
        Map<Long, Integer> wanted = new LinkedHashMap<>();
        for (RefundLineSpec s : specs) {
            LineState li = line(o, s.lineItemId());
            if (!List.of("return", "cancel", "no_restock").contains(s.restockType())) {
                throw new IllegalArgumentException("restock_type must be return, cancel or no_restock");
            }
            if (s.quantity() <= 0) {
                throw new IllegalArgumentException("quantity must be positive");
            }
            int total = wanted.merge(li.id, s.quantity(), Integer::sum);
            if (total > li.quantity - li.refunded) {
                throw new IllegalArgumentException(
                        "line " + li.id + " has only " + (li.quantity - li.refunded) + " refundable units");
            }
        }
        Instant now = Instant.now();
        RefundState r = new RefundState();
        r.id = ids.getAsLong();
        r.order = o;
        r.createdAt = now;
        r.returnId = returnId;
        LocationState primary = primary();
        for (RefundLineSpec s : specs) {
            LineState li = line(o, s.lineItemId());
            RefundLineState rl = new RefundLineState();
            rl.id = ids.getAsLong();
            rl.line = li;
            rl.quantity = s.quantity();
            rl.restockType = s.restockType();
            boolean restock = !"no_restock".equals(s.restockType());
            rl.locationId = restock ? primary.id : null;
            li.refunded += s.quantity();
            r.lines.add(rl);
            if (restock) {
                LevelState l = levels.get(levelKey(li.variant.itemId, primary.id));
                if (l != null) {
                    changeLevel(l, l.available + s.quantity());
                }
            }
        }
        o.refunds.add(r);
        o.updatedAt = now;
        if ("paid".equals(o.financialStatus) || "partially_refunded".equals(o.financialStatus)) {
            boolean all = o.lines.stream().allMatch(li -> li.refunded >= li.quantity);
            o.financialStatus = all ? "refunded" : "partially_refunded";
        }
        fire("refunds/create", refundJson(r));
        if (fireUpdated) {
            fire("orders/updated", orderJson(o));
        }
        return r;
    }

    /** Request a return for some order lines; fires {@code returns/request}. */
    public Return createReturn(long orderId, List<ReturnLineSpec> lines) {
        if (lines == null || lines.isEmpty()) {
            throw new IllegalArgumentException("a return needs at least one line");
        }
        synchronized (lock) {
            OrderState o = order(orderId);
            ReturnState rs = new ReturnState();
            rs.id = ids.getAsLong();
            rs.rfoId = ids.getAsLong();
            rs.order = o;
            for (ReturnLineSpec s : lines) {
                LineState li = line(o, s.lineItemId());
                if (s.quantity() <= 0 || s.quantity() > li.quantity) {
                    throw new IllegalArgumentException("bad return quantity " + s.quantity());
                }
                ReturnLineState rl = new ReturnLineState();
                rl.id = ids.getAsLong();
                rl.rfoLineId = ids.getAsLong();
                rl.fulfillmentLineId = ids.getAsLong();
                rl.line = li;
                rl.quantity = s.quantity();
                rs.lines.add(rl);
            }
            returns.put(rs.id, rs);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("id", rs.id);
            body.put("admin_graphql_api_id", gid("Return", rs.id));
            body.put("order_id", o.id);
            body.put("status", rs.status);
            List<Object> rli = new ArrayList<>();
            for (ReturnLineState rl : rs.lines) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", rl.id);
                m.put("admin_graphql_api_id", gid("ReturnLineItem", rl.id));
                m.put("line_item_id", rl.line.id);
                m.put("quantity", rl.quantity);
                rli.add(m);
            }
            body.put("return_line_items", rli);
            fire("returns/request", body);
            return snapshot(rs);
        }
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
     * change no stock. Fires {@code reverse_fulfillment_orders/dispose}, see {@link #dispositionJson}.
     */
    public Disposition disposeReturn(
            long returnId, long lineItemId, int quantity, String dispositionType, Long locationId) {
        if (!List.of("RESTOCKED", "PROCESSING_REQUIRED", "NOT_RESTOCKED", "MISSING")
                .contains(dispositionType)) {
            throw new IllegalArgumentException(
                    "dispositionType must be RESTOCKED, PROCESSING_REQUIRED, " + "NOT_RESTOCKED or MISSING");
        }
        synchronized (lock) {
            ReturnState rs = returns.get(returnId);
            if (rs == null) {
                throw new IllegalArgumentException("unknown return " + returnId);
            }
            ReturnLineState rl = rs.lines.stream()
                    .filter(x -> x.line.id == lineItemId)
                    .findFirst()
                    .orElseThrow(
                            () -> new IllegalArgumentException("line " + lineItemId + " is not in return " + returnId));
            if (quantity <= 0 || rl.disposed + quantity > rl.quantity) {
                throw new IllegalArgumentException("only " + (rl.quantity - rl.disposed) + " units left to dispose");
            }
            boolean restock = "RESTOCKED".equals(dispositionType);
            LocationState at = null;
            if (restock) {
                at = locationId == null ? primary() : location(locationId);
                if (at == null) {
                    throw new IllegalArgumentException("unknown location " + locationId);
                }
            }
            rl.disposed += quantity;
            if (restock) {
                LevelState l = levels.get(levelKey(rl.line.variant.itemId, at.id));
                if (l != null) {
                    changeLevel(l, l.available + quantity);
                }
            }
            DispositionState ds = new DispositionState();
            ds.id = ids.getAsLong();
            ds.type = dispositionType;
            ds.quantity = quantity;
            ds.location = at;
            ds.createdAt = Instant.now();
            rl.dispositions.add(ds);
            Disposition d = new Disposition(
                    ds.id,
                    rs.rfoId,
                    rl.rfoLineId,
                    rl.line.id,
                    rl.line.variant.id,
                    quantity,
                    dispositionType,
                    at == null ? null : at.id);
            fire("reverse_fulfillment_orders/dispose", dispositionJson(rs, rl, ds));
            return d;
        }
    }

    /**
     * The {@code reverse_fulfillment_orders/dispose} body, in the shape of Shopify's webhook reference example
     * (https://shopify.dev/docs/api/webhooks/2025-01, kept as
     * src/test/resources/shopify/reverse-fulfillment-orders-dispose.json): the reverse fulfillment order's
     * {@code id}, {@code admin_graphql_api_id}, {@code total_dispositions} and per disposition
     * {@code reverse_fulfillment_order_line_item {id, admin_graphql_api_id}}, {@code reverse_delivery_line_item},
     * {@code location {id, admin_graphql_api_id}}, {@code quantity}, {@code type}. No order, line item or variant
     * id. Not documented, so chosen here: one delivery per dispose call listing that call's dispositions
     * ({@code total_dispositions} = their count); {@code type} is the lower-case enum value (the example shows
     * only {@code "restocked"}); {@code location} is null for a disposition without one.
     */
    private Map<String, Object> dispositionJson(ReturnState rs, ReturnLineState rl, DispositionState ds) {
        Map<String, Object> lineItem = new LinkedHashMap<>();
        lineItem.put("id", rl.rfoLineId);
        lineItem.put("admin_graphql_api_id", gid("ReverseFulfillmentOrderLineItem", rl.rfoLineId));
        Map<String, Object> location = null;
        if (ds.location != null) {
            location = new LinkedHashMap<>();
            location.put("id", ds.location.id);
            location.put("admin_graphql_api_id", gid("Location", ds.location.id));
        }
        Map<String, Object> dm = new LinkedHashMap<>();
        dm.put("reverse_fulfillment_order_line_item", lineItem);
        dm.put("reverse_delivery_line_item", null);
        dm.put("location", location);
        dm.put("quantity", ds.quantity);
        dm.put("type", ds.type.toLowerCase(Locale.ROOT));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", rs.rfoId);
        body.put("admin_graphql_api_id", gid("ReverseFulfillmentOrder", rs.rfoId));
        body.put("total_dispositions", 1);
        body.put("dispositions", List.of(dm));
        return body;
    }

    /** The return whose reverse fulfillment order has this id, or null; callers hold the lock. */
    ReturnState returnByReverseFulfillmentOrder(long rfoId) {
        return returns.values().stream()
                .filter(r -> r.rfoId == rfoId)
                .findFirst()
                .orElse(null);
    }

    public List<Order> orders() {
        synchronized (lock) {
            return orders.values().stream().map(Shop::snapshot).toList();
        }
    }

    public Order order(String nameOrId) {
        synchronized (lock) {
            for (OrderState o : orders.values()) {
                if (o.name.equals(nameOrId) || Long.toString(o.id).equals(nameOrId)) {
                    return snapshot(o);
                }
            }
            throw new IllegalArgumentException("unknown order " + nameOrId);
        }
    }

    public List<Return> returns() {
        synchronized (lock) {
            return returns.values().stream().map(Shop::snapshot).toList();
        }
    }

    /** The REST JSON of an order, as sent in {@code orders/*} webhooks. */
    public Map<String, Object> orderJsonOf(long orderId) {
        synchronized (lock) {
            return orderJson(order(orderId));
        }
    }

    /** The REST JSON of a product, as sent in {@code products/*} webhooks. */
    public Map<String, Object> productJsonOf(long productId) {
        synchronized (lock) {
            return productJson(product(productId));
        }
    }

    // ------------------------------------------------------------------ faults and accounting

    /** Answer every GraphQL request with {@code status} for the given time; nothing changes meanwhile. */
    public synchronized void failFor(Duration d, int status) {
        failUntilNanos = System.nanoTime() + d.toNanos();
        failForStatus = status;
    }

    /** Answer the next {@code n} GraphQL requests with {@code status}. */
    public synchronized void failNext(int n, int status) {
        failNextCount = n;
        failNextStatus = status;
    }

    /** Clear injected failures and latency. */
    public synchronized void recover() {
        failUntilNanos = 0;
        failNextCount = 0;
        latency = Duration.ZERO;
    }

    /** Delay every GraphQL answer by this much. */
    public synchronized void setLatency(Duration d) {
        latency = d == null ? Duration.ZERO : d;
    }

    synchronized Duration latency() {
        return latency;
    }

    /** The status to fail the current request with, or 0. Consumes one {@link #failNext} slot. */
    synchronized int injectedFailure() {
        if (failUntilNanos != 0 && System.nanoTime() < failUntilNanos) {
            return failForStatus;
        }
        if (failNextCount > 0) {
            failNextCount--;
            return failNextStatus;
        }
        return 0;
    }

    public synchronized int graphqlCalls() {
        return graphqlCalls;
    }

    public synchronized int mutationCalls() {
        return mutationCalls;
    }

    public synchronized int throttledCalls() {
        return throttledCalls;
    }

    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    public synchronized void resetCounters() {
        graphqlCalls = 0;
        mutationCalls = 0;
        throttledCalls = 0;
        calls.clear();
    }

    synchronized void record(Call c) {
        graphqlCalls++;
        if (c.mutation()) {
            mutationCalls++;
        }
        if (c.throttled()) {
            throttledCalls++;
        }
        calls.add(c);
    }

    // ------------------------------------------------------------------ leaky bucket
    // Shopify's documented GraphQL bucket (https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits, and
    // https://shopify.dev/docs/api/usage/limits#the-leaky-bucket-algorithm): maximumAvailable points per app and store,
    // refilled continuously at restoreRate points/s; a query's requested cost is charged before it runs (THROTTLED,
    // charged nothing, when the bucket holds less) and the difference to its actual cost is refunded afterwards.

    private void refill() {
        long now = System.nanoTime();
        bucketAvailable =
                Math.min(settings.bucketSize(), bucketAvailable + (now - bucketNanos) / 1e9 * settings.restoreRate());
        bucketNanos = now;
    }

    /** Charge {@code cost} up front; false (nothing charged) when the bucket holds less. */
    synchronized boolean charge(int cost) {
        refill();
        if (bucketAvailable < cost) {
            return false;
        }
        bucketAvailable -= cost;
        return true;
    }

    synchronized void refund(int points) {
        refill();
        bucketAvailable = Math.min(settings.bucketSize(), bucketAvailable + points);
    }

    /** {@code throttleStatus} as Shopify reports it. */
    public synchronized Map<String, Object> throttleStatus() {
        refill();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("maximumAvailable", settings.bucketSize());
        m.put("currentlyAvailable", Math.floor(bucketAvailable));
        m.put("restoreRate", settings.restoreRate());
        return m;
    }

    /** Fill the bucket (e.g. between tests). */
    public synchronized void resetBucket() {
        bucketAvailable = settings.bucketSize();
        bucketNanos = System.nanoTime();
    }

    // ------------------------------------------------------------------ internals used by the GraphQL layer

    LocationState primary() {
        return locations.stream().filter(l -> l.primary).findFirst().orElseThrow();
    }

    LocationState location(long id) {
        return locations.stream().filter(l -> l.id == id).findFirst().orElse(null);
    }

    ProductState product(long id) {
        ProductState p = products.get(id);
        if (p == null) {
            throw new IllegalArgumentException("unknown product " + id);
        }
        return p;
    }

    VariantState variant(long id) {
        VariantState v = variants.get(id);
        if (v == null) {
            throw new IllegalArgumentException("unknown variant " + id);
        }
        return v;
    }

    VariantState variantBySku(String sku) {
        return variants.values().stream()
                .filter(v -> Objects.equals(v.sku, sku))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no variant with sku " + sku));
    }

    OrderState order(long id) {
        OrderState o = orders.get(id);
        if (o == null) {
            throw new IllegalArgumentException("unknown order " + id);
        }
        return o;
    }

    private static LineState line(OrderState o, long lineItemId) {
        return o.lines.stream()
                .filter(l -> l.id == lineItemId)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("line " + lineItemId + " is not in order " + o.id));
    }

    static String levelKey(long itemId, long locationId) {
        return itemId + "@" + locationId;
    }

    LevelState level(long itemId, long locationId) {
        return levels.get(levelKey(itemId, locationId));
    }

    List<LevelState> levelsOf(VariantState v) {
        return levels.values().stream().filter(l -> l.variant == v).toList();
    }

    private void newLevel(VariantState v, LocationState l, long available) {
        LevelState level = new LevelState();
        level.variant = v;
        level.location = l;
        level.available = available;
        level.updatedAt = Instant.now();
        levels.put(levelKey(v.itemId, l.id), level);
    }

    /**
     * Set a level and fire {@code inventory_levels/update}; callers hold the lock. Body: the five fields of
     * Shopify's webhook reference example for this topic (https://shopify.dev/docs/api/webhooks/2025-01, kept as
     * src/test/resources/shopify/inventory-levels-update.json} (where Shopify's own example has {@code "available": null}).
     */
    void changeLevel(LevelState l, long newAvailable) {
        l.available = newAvailable;
        l.updatedAt = Instant.now();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("inventory_item_id", l.variant.itemId);
        body.put("location_id", l.location.id);
        body.put("available", l.available);
        body.put("updated_at", restTime(l.updatedAt));
        body.put("admin_graphql_api_id", l.gid());
        fire("inventory_levels/update", body);
        long[] edit = editsAfterLevel.get(l.variant.itemId);
        if (edit != null && edit[0] == newAvailable) {
            editsAfterLevel.remove(l.variant.itemId);
            changeLevel(l, edit[1]);
        }
    }

    /**
     * Arms a merchant's edit in the admin that lands right after the variant's level becomes {@code level} (e.g. by
     * Tally's push), within the same whole second: Shopify's times cannot order the two changes.
     */
    public void editRightAfterLevel(long variantId, long level, long merchantLevel) {
        synchronized (lock) {
            editsAfterLevel.put(variant(variantId).itemId, new long[] {level, merchantLevel});
        }
    }

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

    // ------------------------------------------------------------------ REST JSON

    static String gid(String type, long id) {
        return "gid://shopify/" + type + "/" + id;
    }

    static String restTime(Instant t) {
        return t == null
                ? null
                : OffsetDateTime.ofInstant(t.truncatedTo(ChronoUnit.SECONDS), ZoneOffset.UTC)
                        .format(REST_TIME);
    }

    Map<String, Object> productJson(ProductState p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", p.id);
        m.put("admin_graphql_api_id", gid("Product", p.id));
        m.put("title", p.title);
        m.put("handle", p.handle);
        m.put("status", p.status.toLowerCase(Locale.ROOT));
        m.put("tags", String.join(", ", p.tags));
        m.put("created_at", restTime(p.createdAt));
        m.put("updated_at", restTime(p.updatedAt));
        List<Object> vs = new ArrayList<>();
        for (VariantState v : p.variants) {
            Map<String, Object> vm = new LinkedHashMap<>();
            vm.put("id", v.id);
            vm.put("admin_graphql_api_id", gid("ProductVariant", v.id));
            vm.put("product_id", p.id);
            vm.put("title", v.title);
            vm.put("sku", v.sku);
            vm.put("barcode", v.barcode);
            vm.put("price", v.price);
            vm.put("inventory_item_id", v.itemId);
            vm.put(
                    "inventory_quantity",
                    levelsOf(v).stream().mapToLong(l -> l.available).sum());
            vm.put("updated_at", restTime(v.updatedAt));
            vs.add(vm);
        }
        m.put("variants", vs);
        return m;
    }

    /** The {@code orders/*} body, a subset of Shopify's webhook reference example for this topic (https://shopify.dev/docs/api/webhooks/2025-01, kept as
     * src/test/resources/shopify/orders-create.json}. */
    Map<String, Object> orderJson(OrderState o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", o.id);
        m.put("admin_graphql_api_id", gid("Order", o.id));
        m.put("name", o.name);
        m.put("order_number", Integer.parseInt(o.name.substring(1)));
        m.put("created_at", restTime(o.createdAt));
        m.put("updated_at", restTime(o.updatedAt));
        m.put("cancelled_at", restTime(o.cancelledAt));
        m.put("cancel_reason", o.cancelReason);
        m.put("financial_status", o.financialStatus);
        m.put("fulfillment_status", null);
        m.put("currency", "USD");
        List<Object> lines = new ArrayList<>();
        for (LineState li : o.lines) {
            Map<String, Object> lm = new LinkedHashMap<>();
            lm.put("id", li.id);
            lm.put("admin_graphql_api_id", gid("LineItem", li.id));
            lm.put("variant_id", li.variant.id);
            lm.put("product_id", li.productId);
            lm.put("sku", li.sku);
            lm.put("title", li.title);
            lm.put("variant_title", li.variantTitle);
            lm.put("quantity", li.quantity);
            lm.put("current_quantity", li.quantity - li.refunded);
            lm.put("fulfillable_quantity", o.cancelledAt != null ? 0 : li.quantity - li.refunded);
            lm.put("price", li.price);
            lines.add(lm);
        }
        m.put("line_items", lines);
        m.put("refunds", o.refunds.stream().map(this::refundJson).toList());
        return m;
    }

    /** {@code {"shop_money": {"amount": "199.00", "currency_code": "USD"}, "presentment_money": {...}}}. */
    private static Map<String, Object> moneySet(java.math.BigDecimal amount) {
        Map<String, Object> money = new LinkedHashMap<>();
        money.put("amount", amount.setScale(2, java.math.RoundingMode.HALF_UP).toPlainString());
        money.put("currency_code", "USD");
        return Map.of("shop_money", money, "presentment_money", money);
    }

    /**
     * The {@code refunds/create} body (and the refunds inside order bodies). Shape: Shopify's webhook reference example for this topic (https://shopify.dev/docs/api/webhooks/2025-01, kept as
     * src/test/resources/shopify/refunds-create.json}; fields not
     * listed there are not sent.
     */
    Map<String, Object> refundJson(RefundState r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id);
        m.put("admin_graphql_api_id", gid("Refund", r.id));
        m.put("order_id", r.order.id);
        m.put("created_at", restTime(r.createdAt));
        m.put("restock", r.lines.stream().anyMatch(l -> !"no_restock".equals(l.restockType)));
        if (r.returnId != null) {
            Map<String, Object> ret = new LinkedHashMap<>();
            ret.put("id", r.returnId);
            ret.put("admin_graphql_api_id", gid("Return", r.returnId));
            m.put("return", ret);
        } else {
            m.put("return", null);
        }
        List<Object> lines = new ArrayList<>();
        for (RefundLineState rl : r.lines) {
            Map<String, Object> lm = new LinkedHashMap<>();
            lm.put("id", rl.id);
            lm.put("line_item_id", rl.line.id);
            lm.put("location_id", rl.locationId);
            lm.put("quantity", rl.quantity);
            lm.put("restock_type", rl.restockType);
            // Numbers, as in Shopify's example ("subtotal": 199, "total_tax": 0); the *_set twins carry strings.
            java.math.BigDecimal subtotal =
                    new java.math.BigDecimal(rl.line.price).multiply(java.math.BigDecimal.valueOf(rl.quantity));
            lm.put("subtotal", subtotal);
            lm.put("subtotal_set", moneySet(subtotal));
            lm.put("total_tax", java.math.BigDecimal.ZERO);
            lm.put("total_tax_set", moneySet(java.math.BigDecimal.ZERO));
            Map<String, Object> li = new LinkedHashMap<>();
            li.put("id", rl.line.id);
            li.put("variant_id", rl.line.variant.id);
            li.put("product_id", rl.line.productId);
            li.put("sku", rl.line.sku);
            li.put("title", rl.line.title);
            li.put("quantity", rl.line.quantity);
            lm.put("line_item", li);
            lines.add(lm);
        }
        m.put("refund_line_items", lines);
        m.put("transactions", List.of());
        return m;
    }

    // ------------------------------------------------------------------ snapshots

    static Location snapshot(LocationState l) {
        return new Location(l.id, gid("Location", l.id), l.name, l.primary);
    }

    static Variant snapshot(VariantState v) {
        return new Variant(
                v.id,
                gid("ProductVariant", v.id),
                v.product.id,
                v.itemId,
                gid("InventoryItem", v.itemId),
                v.title,
                v.sku,
                v.barcode);
    }

    static Product snapshot(ProductState p) {
        return new Product(
                p.id,
                gid("Product", p.id),
                p.title,
                p.handle,
                List.copyOf(p.tags),
                p.variants.stream().map(Shop::snapshot).toList());
    }

    static Order snapshot(OrderState o) {
        return new Order(
                o.id,
                gid("Order", o.id),
                o.name,
                o.financialStatus,
                o.cancelledAt,
                o.lines.stream()
                        .map(li -> new LineItem(
                                li.id, li.variant.id, li.productId, li.sku, li.quantity, li.quantity - li.refunded))
                        .toList(),
                o.refunds.stream().map(r -> r.id).toList());
    }

    static Refund snapshot(RefundState r) {
        return new Refund(
                r.id,
                gid("Refund", r.id),
                r.order.id,
                r.returnId,
                r.lines.stream()
                        .map(l -> new RefundLine(l.id, l.line.id, l.locationId, l.quantity, l.restockType))
                        .toList());
    }

    static Return snapshot(ReturnState r) {
        return new Return(
                r.id,
                gid("Return", r.id),
                r.order.id,
                r.rfoId,
                r.lines.stream()
                        .map(l -> new ReturnLine(l.id, l.line.id, l.rfoLineId, l.quantity))
                        .toList());
    }
}
