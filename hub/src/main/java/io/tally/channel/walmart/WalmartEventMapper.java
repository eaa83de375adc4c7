package io.tally.channel.walmart;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.event.CanonicalEvent;
import io.tally.event.EventType;
import io.tally.event.InvalidEventException;
import io.tally.event.KeyKind;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Walmart orders (the {@code GET /v3/orders} JSON and the event-notification payloads) → canonical events. A
 * listing is named by the seller SKU (its ref). Every event id is a business key of the PO line, so an order told by
 * its {@code PO_CREATED} webhook, by a second delivery and by the poller is stored once:
 * <ul>
 *   <li>{@code order/<po>/line/<n>/created} and {@code .../paid}: the sale of the line's ordered quantity. Walmart
 *       releases a PO to the seller ({@code Created}) only once payment is complete, so every released line is both
 *       created and paid; a line still {@code OnHold} (payment or fraud check pending, where Walmart shows it) is only
 *       created. The store's {@code book-on} then decides: {@code paid} books released lines, {@code created} books
 *       held ones too.</li>
 *   <li>{@code order/<po>/line/<n>/cancelled}: the whole line cancelled; a partly cancelled line gives one event per
 *       cancelled unit ({@code .../cancelled/unit/<k>}), so a count that grows between polls adds only the new units.
 *       The ledger never releases more than the line booked.</li>
 * </ul>
 */
final class WalmartEventMapper {

    static final String CHANNEL = "walmart";

    /** A PO line as Walmart reports it: ordered quantity and quantities by status. */
    record Line(
            String purchaseOrderId,
            String lineNumber,
            String sku,
            long ordered,
            Map<String, Long> byStatus,
            Instant orderDate,
            Instant statusDate) {}

    private WalmartEventMapper() {}

    // ------------------------------------------------------------------ GET /v3/orders

    /** The orders of one {@code GET /v3/orders} page ({@code list.elements.order[]}). */
    static List<JsonNode> orders(JsonNode page) {
        List<JsonNode> out = new ArrayList<>();
        page.path("list").path("elements").path("order").forEach(out::add);
        return out;
    }

    /** One order's lines; a line Walmart describes inconsistently is an {@link InvalidEventException}. */
    static List<Line> lines(JsonNode order) {
        String po = text(order, "purchaseOrderId");
        if (po == null) {
            throw new InvalidEventException("an order without purchaseOrderId");
        }
        Instant orderDate = time(order.path("orderDate"));
        List<Line> lines = new ArrayList<>();
        for (JsonNode line : order.path("orderLines").path("orderLine")) {
            String lineNumber = text(line, "lineNumber");
            String sku = text(line.path("item"), "sku");
            if (lineNumber == null || sku == null) {
                throw new InvalidEventException("PO " + po + ": a line without lineNumber or item.sku");
            }
            long ordered = amount(
                    line.path("orderLineQuantity").path("amount"),
                    "PO " + po + " line " + lineNumber + " orderLineQuantity.amount");
            Map<String, Long> byStatus = new LinkedHashMap<>();
            for (JsonNode status : line.path("orderLineStatuses").path("orderLineStatus")) {
                String name = text(status, "status");
                if (name == null) {
                    continue;
                }
                byStatus.merge(
                        name,
                        amount(
                                status.path("statusQuantity").path("amount"),
                                "PO " + po + " line " + lineNumber + " statusQuantity.amount"),
                        Long::sum);
            }
            lines.add(new Line(po, lineNumber, sku, ordered, byStatus, orderDate, time(line.path("statusDate"))));
        }
        return lines;
    }

    /** What a line as read from the orders API amounts to: its sale and, when cancelled, what went back. */
    static List<CanonicalEvent> lineEvents(String store, Line line, String source) {
        List<CanonicalEvent> events = new ArrayList<>();
        if (line.ordered() <= 0) {
            return events;
        }
        boolean released = line.byStatus().isEmpty()
                || line.byStatus().keySet().stream().anyMatch(s -> !"OnHold".equalsIgnoreCase(s));
        events.addAll(sale(
                store,
                line.purchaseOrderId(),
                line.lineNumber(),
                line.sku(),
                line.ordered(),
                released,
                line.orderDate(),
                source));
        long cancelled = 0;
        for (Map.Entry<String, Long> e : line.byStatus().entrySet()) {
            if (isCancelled(e.getKey())) {
                cancelled += e.getValue();
            }
        }
        events.addAll(cancellation(
                store,
                line.purchaseOrderId(),
                line.lineNumber(),
                line.sku(),
                Math.min(cancelled, line.ordered()),
                line.ordered(),
                line.statusDate(),
                source));
        return events;
    }

