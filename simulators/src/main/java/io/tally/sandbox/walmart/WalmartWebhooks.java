package io.tally.sandbox.walmart;

import static io.tally.sandbox.walmart.WalmartSimulator.LEGACY_ORDER_EVENTS_RETIRED;
import static io.tally.sandbox.walmart.WalmartSimulator.ORDER_UPDATES;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tally.sandbox.walmart.WalmartSimulator.Delivery;
import io.tally.sandbox.walmart.WalmartStore.Order;
import io.tally.sandbox.walmart.WalmartStore.OrderLine;
import io.tally.sandbox.walmart.WalmartStore.Seller;
import java.io.IOException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Event notifications (webhooks): the order events, Walmart's envelope
 * {@code {"source":{eventType, eventTime, eventId}, "payload":{...}}}, and which events a seller gets. Settings are
 * guarded by the store's lock; {@link WalmartWebhookDelivery} sends them (signed, retried, possibly duplicated).
 */
final class WalmartWebhooks {

    private final WalmartStore store;
    private final WalmartJson json;
    private final WalmartWebhookDelivery delivery;

    // guarded by store.lock
    private boolean notifyOnShip = true;
    private Boolean legacyOrderEvents; // null: until LEGACY_ORDER_EVENTS_RETIRED by the clock
    private boolean orderUpdatesEvents = true;

    WalmartWebhooks(WalmartStore store, WalmartJson json) {
        this.store = store;
        this.json = json;
        this.delivery = new WalmartWebhookDelivery(store);
    }

    /** Deliveries start running on {@code pool} (the HTTP server's). */
    void attach(ScheduledExecutorService pool) {
        delivery.attach(pool);
    }

    /** The simulator stopped: nothing more is delivered. */
    void detach() {
        delivery.detach();
    }

    void webhook(String sellerId, String url, String secret) {
        synchronized (store.lock) {
            Seller s = store.requireSeller(sellerId);
            s.webhookUrl = url;
            s.webhookSecret = secret;
        }
    }

    void webhookRetryDelays(Duration... delays) {
        delivery.webhookRetryDelays(delays);
    }

    void webhookTimeout(Duration d) {
        delivery.webhookTimeout(d);
    }

    void duplicateProbability(double p) {
        delivery.duplicateProbability(p);
    }

    void notifyOnShip(boolean b) {
        synchronized (store.lock) {
            notifyOnShip = b;
        }
    }

    void legacyOrderEvents(Boolean b) {
        synchronized (store.lock) {
            legacyOrderEvents = b;
        }
    }

    void orderUpdatesEvents(boolean b) {
        synchronized (store.lock) {
            orderUpdatesEvents = b;
        }
    }

    /** Every webhook delivery attempt, oldest first. */
    List<Delivery> deliveries() {
        return delivery.deliveries();
    }

    /** Forgets the recorded deliveries. Caller holds the lock. */
    void clear() {
        delivery.clear();
    }

    /**
     * An order event as the seller's subscriptions would receive it: the standalone event (until Walmart retires it,
     * or per {@link #legacyOrderEvents(Boolean)}) and {@code ORDER_UPDATES} with it as {@code subEventType} (per
     * {@link #orderUpdatesEvents(boolean)}). Caller holds the lock.
     */
    void notifyOrder(Order o, String orderEvent, List<OrderLine> lines) {
        boolean legacy =
                legacyOrderEvents != null ? legacyOrderEvents : store.now().isBefore(LEGACY_ORDER_EVENTS_RETIRED);
        if (legacy) {
            notify(o, orderEvent, lines);
        }
        if (orderUpdatesEvents) {
            notifyOrderUpdate(o, orderEvent, lines);
        }
    }

    /** The simulator-only {@code PO_LINE_SHIPPED} for the lines just shipped, if switched on. Caller holds the lock. */
    void notifyShipped(Order o, List<OrderLine> shipped) {
        if (notifyOnShip && !shipped.isEmpty()) {
            notify(o, "PO_LINE_SHIPPED", shipped);
        }
    }

