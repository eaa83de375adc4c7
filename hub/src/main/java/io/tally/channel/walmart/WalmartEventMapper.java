package io.tally.channel.walmart;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.event.CanonicalEvent;
import io.tally.event.EventType;
import io.tally.event.InvalidEventException;
import io.tally.event.KeyKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Walmart orders (the {@code GET /v3/orders} JSON here, the event-notification payloads in
 * {@link WalmartNotifications}) → canonical events. A
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

    /** The orders of one {@code GET /v3/orders} page ({@code list.elements.order[]}). */
    static List<JsonNode> orders(JsonNode page) {
        List<JsonNode> out = new ArrayList<>();
        page.path("list").path("elements").path("order").forEach(out::add);
        return out;
    }

    /** One order's lines; a line Walmart describes inconsistently is an {@link InvalidEventException}. */
    static List<Line> lines(JsonNode order) {
        String po = WalmartJson.text(order, "purchaseOrderId");
        if (po == null) {
            throw new InvalidEventException("an order without purchaseOrderId");
        }
        Instant orderDate = WalmartJson.time(order.path("orderDate"));
        List<Line> lines = new ArrayList<>();
        for (JsonNode line : order.path("orderLines").path("orderLine")) {
            String lineNumber = WalmartJson.text(line, "lineNumber");
            String sku = WalmartJson.text(line.path("item"), "sku");
            if (lineNumber == null || sku == null) {
                throw new InvalidEventException("PO " + po + ": a line without lineNumber or item.sku");
            }
            long ordered = WalmartJson.amount(
                    line.path("orderLineQuantity").path("amount"),
                    "PO " + po + " line " + lineNumber + " orderLineQuantity.amount");
            Map<String, Long> byStatus = new LinkedHashMap<>();
            for (JsonNode status : line.path("orderLineStatuses").path("orderLineStatus")) {
                String name = WalmartJson.text(status, "status");
                if (name == null) {
                    continue;
                }
                byStatus.merge(
                        name,
                        WalmartJson.amount(
                                status.path("statusQuantity").path("amount"),
                                "PO " + po + " line " + lineNumber + " statusQuantity.amount"),
                        Long::sum);
            }
            lines.add(new Line(
                    po, lineNumber, sku, ordered, byStatus, orderDate, WalmartJson.time(line.path("statusDate"))));
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

    // ------------------------------------------------------------------ shared with WalmartNotifications

    /** Walmart spells the status {@code Cancelled} in the orders API and {@code CANCELLED} in notifications. */
    static boolean isCancelled(String status) {
        return status.equalsIgnoreCase("Cancelled") || status.equalsIgnoreCase("Canceled");
    }

    static List<CanonicalEvent> sale(
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

    static List<CanonicalEvent> cancellation(
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
}
