package io.tally.sandbox.shopify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The merchant and test controls over HTTP, under {@code /_sandbox/shopify} (see {@link #handle}). */
final class ShopifySandboxControl {

    private final ShopifySimulator simulator;
    private final ShopifyJson json;
    private final ObjectMapper mapper;

    ShopifySandboxControl(ShopifySimulator simulator, ShopifyJson json) {
        this.simulator = simulator;
        this.json = json;
        this.mapper = json.mapper;
    }

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
    void handle(HttpExchange ex) throws IOException {
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
                    json.send(ex, 404, Map.of("error", "no such sandbox endpoint: " + method + " " + path));
                } else {
                    boolean creates = "POST".equals(method)
                            && seg.length >= 2
                            && (seg.length == 2
                                    ? seg[1].equals("products") || seg[1].equals("orders")
                                    : seg[seg.length - 1].equals("refunds") || seg[seg.length - 1].equals("returns"));
                    json.send(ex, creates ? 201 : 200, out);
                }
            } catch (IllegalArgumentException | IllegalStateException e) {
                json.send(
                        ex,
                        e.getMessage() != null && e.getMessage().startsWith("unknown") ? 404 : 400,
                        Map.of("error", String.valueOf(e.getMessage())));
            }
        } catch (IOException e) {
            json.send(ex, 400, Map.of("error", "invalid JSON: " + e.getMessage()));
        }
    }

    private Object route(String method, String[] seg, JsonNode in) {
        if (seg.length == 1 && seg[0].isEmpty()) {
            List<Object> list = new ArrayList<>();
            for (Shop s : simulator.shops()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", s.name());
                m.put("domain", s.domain());
                m.put("apiUrl", simulator.apiUrl(s.name()));
                m.put("webhookUrl", s.webhookUrl());
                list.add(m);
            }
            return list;
        }
        Shop shop = simulator.findShop(seg[0]);
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
                return simulator.stats(shop);
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
}