    // ------------------------------------------------------------------ event notifications

    /** The order sub-events that move stock; any other (INTENT_TO_CANCEL, later additions) does not. */
    private static final java.util.Set<String> CREATED_EVENTS = java.util.Set.of("PO_CREATED");

    private static final java.util.Set<String> CANCELLED_EVENTS =
            java.util.Set.of("PO_LINE_AUTOCANCELLED", "FRAUD_CANCEL");

    /**
     * A notification's events, for the standalone events and the consolidated one:
     * <ul>
     *   <li>{@code PO_CREATED} / {@code PO_LINE_AUTOCANCELLED} (retired by Walmart on 2026-12-15): the order is the
     *       payload itself, lines in {@code payload.orderLines[]} (developer.walmart.com/us-marketplace/docs/
     *       purchase-order-po-created-event and .../purchase-order-po-line-auto-canceled-event).</li>
     *   <li>{@code ORDER_UPDATES} (developer.walmart.com/us-marketplace/docs/order-management-event, and the release
     *       note .../page/new-order-management-webhook-event of 2026-02-11): the concrete update is
     *       {@code payload.subEventType} ({@code PO_CREATED}, {@code PO_LINE_AUTOCANCELLED}, {@code INTENT_TO_CANCEL},
     *       {@code FRAUD_CANCEL}, and more to come) and the order is in {@code payload.order}. The page's parameter
     *       table lists {@code subEventType} after a {@code payload.meta} "container that describes the concrete order
     *       update" without showing the nesting, so {@code payload.meta.subEventType} is read when
     *       {@code payload.subEventType} is absent. The fields inside {@code payload.order} are not visible in the
     *       copy of the page we could read: they are read as the standalone events name them
     *       ({@code purchaseOrderId}, {@code orderDate}, {@code orderLines[]}); this is unverified.</li>
     * </ul>
     * {@code PO_CREATED} books its lines; {@code PO_LINE_AUTOCANCELLED} and {@code FRAUD_CANCEL} release them. A line
     * whose {@code status} is given and is not cancelled is left alone by a cancellation (the standalone page says
     * only the affected line is cancelled; whether {@code payload.order} lists the PO's other lines is not documented).
     *
     * @return null when the event does not move stock (intent to cancel, shipped, offers, reports, unknown sub-events)
     */
    static List<CanonicalEvent> notification(String store, String eventType, JsonNode payload) {
        String type = eventType;
        JsonNode order = payload;
        String source;
        if ("ORDER_UPDATES".equals(eventType)) {
            type = text(payload, "subEventType");
            if (type == null) {
                type = text(payload.path("meta"), "subEventType");
            }
            if (type == null) {
                throw new InvalidEventException("ORDER_UPDATES without payload.subEventType");
            }
            if (!CREATED_EVENTS.contains(type) && !CANCELLED_EVENTS.contains(type)) {
                return null;
            }
            order = payload.path("order");
            if (!order.isObject()) {
                throw new InvalidEventException("ORDER_UPDATES " + type + " without a payload.order object");
            }
            source = "{\"eventType\":\"ORDER_UPDATES\",\"subEventType\":\"" + type + "\",\"po\":\"";
        } else {
            source = "{\"eventType\":\"" + type + "\",\"po\":\"";
        }
        boolean created = CREATED_EVENTS.contains(type);
        boolean cancelled = CANCELLED_EVENTS.contains(type);
        if (!created && !cancelled) {
            return null;
        }
        String what = "ORDER_UPDATES".equals(eventType) ? "ORDER_UPDATES " + type : type;
        String prefix = "ORDER_UPDATES".equals(eventType) ? "payload.order." : "payload.";
        String po = text(order, "purchaseOrderId");
        if (po == null) {
            throw new InvalidEventException(what + " without " + prefix + "purchaseOrderId");
        }
        JsonNode lines = order.path("orderLines");
        if (!lines.isArray() || lines.isEmpty()) {
            throw new InvalidEventException(what + " of PO " + po + " without " + prefix + "orderLines");
        }
        Instant at = time(order.path("orderDate"));
        source = source + po + "\"}";
        List<CanonicalEvent> events = new ArrayList<>();
        for (JsonNode line : lines) {
            String lineNumber = text(line, "lineNumber");
            String sku = text(line, "sku");
            if (lineNumber == null || sku == null) {
                throw new InvalidEventException(what + " of PO " + po + ": a line without lineNumber or sku");
            }
            long quantity = amount(
                    line.path("quantity").path("measurementValue"),
                    what + " of PO " + po + " line " + lineNumber + " quantity.measurementValue");
            if (quantity <= 0) {
                throw new InvalidEventException(
                        what + " of PO " + po + " line " + lineNumber + ": quantity must be positive");
            }
            String status = text(line, "status");
            if (cancelled && status != null && !isCancelled(status)) {
                continue;
            }
            events.addAll(
                    created
                            ? sale(store, po, lineNumber, sku, quantity, true, at, source)
                            : cancellation(
                                    store,
                                    po,
                                    lineNumber,
                                    sku,
                                    quantity,
                                    quantity,
                                    time(line.path("statusDate")),
                                    source));
        }
        return events;
    }

