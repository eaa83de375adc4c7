package io.tally.sandbox.amazon;

import static io.tally.sandbox.amazon.AmazonJson.format;
import static io.tally.sandbox.amazon.AmazonSimulator.US_MARKETPLACE;
import static io.tally.sandbox.amazon.AmazonText.blank;
import static io.tally.sandbox.amazon.AmazonText.csv;
import static io.tally.sandbox.amazon.AmazonText.parseDate;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tally.sandbox.amazon.AmazonSimulator.OrderStatus;
import io.tally.sandbox.amazon.AmazonStore.Item;
import io.tally.sandbox.amazon.AmazonStore.Order;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Orders API v0: {@code getOrders} (the CreatedAfter/LastUpdatedAfter exclusivity, the "Before must be at least 2
 * minutes ago" rule, MaxResultsPerPage 1..100 and NextToken paging on a snapshot of the matching order ids taken at
 * the first page) and {@code getOrderItems}.
 */
final class AmazonOrdersApi {

    private static final Set<String> KNOWN_STATUSES = Set.of(
            "PendingAvailability",
            "Pending",
            "Unshipped",
            "PartiallyShipped",
            "Shipped",
            "InvoiceUnconfirmed",
            "Canceled",
            "Unfulfillable");

    private record Page(String sellerId, List<String> remaining, int pageSize, String boundName, String boundValue) {}

    private final AmazonStore store;
    private final AmazonJson json;
    private final Map<String, Page> pages = new HashMap<>(); // guarded by store.lock
    private Duration beforeMinAge = Duration.ofMinutes(2);

    AmazonOrdersApi(AmazonStore store, AmazonJson json) {
        this.store = store;
        this.json = json;
    }

    void beforeMinAge(Duration d) {
        synchronized (store.lock) {
            beforeMinAge = d;
        }
    }

    /** Forgets the NextToken pages. Caller holds the lock. */
    void clear() {
        pages.clear();
    }

    AmazonReply getOrders(String sellerId, Map<String, String> q) {
        synchronized (store.lock) {
            Instant now = store.now();
            if (blank(q.get("MarketplaceIds"))) {
                return json.invalid("MarketplaceIds is required.");
            }
            Page page;
            String next = q.get("NextToken");
            if (next != null) {
                page = pages.get(next);
                if (page == null || !page.sellerId().equals(sellerId)) {
                    return json.invalid("Invalid NextToken.");
                }
            } else {
                boolean created = q.containsKey("CreatedAfter") || q.containsKey("CreatedBefore");
                boolean updated = q.containsKey("LastUpdatedAfter") || q.containsKey("LastUpdatedBefore");
                if (created && updated) {
                    return json.invalid(
                            "CreatedAfter/CreatedBefore cannot be combined with LastUpdatedAfter/LastUpdatedBefore.");
                }
                if (!q.containsKey("CreatedAfter")
                        && !q.containsKey("LastUpdatedAfter")
                        && blank(q.get("AmazonOrderIds"))) {
                    return json.invalid("Exactly one of CreatedAfter and LastUpdatedAfter is required.");
                }
                String afterName = created ? "CreatedAfter" : "LastUpdatedAfter";
                String beforeName = created ? "CreatedBefore" : "LastUpdatedBefore";
                Instant after;
                Instant before;
                try {
                    after = q.containsKey(afterName) ? parseDate(q.get(afterName)) : Instant.EPOCH;
                    before = q.containsKey(beforeName) ? parseDate(q.get(beforeName)) : null;
                } catch (DateTimeParseException e) {
                    return json.invalid("Invalid date: " + e.getParsedString() + ". Use ISO 8601.");
                }
                if (before != null && before.isAfter(now.minus(beforeMinAge))) {
                    return json.invalid(beforeName + " must be no later than " + beforeMinAge.toMinutes()
                            + " minutes before the time the request was submitted.");
                }
                if (before != null && !before.isAfter(after)) {
                    return json.invalid(beforeName + " must be after " + afterName + ".");
                }
                if (after.isAfter(now)) {
                    return json.invalid(afterName + " must not be in the future.");
                }
                int max = 100;
                if (q.containsKey("MaxResultsPerPage")) {
                    try {
                        max = Integer.parseInt(q.get("MaxResultsPerPage"));
                    } catch (NumberFormatException e) {
                        max = -1;
                    }
                    if (max < 1 || max > 100) {
                        return json.invalid("MaxResultsPerPage must be between 1 and 100.");
                    }
                }
                Set<String> markets = csv(q.get("MarketplaceIds"));
                Set<String> statuses = csv(q.get("OrderStatuses"));
                for (String s : statuses) {
                    if (!KNOWN_STATUSES.contains(s)) {
                        return json.invalid("Invalid OrderStatuses value: " + s + ".");
                    }
                }
                Set<String> channels = csv(q.get("FulfillmentChannels"));
                Set<String> ids = csv(q.get("AmazonOrderIds"));
                Instant upper = before == null ? now : before;
                List<String> matching = store.orders.values().stream()
                        .filter(o -> o.sellerId.equals(sellerId))
                        .filter(o -> markets.contains(US_MARKETPLACE))
                        .filter(o -> statuses.isEmpty() || statuses.contains(o.status.name()))
                        .filter(o -> channels.isEmpty() || channels.contains("MFN"))
                        .filter(o -> ids.isEmpty() || ids.contains(o.id))
                        .filter(o -> {
                            Instant t = created ? o.purchaseDate : o.lastUpdate;
                            return !t.isBefore(after) && !t.isAfter(upper);
                        })
                        .sorted(Comparator.comparing((Order o) -> created ? o.purchaseDate : o.lastUpdate)
                                .thenComparing(o -> o.id))
                        .map(o -> o.id)
                        .toList();
                page = new Page(sellerId, matching, max, beforeName, format(upper));
            }
            List<String> slice = page.remaining()
                    .subList(0, Math.min(page.pageSize(), page.remaining().size()));
            List<String> rest =
                    page.remaining().subList(slice.size(), page.remaining().size());
            ArrayNode list = json.mapper.createArrayNode();
            for (String id : slice) {
                Order o = store.orders.get(id);
                if (o != null) {
                    list.add(orderJson(o));
                }
            }
            ObjectNode payload = json.mapper.createObjectNode();
            payload.set("Orders", list);
            if (!rest.isEmpty()) {
                String token = store.randomAlnum(40) + "==";
                pages.put(
                        token,
                        new Page(sellerId, List.copyOf(rest), page.pageSize(), page.boundName(), page.boundValue()));
                payload.put("NextToken", token);
            }
            payload.put(page.boundName(), page.boundValue());
            ObjectNode root = json.mapper.createObjectNode();
            root.set("payload", payload);
            return new AmazonReply(200, root);
        }
    }

