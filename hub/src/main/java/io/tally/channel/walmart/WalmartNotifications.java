package io.tally.channel.walmart;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.event.CanonicalEvent;
import io.tally.event.InvalidEventException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Walmart event notifications (the webhook envelope's {@code source.eventType} and {@code payload}) → canonical
 * events, with the same business-key ids as the orders API ({@link WalmartEventMapper}).
 */
final class WalmartNotifications {

    /** The order sub-events that move stock; any other (INTENT_TO_CANCEL, later additions) does not. */
    private static final Set<String> CREATED_EVENTS = Set.of("PO_CREATED");

    private static final Set<String> CANCELLED_EVENTS = Set.of("PO_LINE_AUTOCANCELLED", "FRAUD_CANCEL");

    private WalmartNotifications() {}

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
    static List<CanonicalEvent> events(String store, String eventType, JsonNode payload) {
        String type = eventType;
        JsonNode order = payload;
        String source;
        if ("ORDER_UPDATES".equals(eventType)) {
            type = WalmartJson.text(payload, "subEventType");
            if (type == null) {
                type = WalmartJson.text(payload.path("meta"), "subEventType");
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
        String po = WalmartJson.text(order, "purchaseOrderId");
        if (po == null) {
            throw new InvalidEventException(what + " without " + prefix + "purchaseOrderId");
        }
        JsonNode lines = order.path("orderLines");
        if (!lines.isArray() || lines.isEmpty()) {
            throw new InvalidEventException(what + " of PO " + po + " without " + prefix + "orderLines");
        }
        Instant at = WalmartJson.time(order.path("orderDate"));
        source = source + po + "\"}";
        List<CanonicalEvent> events = new ArrayList<>();
        for (JsonNode line : lines) {
            String lineNumber = WalmartJson.text(line, "lineNumber");
            String sku = WalmartJson.text(line, "sku");
            if (lineNumber == null || sku == null) {
                throw new InvalidEventException(what + " of PO " + po + ": a line without lineNumber or sku");
            }
            long quantity = WalmartJson.amount(
                    line.path("quantity").path("measurementValue"),
                    what + " of PO " + po + " line " + lineNumber + " quantity.measurementValue");
            if (quantity <= 0) {
                throw new InvalidEventException(
                        what + " of PO " + po + " line " + lineNumber + ": quantity must be positive");
            }
            String status = WalmartJson.text(line, "status");
            if (cancelled && status != null && !WalmartEventMapper.isCancelled(status)) {
                continue;
            }
            events.addAll(
                    created
                            ? WalmartEventMapper.sale(store, po, lineNumber, sku, quantity, true, at, source)
                            : WalmartEventMapper.cancellation(
                                    store,
                                    po,
                                    lineNumber,
                                    sku,
                                    quantity,
                                    quantity,
                                    WalmartJson.time(line.path("statusDate")),
                                    source));
        }
        return events;
    }
}
