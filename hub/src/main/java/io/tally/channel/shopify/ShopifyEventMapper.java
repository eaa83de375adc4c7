package io.tally.channel.shopify;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.event.CanonicalEvent;
import io.tally.event.EventType;
import io.tally.event.KeyKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Shopify webhook bodies (REST JSON) → canonical events. Every event id is a business key, so the same fact told
 * by several topics or deliveries (a refund inside {@code orders/cancelled} and in {@code refunds/create}, the
 * order in {@code orders/create} and {@code orders/updated}) is stored once. Listings are named by the variant's
 * numeric id (the listing ref).
 */
final class ShopifyEventMapper {

    /** Financial statuses of an order whose payment was captured at some point. */
    private static final Set<String> PAID = Set.of("paid", "partially_refunded", "refunded");

    private ShopifyEventMapper() {}

    /**
     * orders/create, orders/updated, orders/paid: one sale per line and stage (created, and paid once paid). Fields
     * read: {@code id}, {@code financial_status}, {@code created_at}, {@code cancelled_at}, {@code refunds},
     * {@code line_items[].id / variant_id / quantity} (Shopify's orders/create example on the webhook reference,
     * https://shopify.dev/docs/api/webhooks/2025-01).
     */
    static List<CanonicalEvent> orderSales(String store, String topic, JsonNode order) {
        List<CanonicalEvent> events = new ArrayList<>();
        String orderId = text(order, "id");
        boolean paid = topic.equals("orders/paid")
                || PAID.contains(order.path("financial_status").asText(""));
        List<String> stages =
                topic.equals("orders/paid") ? List.of("paid") : paid ? List.of("created", "paid") : List.of("created");
        Instant at = time(order, "created_at");
        for (JsonNode line : order.path("line_items")) {
            String variant = text(line, "variant_id");
            long quantity = line.path("quantity").asLong(0);
            if (variant == null || quantity <= 0) {
                continue; // a custom line item: no stock behind it
            }
            for (String stage : stages) {
                events.add(new CanonicalEvent(
                        "order/" + orderId + "/line/" + text(line, "id") + "/" + stage,
                        "shopify",
                        store,
                        EventType.SALE,
                        KeyKind.REF,
                        variant,
                        quantity,
                        orderId,
                        text(line, "id"),
                        stage,
                        null,
                        at,
                        source(topic, orderId)));
            }
        }
        if (!order.path("cancelled_at").isNull() && !order.path("cancelled_at").isMissingNode()) {
            for (JsonNode refund : order.path("refunds")) {
                events.addAll(refundLines(store, topic, refund, orderId));
            }
        }
        return events;
    }

    /** orders/cancelled: what the cancellation put back is in its refunds (restock_type cancel). */
    static List<CanonicalEvent> cancellation(String store, String topic, JsonNode order) {
        List<CanonicalEvent> events = new ArrayList<>();
        for (JsonNode refund : order.path("refunds")) {
            events.addAll(refundLines(store, topic, refund, text(order, "id")));
        }
        return events;
    }

    /**
     * refunds/create, and refunds inside order bodies: restock_type decides what goes back. Fields read: {@code id},
     * {@code order_id}, {@code created_at}, {@code refund_line_items[].id / line_item_id / quantity / restock_type /
     * line_item.variant_id} (Shopify's example, src/test/resources/shopify/refunds-create.json).
     */
    static List<CanonicalEvent> refundLines(String store, String topic, JsonNode refund, String orderId) {
        List<CanonicalEvent> events = new ArrayList<>();
        String order = orderId != null ? orderId : text(refund, "order_id");
        Instant at = time(refund, "created_at");
        for (JsonNode line : refund.path("refund_line_items")) {
            String restockType = line.path("restock_type").asText("no_restock");
            EventType type = switch (restockType) {
                case "cancel" -> EventType.CANCEL;
                case "return", "legacy_restock" -> EventType.RESTOCK;
                default -> null; // no_restock: the units did not come back
            };
            String variant = text(line.path("line_item"), "variant_id");
            long quantity = line.path("quantity").asLong(0);
            if (type == null || variant == null || quantity <= 0) {
                continue;
            }
            events.add(new CanonicalEvent(
                    "refund-line/" + text(line, "id"),
                    "shopify",
                    store,
                    type,
                    KeyKind.REF,
                    variant,
                    quantity,
                    order,
                    text(line, "line_item_id"),
                    null,
                    type == EventType.RESTOCK ? "refund" : null,
                    at,
                    source(topic, order)));
        }
        return events;
    }

    /** What a dispose webhook leads to: the restocks to book, and why any restocked units were not booked. */
    record Dispositions(List<CanonicalEvent> events, List<String> notBooked) {}

