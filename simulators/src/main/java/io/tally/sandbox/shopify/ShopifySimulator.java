package io.tally.sandbox.shopify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpExchange;
import io.tally.sandbox.LoopbackHttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    private static final Pattern GRAPHQL_PATH =
            Pattern.compile("^/shops/([^/]+)/admin/api/(\\d{4}-\\d{2}|unstable)/graphql\\.json$");

    private final int requestedPort;
    private final Map<String, Shop> shops = new LinkedHashMap<>();
    private final AtomicLong ids = new AtomicLong(1000000);
    private final ObjectMapper mapper = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private final ShopifyGraphQl graphQl = ShopifyGraphQl.shared();
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
                java.util.Map.of("/shops/", this::graphql, "/_sandbox/shopify", this::merchant));
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

    private Shop findShop(String name) {
        synchronized (shops) {
            return shops.get(name);
        }
    }

    // ------------------------------------------------------------------ Admin GraphQL

    private void graphql(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] raw = ex.getRequestBody().readAllBytes();
            Matcher m = GRAPHQL_PATH.matcher(ex.getRequestURI().getPath());
            Shop shop = m.matches() ? findShop(m.group(1)) : null;
            if (shop == null) {
                send(ex, 404, Map.of("errors", "Not Found"));
                return;
            }
            String version = m.group(2);
            String body = new String(raw, StandardCharsets.UTF_8);
            Duration latency = shop.latency();
            if (!latency.isZero() && !latency.isNegative()) {
                try {
                    Thread.sleep(latency.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (!"POST".equalsIgnoreCase(ex.getRequestMethod())) {
                shop.record(new Shop.Call(Instant.now(), version, body, null, 405, false, false, 0, 0));
                send(ex, 405, Map.of("errors", "Method Not Allowed"));
                return;
            }
            int fail = shop.injectedFailure();
            if (fail != 0) {
                shop.record(new Shop.Call(Instant.now(), version, body, null, fail, false, false, 0, 0));
                send(
                        ex,
                        fail,
                        Map.of(
                                "errors",
                                fail == 503
                                        ? "Service Unavailable"
                                        : fail == 500 ? "Internal Server Error" : "Simulated failure " + fail));
                return;
            }
            String token = ex.getRequestHeaders().getFirst("X-Shopify-Access-Token");
            if (token == null || !token.equals(shop.accessToken())) {
                shop.record(new Shop.Call(Instant.now(), version, body, null, 401, false, false, 0, 0));
                send(
                        ex,
                        401,
                        Map.of(
                                "errors",
                                "[API] Invalid API key or access token (unrecognized login or wrong password)"));
                return;
            }
            String query;
            Map<String, Object> variables = null;
            String operationName = null;
            String contentType = ex.getRequestHeaders().getFirst("Content-Type");
            if (contentType != null && contentType.contains("application/graphql")) {
                query = body;
            } else {
                try {
                    JsonNode n = mapper.readTree(body);
                    if (n == null || !n.isObject() || !n.path("query").isTextual()) {
                        throw new IOException("no query");
                    }
                    query = n.get("query").asText();
                    JsonNode v = n.get("variables");
                    if (v != null && v.isObject()) {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> vm = mapper.convertValue(v, Map.class);
                        variables = vm;
                    }
                    JsonNode op = n.get("operationName");
                    operationName = op != null && op.isTextual() ? op.asText() : null;
                } catch (IOException e) {
                    shop.record(new Shop.Call(Instant.now(), version, body, null, 400, false, false, 0, 0));
                    send(ex, 400, Map.of("errors", Map.of("query", "Required parameter missing or invalid")));
                    return;
                }
            }
            ShopifyGraphQl.Answer a = graphQl.execute(shop, version, query, variables, operationName);
            shop.record(new Shop.Call(
                    Instant.now(),
                    version,
                    query,
                    variables == null ? null : mapper.writeValueAsString(variables),
                    a.status(),
                    a.mutation(),
                    a.throttled(),
                    a.requestedCost(),
                    a.actualCost()));
            send(ex, a.status(), a.body());
        } catch (RuntimeException e) {
            send(ex, 500, Map.of("errors", "Internal Server Error: " + e));
        }
    }

    // ------------------------------------------------------------------ merchant side

    /**
     * Merchant and test controls, JSON in and out, under {@code /_sandbox/shopify}:
     * <pre>
     * GET    /_sandbox/shopify                               shops with their api urls
     * GET    /_sandbox/shopify/{shop}/products               products (REST JSON)
     * POST   /_sandbox/shopify/{shop}/products               {"title","handle","tags":[..],"variants":[{"title","sku","barcode","available"}]}
     * DELETE /_sandbox/shopify/{shop}/products/{id}
     * PUT    /_sandbox/shopify/{shop}/variants/{id|sku}      {"sku","barcode"}
     * GET    /_sandbox/shopify/{shop}/variants/{id|sku}/available
     * PUT    /_sandbox/shopify/{shop}/variants/{id|sku}/available  {"available":5}
     * GET    /_sandbox/shopify/{shop}/orders
     * POST   /_sandbox/shopify/{shop}/orders                 {"lines":[{"variantId"|"sku","quantity"}],"paid":true}
     * POST   /_sandbox/shopify/{shop}/orders/{id}/paid
     * POST   /_sandbox/shopify/{shop}/orders/{id}/cancel     {"restock":true}
     * POST   /_sandbox/shopify/{shop}/orders/{id}/refunds    {"lines":[{"lineItemId"|"sku","quantity","restockType"}],"returnId"}
     * POST   /_sandbox/shopify/{shop}/orders/{id}/returns    {"lines":[{"lineItemId"|"sku","quantity"}]}
     * POST   /_sandbox/shopify/{shop}/returns/{id}/dispose   {"lineItemId"|"sku","quantity","type":"RESTOCKED"}
     * POST   /_sandbox/shopify/{shop}/outage                 {"seconds":60,"status":503}
     * POST   /_sandbox/shopify/{shop}/latency                {"millis":500}
     * POST   /_sandbox/shopify/{shop}/recover
     * GET    /_sandbox/shopify/{shop}/stats
     * GET    /_sandbox/shopify/{shop}/calls
     * GET    /_sandbox/shopify/{shop}/webhooks               delivery attempts
     * PUT    /_sandbox/shopify/{shop}/webhook-url            {"url":"http://..."}
     * POST   /_sandbox/shopify/{shop}/webhooks/hold
     * POST   /_sandbox/shopify/{shop}/webhooks/release       {"order":"IN_ORDER|REVERSED|SHUFFLED"}
     * </pre>
     * {id} of an order is its numeric id or its number without '#'.
     */
    private void merchant(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] raw = ex.getRequestBody().readAllBytes();
            String method = ex.getRequestMethod().toUpperCase(Locale.ROOT);
            String path = ex.getRequestURI().getPath();
            String[] seg = path.substring("/_sandbox/shopify".length())
                    .replaceAll("^/+|/+$", "")
                    .split("/");
            JsonNode in = raw.length == 0 ? mapper.createObjectNode() : mapper.readTree(raw);
            try {
                Object out = route(method, seg, in == null ? mapper.createObjectNode() : in);
                if (out == null) {
                    send(ex, 404, Map.of("error", "no such sandbox endpoint: " + method + " " + path));
                } else {
                    boolean creates = "POST".equals(method)
                            && seg.length >= 2
                            && (seg.length == 2
                                    ? seg[1].equals("products") || seg[1].equals("orders")
                                    : seg[seg.length - 1].equals("refunds") || seg[seg.length - 1].equals("returns"));
                    send(ex, creates ? 201 : 200, out);
                }
            } catch (IllegalArgumentException | IllegalStateException e) {
                send(
                        ex,
                        e.getMessage() != null && e.getMessage().startsWith("unknown") ? 404 : 400,
                        Map.of("error", String.valueOf(e.getMessage())));
            }
        } catch (IOException e) {
            send(ex, 400, Map.of("error", "invalid JSON: " + e.getMessage()));
        }
    }

    private Object route(String method, String[] seg, JsonNode in) {
        if (seg.length == 1 && seg[0].isEmpty()) {
            List<Object> list = new ArrayList<>();
            for (Shop s : shops()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", s.name());
                m.put("domain", s.domain());
                m.put("apiUrl", apiUrl(s.name()));
                m.put("webhookUrl", s.webhookUrl());
                list.add(m);
            }
            return list;
        }
        Shop shop = findShop(seg[0]);
        if (shop == null) {
            throw new IllegalArgumentException("unknown shop " + seg[0]);
        }
        String what = seg.length > 1 ? seg[1] : "";
        String key = method + " " + what + (seg.length > 2 ? "/{}" : "") + (seg.length > 3 ? "/" + seg[3] : "");
        switch (key) {
            case "GET products":
                return shop.products().stream()
                        .map(p -> shop.productJsonOf(p.id()))
                        .toList();
            case "POST products": {
                List<Shop.VariantSpec> specs = new ArrayList<>();
                for (JsonNode v : in.path("variants")) {
                    specs.add(new Shop.VariantSpec(
                            text(v, "title"),
                            text(v, "sku"),
                            text(v, "barcode"),
                            v.path("available").asLong(0)));
                }
                List<String> tags = new ArrayList<>();
                in.path("tags").forEach(t -> tags.add(t.asText()));
                Shop.Product p = shop.createProduct(required(in, "title"), text(in, "handle"), tags, specs);
                return shop.productJsonOf(p.id());
            }
            case "DELETE products/{}":
                shop.deleteProduct(Long.parseLong(seg[2]));
                return Map.of("deleted", Long.parseLong(seg[2]));
            case "PUT variants/{}": {
                Shop.Variant v = variant(shop, seg[2]);
                return shop.updateVariant(v.id(), text(in, "sku"), text(in, "barcode"));
            }
            case "GET variants/{}/available": {
                Shop.Variant v = variant(shop, seg[2]);
                return availableJson(shop, v);
            }
            case "PUT variants/{}/available", "POST variants/{}/available": {
                Shop.Variant v = variant(shop, seg[2]);
                if (!in.path("available").canConvertToLong()) {
                    throw new IllegalArgumentException("body must be {\"available\": <number>}");
                }
                shop.setAvailable(v.id(), in.get("available").asLong());
                return availableJson(shop, v);
            }
            case "GET orders":
                return shop.orders().stream().map(o -> shop.orderJsonOf(o.id())).toList();
            case "POST orders": {
                List<Shop.LineSpec> lines = new ArrayList<>();
                for (JsonNode l : in.path("lines")) {
                    long variantId = l.hasNonNull("variantId")
                            ? l.get("variantId").asLong()
                            : shop.variant(required(l, "sku")).id();
                    lines.add(new Shop.LineSpec(variantId, l.path("quantity").asInt(1)));
                }
                Shop.Order o = shop.placeOrder(lines, in.path("paid").asBoolean(true));
                return shop.orderJsonOf(o.id());
            }
            case "POST orders/{}/paid":
                return shop.orderJsonOf(shop.markPaid(orderId(shop, seg[2])).id());
            case "POST orders/{}/cancel":
                return shop.orderJsonOf(shop.cancelOrder(
                                orderId(shop, seg[2]), in.path("restock").asBoolean(true))
                        .id());
            case "POST orders/{}/refunds": {
                long orderId = orderId(shop, seg[2]);
                List<Shop.RefundLineSpec> lines = new ArrayList<>();
                for (JsonNode l : in.path("lines")) {
                    lines.add(new Shop.RefundLineSpec(
                            lineItemId(shop, orderId, l),
                            l.path("quantity").asInt(1),
                            l.path("restockType").asText("return")));
                }
                Long returnId = in.hasNonNull("returnId") ? in.get("returnId").asLong() : null;
                return shop.refund(orderId, lines, returnId);
            }
            case "POST orders/{}/returns": {
                long orderId = orderId(shop, seg[2]);
                List<Shop.ReturnLineSpec> lines = new ArrayList<>();
                for (JsonNode l : in.path("lines")) {
                    lines.add(new Shop.ReturnLineSpec(
                            lineItemId(shop, orderId, l), l.path("quantity").asInt(1)));
                }
                return shop.createReturn(orderId, lines);
            }
            case "POST returns/{}/dispose": {
                long returnId = Long.parseLong(seg[2]);
                Shop.Return r = shop.returns().stream()
                        .filter(x -> x.id() == returnId)
                        .findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("unknown return " + returnId));
                return shop.disposeReturn(
                        returnId,
                        lineItemId(shop, r.orderId(), in),
                        in.path("quantity").asInt(1),
                        in.path("type").asText("RESTOCKED"));
            }
            case "POST outage":
                shop.failFor(
                        Duration.ofSeconds(in.path("seconds").asLong(60)),
                        in.path("status").asInt(503));
                return Map.of("outage", true);
            case "POST latency":
                shop.setLatency(Duration.ofMillis(in.path("millis").asLong(0)));
                return Map.of("latencyMillis", in.path("millis").asLong(0));
            case "POST recover":
                shop.recover();
                return Map.of("outage", false);
            case "GET stats":
                return stats(shop);
            case "GET calls":
                return shop.calls();
            case "GET webhooks":
                return shop.deliveries();
            case "PUT webhook-url", "POST webhook-url":
                shop.webhookUrl(required(in, "url"));
                return Map.of("webhookUrl", shop.webhookUrl());
            case "POST webhooks/{}":
                if (seg[2].equals("hold")) {
                    shop.holdWebhooks();
                    return Map.of("holding", true);
                }
                if (seg[2].equals("release")) {
                    shop.releaseWebhooks(
                            WebhookDispatcher.Release.valueOf(in.path("order").asText("IN_ORDER")));
                    return Map.of("holding", false);
                }
                return null;
            default:
                return null;
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

    private static Map<String, Object> availableJson(Shop shop, Shop.Variant v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("variantId", v.id());
        m.put("inventoryItemId", v.inventoryItemId());
        m.put("sku", v.sku());
        m.put("locationId", shop.primaryLocation().id());
        m.put("available", shop.available(v.id()));
        return m;
    }

    private static Shop.Variant variant(Shop shop, String idOrSku) {
        if (idOrSku.matches("\\d+")) {
            try {
                return shop.variantById(Long.parseLong(idOrSku));
            } catch (IllegalArgumentException e) {
                // a numeric SKU
            }
        }
        return shop.variant(idOrSku);
    }

    private static long orderId(Shop shop, String idOrNumber) {
        try {
            return shop.order(idOrNumber).id();
        } catch (IllegalArgumentException e) {
            return shop.order("#" + idOrNumber).id();
        }
    }

    private static long lineItemId(Shop shop, long orderId, JsonNode l) {
        if (l.hasNonNull("lineItemId")) {
            return l.get("lineItemId").asLong();
        }
        String sku = required(l, "sku");
        return shop.order(Long.toString(orderId)).line(sku).id();
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String required(JsonNode n, String field) {
        String v = text(n, field);
        if (v == null) {
            throw new IllegalArgumentException("missing \"" + field + "\"");
        }
        return v;
    }

    private void send(HttpExchange ex, int status, Object body) throws IOException {
        byte[] bytes = mapper.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.getResponseHeaders().set("X-Request-Id", UUID.randomUUID().toString());
        try {
            ex.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            // the client went away
        }
    }
}
