package io.tally.channel.amazon;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.event.CanonicalEvent;
import io.tally.event.EventType;
import io.tally.event.KeyKind;
import io.tally.policy.StoreProperties.BookOn;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * An Amazon order (Orders v0) as the poller sees it now → canonical events. Ids are business keys
 * ({@code order/<AmazonOrderId>/item/<OrderItemId>/<stage>}), so the same state read again by an overlapping poll is
 * stored once, and the ledger books each line once whatever stages it hears of:
 * <ul>
 *   <li>{@code Pending} (placed, payment not authorised) → a sale at stage {@code created}: booked by stores with
 *       {@code book-on: created};</li>
 *   <li>{@code Unshipped}, {@code PartiallyShipped}, {@code Shipped}, {@code InvoiceUnconfirmed} → stages
 *       {@code created} and {@code paid}: booked by every store;</li>
 *   <li>{@code Canceled} → a cancel per line: releases what was booked. When the order never reached the stage the
 *       store books on (seen only Pending on a {@code book-on: paid} store, or first seen cancelled) the cancel says
 *       so ({@link CanonicalEvent#CAUSE_UNBOOKED}): nothing to release, but Amazon put the units back on its own
 *       shelf, so the listing's level is pushed again.</li>
 * </ul>
 * Listings are named by SellerSKU (an Amazon listing's ref).
 */
final class AmazonOrderMapper {

    static final String CREATED = "created";
    static final String PAID = "paid";

    private static final Set<String> PLACED = Set.of("Pending", "PendingAvailability");
    private static final Set<String> AUTHORISED =
            Set.of("Unshipped", "PartiallyShipped", "Shipped", "InvoiceUnconfirmed");
    static final String CANCELED = "Canceled";

    private AmazonOrderMapper() {}

    /** One order line as getOrderItems listed it. */
    record Item(String id, String sku, long quantity) {}

    /** @param saleStage the furthest sale stage announced after these events (null when none) */
    record Mapped(List<CanonicalEvent> events, String saleStage) {}

    /**
     * @param previousStage the furthest sale stage announced for this order before, null when none
     */
    static Mapped map(String store, BookOn bookOn, JsonNode order, List<Item> items, String previousStage) {
        String orderId = text(order, "AmazonOrderId");
        String status = text(order, "OrderStatus");
        List<CanonicalEvent> events = new ArrayList<>();
        String source = "{\"source\":\"getOrders\",\"order\":\"" + orderId + "\",\"status\":\"" + status + "\"}";
        Instant updated = time(order, "LastUpdateDate");
        if (CANCELED.equals(status)) {
            boolean booked = bookOn == BookOn.CREATED ? previousStage != null : PAID.equals(previousStage);
            for (Item item : items) {
                if (item.quantity() <= 0) {
                    continue;
                }
                events.add(new CanonicalEvent(
                        "order/" + orderId + "/item/" + item.id() + "/cancel",
                        "amazon",
                        store,
                        EventType.CANCEL,
                        KeyKind.REF,
                        item.sku(),
                        item.quantity(),
                        orderId,
                        item.id(),
                        null,
                        booked ? null : CanonicalEvent.CAUSE_UNBOOKED,
                        updated,
                        source));
            }
            return new Mapped(events, previousStage);
        }
        List<String> stages = PLACED.contains(status)
                ? List.of(CREATED)
                : AUTHORISED.contains(status) ? List.of(CREATED, PAID) : List.of();
        Instant purchased = time(order, "PurchaseDate");
        for (Item item : items) {
            if (item.quantity() <= 0) {
                continue;
            }
            for (String stage : stages) {
                events.add(new CanonicalEvent(
                        "order/" + orderId + "/item/" + item.id() + "/" + stage,
                        "amazon",
                        store,
                        EventType.SALE,
                        KeyKind.REF,
                        item.sku(),
                        item.quantity(),
                        orderId,
                        item.id(),
                        stage,
                        null,
                        stage.equals(CREATED) ? purchased : updated,
                        source));
            }
        }
        String stage = stages.contains(PAID) || PAID.equals(previousStage)
                ? PAID
                : stages.contains(CREATED) ? CREATED : previousStage;
        return new Mapped(events, stage);
    }

    /**
     * One {@code OrderItem} of getOrderItems ({@code payload.OrderItems[]}; ordersV0.json definitions.OrderItem:
     * {@code OrderItemId} and {@code QuantityOrdered} are required, {@code SellerSKU} optional), or null when the line
     * has no id, no SellerSKU (Tally names listings by it) or no whole {@code QuantityOrdered} of at least 0.
     */
    static Item item(JsonNode orderItem) {
        String id = text(orderItem, "OrderItemId");
        String sku = text(orderItem, "SellerSKU");
        JsonNode quantity = orderItem.path("QuantityOrdered");
        if (id == null || sku == null || !quantity.canConvertToLong() || quantity.asLong() < 0) {
            return null;
        }
        return new Item(id, sku, quantity.asLong());
    }

    static boolean isKnownStatus(String status) {
        return PLACED.contains(status) || AUTHORISED.contains(status) || CANCELED.equals(status);
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isNull() || value.isMissingNode() || value.asText().isBlank()
                ? null
                : value.asText().trim();
    }

    static Instant time(JsonNode node, String field) {
        String value = text(node, field);
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            try {
                return java.time.OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }
}