    /** Walmart spells the status {@code Cancelled} in the orders API and {@code CANCELLED} in notifications. */
    private static boolean isCancelled(String status) {
        return status.equalsIgnoreCase("Cancelled") || status.equalsIgnoreCase("Canceled");
    }

    // ------------------------------------------------------------------ shared

    private static List<CanonicalEvent> sale(
            String store,
            String po,
            String lineNumber,
            String sku,
            long quantity,
            boolean paid,
            Instant at,
            String source) {
        List<CanonicalEvent> events = new ArrayList<>();
        for (String stage : paid ? List.of("created", "paid") : List.of("created")) {
            events.add(new CanonicalEvent(
                    lineKey(po, lineNumber) + "/" + stage,
                    CHANNEL,
                    store,
                    EventType.SALE,
                    KeyKind.REF,
                    KeyKind.REF.normalize(sku),
                    quantity,
                    po,
                    lineNumber,
                    stage,
                    null,
                    at,
                    source));
        }
        return events;
    }

    private static List<CanonicalEvent> cancellation(
            String store,
            String po,
            String lineNumber,
            String sku,
            long cancelled,
            long ordered,
            Instant at,
            String source) {
        List<CanonicalEvent> events = new ArrayList<>();
        if (cancelled <= 0) {
            return events;
        }
        if (cancelled >= ordered) {
            events.add(new CanonicalEvent(
                    lineKey(po, lineNumber) + "/cancelled",
                    CHANNEL,
                    store,
                    EventType.CANCEL,
                    KeyKind.REF,
                    KeyKind.REF.normalize(sku),
                    cancelled,
                    po,
                    lineNumber,
                    null,
                    null,
                    at,
                    source));
            return events;
        }
        for (long unit = 1; unit <= cancelled; unit++) {
            events.add(new CanonicalEvent(
                    lineKey(po, lineNumber) + "/cancelled/unit/" + unit,
                    CHANNEL,
                    store,
                    EventType.CANCEL,
                    KeyKind.REF,
                    KeyKind.REF.normalize(sku),
                    1,
                    po,
                    lineNumber,
                    null,
                    null,
                    at,
                    source));
        }
        return events;
    }

    private static String lineKey(String po, String lineNumber) {
        return "order/" + po + "/line/" + lineNumber;
    }

    /** Walmart sends quantities as strings ({@code "2"}) in the orders API and as numbers in notifications. */
    static long amount(JsonNode node, String what) {
        if (node.isIntegralNumber()) {
            return node.asLong();
        }
        if (node.isTextual() || node.isNumber()) {
            try {
                BigDecimal value = new BigDecimal(node.asText().trim());
                if (value.signum() >= 0 && value.stripTrailingZeros().scale() <= 0) {
                    return value.longValueExact();
                }
            } catch (NumberFormatException | ArithmeticException e) {
                // reported below
            }
        }
        throw new InvalidEventException(what + " is not a whole number of at least 0: " + node);
    }

    /** Epoch milliseconds (orders API) or ISO-8601 (notifications); null when absent or unreadable. */
    static Instant time(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (node.isNumber()) {
            return Instant.ofEpochMilli(node.asLong());
        }
        String s = node.asText().trim();
        if (s.isEmpty()) {
            return null;
        }
        if (s.chars().allMatch(Character::isDigit)) {
            return Instant.ofEpochMilli(Long.parseLong(s));
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isNull() || value.isMissingNode() || value.asText().isBlank()
                ? null
                : value.asText().trim();
    }
}