    /**
     * {@code ORDER_UPDATES} (developer.walmart.com/us-marketplace/docs/order-management-event, updated 2026-04-12):
     * {@code source} has {@code eventType} (always ORDER_UPDATES), {@code eventFilters} ("reserved for future use; may
     * be null"), {@code eventTime} (ISO 8601 UTC) and {@code eventId} (unique per delivery); {@code payload} has
     * {@code subEventType} and the {@code order} block. The page's {@code payload.meta} container is not sent: its
     * content is not shown in the copy of the page we could read. Nor is the order block's content, so it carries the
     * fields of the standalone event ({@link #orderEventPayload}): an assumption, unverified. Caller holds the lock.
     */
    private void notifyOrderUpdate(Order o, String subEventType, List<OrderLine> lines) {
        ObjectNode payload = json.mapper.createObjectNode();
        payload.put("subEventType", subEventType);
        payload.set("order", orderEventPayload(o, lines));
        deliverEvent(o, ORDER_UPDATES, payload, true);
    }

    /** Queues one standalone event for the order's seller. Caller holds the lock. */
    private void notify(Order o, String eventType, List<OrderLine> lines) {
        deliverEvent(o, eventType, orderEventPayload(o, lines), false);
    }

    /**
     * The order of a standalone order event, as the PO created / PO line auto-canceled event pages list it
     * (developer.walmart.com/us-marketplace/docs/purchase-order-po-created-event and
     * .../purchase-order-po-line-auto-canceled-event): {@code partnerId}, {@code purchaseOrderId},
     * {@code customerOrderId}, {@code orderDate}, {@code estimatedDeliveryDate}, {@code estimatedShipDate} (strings)
     * and {@code orderLines[]} with {@code lineNumber}, {@code sku}, {@code productName},
     * {@code quantity{unitOfMeasure, measurementValue}} ("numeric string. Example: 1"), {@code status} ("Example:
     * CREATED" / "CANCELLED"), {@code statusDate} (ISO-8601, UTC). The auto-cancel page's {@code cancellationReason} is
     * not sent (its example is cut short in our copy). The date strings' format is not given for the order dates; ISO 8601 is sent. Other documented line fields
     * (shipping program, method, node) are left out. {@code PO_LINE_SHIPPED} is a simulator-only event of the same
     * shape. Caller holds the lock.
     */
    private ObjectNode orderEventPayload(Order o, List<OrderLine> lines) {
        ObjectNode payload = json.mapper.createObjectNode();
        payload.put("partnerId", o.sellerId);
        payload.put("purchaseOrderId", o.po);
        payload.put("customerOrderId", o.customerOrderId);
        payload.put("orderDate", o.orderDate.truncatedTo(ChronoUnit.MILLIS).toString());
        payload.put(
                "estimatedDeliveryDate",
                o.orderDate
                        .plus(Duration.ofDays(5))
                        .truncatedTo(ChronoUnit.MILLIS)
                        .toString());
        payload.put(
                "estimatedShipDate",
                o.orderDate
                        .plus(Duration.ofDays(2))
                        .truncatedTo(ChronoUnit.MILLIS)
                        .toString());
        ArrayNode arr = payload.putArray("orderLines");
        for (OrderLine l : lines) {
            ObjectNode n = arr.addObject();
            n.put("lineNumber", l.lineNumber);
            n.put("sku", l.sku);
            n.put("productName", l.productName);
            ObjectNode qn = n.putObject("quantity");
            qn.put("unitOfMeasure", "EACH");
            qn.put("measurementValue", Integer.toString(l.quantity));
            n.put("status", l.status.name().toUpperCase(java.util.Locale.ROOT));
            n.put("statusDate", l.statusDate.truncatedTo(ChronoUnit.MILLIS).toString());
        }
        return payload;
    }

    /** Queues one notification for the order's seller, if it has a webhook. Caller holds the lock. */
    private void deliverEvent(Order o, String eventType, ObjectNode payload, boolean withEventFilters) {
        Seller s = store.sellers.get(o.sellerId);
        if (s == null || s.webhookUrl == null || !delivery.attached()) {
            return;
        }
        ObjectNode root = json.mapper.createObjectNode();
        ObjectNode source = root.putObject("source");
        String eventId = UUID.randomUUID().toString();
        source.put("eventType", eventType);
        if (withEventFilters) {
            source.putNull("eventFilters");
        }
        source.put("eventTime", store.now().truncatedTo(ChronoUnit.MILLIS).toString());
        source.put("eventId", eventId);
        root.set("payload", payload);
        String body;
        try {
            body = json.mapper.writeValueAsString(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String url = s.webhookUrl;
        String secret = s.webhookSecret;
        delivery.start(eventId, eventType, url, secret, body);
    }
}