    /**
     * reverse_fulfillment_orders/dispose: the reverse fulfillment order line items the webhook says were disposed
     * {@code restocked}. Fields read (Shopify's example payload, src/test/resources/shopify/
     * reverse-fulfillment-orders-dispose.json): {@code dispositions[].type} and
     * {@code dispositions[].reverse_fulfillment_order_line_item.id}. The body names no order, line or variant.
     */
    static Set<String> restockedLines(JsonNode body) {
        Set<String> lines = new LinkedHashSet<>();
        for (JsonNode disposition : body.path("dispositions")) {
            String line = text(disposition.path("reverse_fulfillment_order_line_item"), "id");
            if ("restocked".equalsIgnoreCase(disposition.path("type").asText()) && line != null) {
                lines.add(line);
            }
        }
        return lines;
    }

    /**
     * One restock per RESTOCKED disposition of the named line items, as Shopify's API lists them (so each is keyed
     * by the disposition's own id, whether a webhook lists one disposition or all of them, and a repeat is stored
     * once), booked only at the location Tally syncs.
     *
     * @param rfo            {@link ShopifyReturnReader#read}: the order, and per line item its order line, variant
     *                       and dispositions
     * @param syncedLocation the Location GID Tally syncs for this store
     */
    static Dispositions disposition(
            String store, String topic, Set<String> restockedLines, JsonNode rfo, String syncedLocation) {
        List<CanonicalEvent> events = new ArrayList<>();
        List<String> notBooked = new ArrayList<>();
        String orderId =
                ShopifyCatalogReader.numericId(rfo.path("order").path("id").asText(null));
        Set<String> seen = new LinkedHashSet<>();
        for (JsonNode line : rfo.path("lineItems")) {
            String lineGid = line.path("id").asText("");
            String lineId = ShopifyCatalogReader.numericId(lineGid);
            if (!restockedLines.contains(lineId)) {
                continue;
            }
            seen.add(lineId);
            JsonNode orderLine = line.path("fulfillmentLineItem").path("lineItem");
            String variant = ShopifyCatalogReader.numericId(
                    orderLine.path("variant").path("id").asText(null));
            String orderLineId =
                    ShopifyCatalogReader.numericId(orderLine.path("id").asText(null));
            boolean restocked = false;
            for (JsonNode disposition : line.path("dispositions")) {
                if (!"RESTOCKED".equals(disposition.path("type").asText())) {
                    continue;
                }
                restocked = true;
                String dispositionId =
                        ShopifyCatalogReader.numericId(disposition.path("id").asText());
                long quantity = disposition.path("quantity").asLong(0);
                String location = disposition.path("location").path("id").asText(null);
                if (variant == null) {
                    notBooked.add("disposition " + dispositionId + ": the returned line has no variant");
                } else if (!syncedLocation.equals(location)) {
                    notBooked.add("disposition " + dispositionId + " restocked " + quantity + " at " + location
                            + ", Tally syncs " + syncedLocation);
                } else if (quantity > 0) {
                    events.add(new CanonicalEvent(
                            "disposition/" + dispositionId,
                            "shopify",
                            store,
                            EventType.RESTOCK,
                            KeyKind.REF,
                            variant,
                            quantity,
                            orderId,
                            orderLineId,
                            null,
                            "return",
                            time(disposition, "createdAt"),
                            source(topic, orderId)));
                }
            }
            if (!restocked) {
                // The webhook says restocked, the API does not show it (yet): fail so Shopify delivers again.
                throw new IllegalStateException("reverse fulfillment order line item " + lineId
                        + " has no RESTOCKED disposition in the Admin API yet");
            }
        }
        for (String line : restockedLines) {
            if (!seen.contains(line)) {
                throw new IllegalStateException("reverse fulfillment order "
                        + rfo.path("id").asText() + " has no line item " + line + " in the Admin API yet");
            }
        }
        return new Dispositions(events, notBooked);
    }

    /**
     * inventory_levels/update for a listing Tally knows at the location it syncs: an observed level. Fields read:
     * {@code inventory_item_id}, {@code location_id}, {@code available}, {@code updated_at} (Shopify's example,
     * src/test/resources/shopify/inventory-levels-update.json; a null {@code available} is answered before this).
     */
    static CanonicalEvent level(String store, String ref, JsonNode level) {
        long available = level.path("available").asLong();
        String updatedAt = level.path("updated_at").asText("");
        return new CanonicalEvent(
                "level/" + text(level, "inventory_item_id") + "/" + text(level, "location_id") + "/" + updatedAt + "/"
                        + available,
                "shopify",
                store,
                EventType.SET,
                KeyKind.REF,
                ref,
                available,
                null,
                null,
                null,
                null,
                time(level, "updated_at"),
                source("inventory_levels/update", null));
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isNull() || value.isMissingNode() || value.asText().isBlank() ? null : value.asText();
    }

    private static Instant time(JsonNode node, String field) {
        return ShopifyCatalogReader.time(node.path(field));
    }

    private static String source(String topic, String orderId) {
        return "{\"topic\":\"" + topic + "\"" + (orderId == null ? "" : ",\"order\":\"" + orderId + "\"") + "}";
    }
}
