package io.tally.channel.walmart;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.event.CanonicalEvent;
import io.tally.event.EventType;
import io.tally.event.InvalidEventException;
import io.tally.event.KeyKind;

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
    record Line(String purchaseOrderId, String lineNumber, String sku, long ordered, Map<String, Long> byStatus,
            Instant orderDate, Instant statusDate) {
    }

    private WalmartEventMapper() {
    }

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
            long ordered = amount(line.path("orderLineQuantity").path("amount"), "PO " + po + " line " + lineNumber
                    + " orderLineQuantity.amount");
            Map<String, Long> byStatus = new LinkedHashMap<>();
            for (JsonNode status : line.path("orderLineStatuses").path("orderLineStatus")) {
                String name = text(status, "status");
                if (name == null) {
                    continue;
                }
                byStatus.merge(name, amount(status.path("statusQuantity").path("amount"), "PO " + po + " line "
                        + lineNumber + " statusQuantity.amount"), Long::sum);
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
        events.addAll(sale(store, line.purchaseOrderId(), line.lineNumber(), line.sku(), line.ordered(), released,
                line.orderDate(), source));
        long cancelled = 0;
        for (Map.Entry<String, Long> e : line.byStatus().entrySet()) {
            if ("Cancelled".equalsIgnoreCase(e.getKey()) || "Canceled".equalsIgnoreCase(e.getKey())) {
                cancelled += e.getValue();
            }
        }
        events.addAll(cancellation(store, line.purchaseOrderId(), line.lineNumber(), line.sku(),
                Math.min(cancelled, line.ordered()), line.ordered(), line.statusDate(), source));
        return events;
    }

    // ------------------------------------------------------------------ event notifications

    /**
     * A notification's events: {@code PO_CREATED} books its lines, {@code PO_LINE_AUTOCANCELLED} (and the
     * consolidated {@code ORDER_UPDATES} with that or {@code FRAUD_CANCEL} as {@code subEventType}) releases them.
     *
     * @return null when the event type does not move stock (shipped, intent to cancel, offers, reports...)
     */
    static List<CanonicalEvent> notification(String store, String eventType, JsonNode payload) {
        String type = eventType;
        if ("ORDER_UPDATES".equals(eventType)) {
            type = text(payload, "subEventType");
        }
        if (type == null) {
            throw new InvalidEventException("ORDER_UPDATES without payload.subEventType");
        }
        boolean created = type.equals("PO_CREATED");
        boolean cancelled = type.equals("PO_LINE_AUTOCANCELLED") || type.equals("FRAUD_CANCEL");
        if (!created && !cancelled) {
            return null;
        }
        String po = text(payload, "purchaseOrderId");
        if (po == null) {
            throw new InvalidEventException(type + " without payload.purchaseOrderId");
        }
        JsonNode lines = payload.path("orderLines");
        if (!lines.isArray() || lines.isEmpty()) {
            throw new InvalidEventException(type + " of PO " + po + " without payload.orderLines");
        }
        Instant at = time(payload.path("orderDate"));
        String source = "{\"eventType\":\"" + type + "\",\"po\":\"" + po + "\"}";
        List<CanonicalEvent> events = new ArrayList<>();
        for (JsonNode line : lines) {
            String lineNumber = text(line, "lineNumber");
            String sku = text(line, "sku");
            if (lineNumber == null || sku == null) {
                throw new InvalidEventException(type + " of PO " + po + ": a line without lineNumber or sku");
            }
            long quantity = amount(line.path("quantity").path("measurementValue"), type + " of PO " + po + " line "
                    + lineNumber + " quantity.measurementValue");
            if (quantity <= 0) {
                throw new InvalidEventException(type + " of PO " + po + " line " + lineNumber
                        + ": quantity must be positive");
            }
            events.addAll(created ? sale(store, po, lineNumber, sku, quantity, true, at, source)
                    : cancellation(store, po, lineNumber, sku, quantity, quantity, null, source));
        }
        return events;
    }

    // ------------------------------------------------------------------ shared

    private static List<CanonicalEvent> sale(String store, String po, String lineNumber, String sku, long quantity,
            boolean paid, Instant at, String source) {
        List<CanonicalEvent> events = new ArrayList<>();
        for (String stage : paid ? List.of("created", "paid") : List.of("created")) {
            events.add(new CanonicalEvent(lineKey(po, lineNumber) + "/" + stage, CHANNEL, store, EventType.SALE,
                    KeyKind.REF, KeyKind.REF.normalize(sku), quantity, po, lineNumber, stage, null, at, source));
        }
        return events;
    }

    private static List<CanonicalEvent> cancellation(String store, String po, String lineNumber, String sku,
            long cancelled, long ordered, Instant at, String source) {
        List<CanonicalEvent> events = new ArrayList<>();
        if (cancelled <= 0) {
            return events;
        }
        if (cancelled >= ordered) {
            events.add(new CanonicalEvent(lineKey(po, lineNumber) + "/cancelled", CHANNEL, store, EventType.CANCEL,
                    KeyKind.REF, KeyKind.REF.normalize(sku), cancelled, po, lineNumber, null, null, at, source));
            return events;
        }
        for (long unit = 1; unit <= cancelled; unit++) {
            events.add(new CanonicalEvent(lineKey(po, lineNumber) + "/cancelled/unit/" + unit, CHANNEL, store,
                    EventType.CANCEL, KeyKind.REF, KeyKind.REF.normalize(sku), 1, po, lineNumber, null, null, at,
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
        return value.isNull() || value.isMissingNode() || value.asText().isBlank() ? null : value.asText().trim();
    }
}