    AmazonReply getOrderItems(String sellerId, String orderId) {
        synchronized (store.lock) {
            Order o = store.orders.get(orderId);
            if (o == null || !o.sellerId.equals(sellerId)) {
                return new AmazonReply(404, json.errors("NotFound", "Order " + orderId + " not found.", ""));
            }
            // payload{AmazonOrderId, OrderItems[], NextToken?} with OrderItem fields as in ordersV0.json
            // (definitions.OrderItemsList and OrderItem; IsGift is a string there, as in the model's example).
            ArrayNode items = json.mapper.createArrayNode();
            for (Item i : o.items) {
                ObjectNode n = items.addObject();
                n.put("ASIN", i.asin);
                n.put("SellerSKU", i.sku);
                n.put("OrderItemId", i.orderItemId);
                n.put("Title", i.title);
                n.put("QuantityOrdered", i.ordered);
                n.put("QuantityShipped", i.shipped);
                n.set("ItemPrice", json.money(i.price));
                n.put("IsGift", "false");
            }
            ObjectNode payload = json.mapper.createObjectNode();
            payload.set("OrderItems", items);
            payload.put("AmazonOrderId", o.id);
            ObjectNode root = json.mapper.createObjectNode();
            root.set("payload", payload);
            return new AmazonReply(200, root);
        }
    }

    /**
     * An {@code Order} of getOrders, fields and types as in ordersV0.json (amzn/selling-partner-api-models at
     * 34dc93fe, definitions.Order; required: AmazonOrderId, PurchaseDate, LastUpdateDate, OrderStatus). Checked field
     * by field against that file for this version; the model's own example is its getOrders TEST_CASE_200 sandbox
     * response (src/test/resources/amazon/get-orders.json).
     */
    private ObjectNode orderJson(Order o) {
        ObjectNode n = json.mapper.createObjectNode();
        n.put("AmazonOrderId", o.id);
        n.put("PurchaseDate", format(o.purchaseDate));
        n.put("LastUpdateDate", format(o.lastUpdate));
        n.put("OrderStatus", o.status.name());
        n.put("FulfillmentChannel", "MFN");
        n.put("SalesChannel", "Amazon.com");
        n.put("OrderType", "StandardOrder");
        n.put("MarketplaceId", US_MARKETPLACE);
        int shipped = o.items.stream().mapToInt(i -> i.shipped).sum();
        int unshipped = o.status == OrderStatus.Canceled
                ? 0
                : o.items.stream().mapToInt(i -> i.ordered - i.shipped).sum();
        n.put("NumberOfItemsShipped", shipped);
        n.put("NumberOfItemsUnshipped", unshipped);
        if (o.status != OrderStatus.Pending) {
            n.set(
                    "OrderTotal",
                    json.money(o.items.stream().map(i -> i.price).reduce(BigDecimal.ZERO, BigDecimal::add)));
        }
        n.put("IsReplacementOrder", false);
        n.put("IsPrime", false);
        n.put("IsBusinessOrder", false);
        return n;
    }
}
