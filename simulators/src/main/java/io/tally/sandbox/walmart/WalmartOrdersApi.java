package io.tally.sandbox.walmart;

import static io.tally.sandbox.walmart.WalmartText.date;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tally.sandbox.walmart.WalmartSimulator.LineStatus;
import io.tally.sandbox.walmart.WalmartStore.Order;
import io.tally.sandbox.walmart.WalmartStore.OrderLine;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Orders (read): {@code GET /v3/orders} with Walmart's filters and cursor paging ({@code list.meta.nextCursor} is a
 * query string to append verbatim to {@code /v3/orders}; keyset on the last PO served, newest orders first) and
 * {@code GET /v3/orders/{purchaseOrderId}}. Dates are epoch milliseconds and quantity amounts are strings, as Walmart
 * sends them.
 */
final class WalmartOrdersApi {

    private static final Comparator<Order> NEWEST_FIRST =
            Comparator.comparing((Order o) -> o.orderDate).reversed().thenComparing(o -> o.po);

    private final WalmartStore store;
    private final WalmartJson json;
    private boolean emptyOrdersAs404 = true; // guarded by store.lock

    WalmartOrdersApi(WalmartStore store, WalmartJson json) {
        this.store = store;
        this.json = json;
    }

    void emptyOrdersAs404(boolean b) {
        synchronized (store.lock) {
            emptyOrdersAs404 = b;
        }
    }

    WalmartReply getAllOrders(String sellerId, Map<String, String> q) {
        synchronized (store.lock) {
            Instant now = store.now();
            int limit = 100;
            if (q.containsKey("limit")) {
                try {
                    limit = Integer.parseInt(q.get("limit"));
                } catch (NumberFormatException e) {
                    limit = -1;
                }
                if (limit < 1 || limit > 200) {
                    return json.invalidParam("limit", "limit must be between 1 and 200");
                }
            }
            Instant createdStart;
            Instant createdEnd;
            Instant modifiedStart;
            Instant modifiedEnd;
            try {
                createdStart = date(q.get("createdStartDate"));
                createdEnd = date(q.get("createdEndDate"));
                modifiedStart = date(q.get("lastModifiedStartDate"));
                modifiedEnd = date(q.get("lastModifiedEndDate"));
            } catch (DateTimeParseException | NumberFormatException e) {
                return json.invalidParam(
                        "date", "Dates must be ISO 8601 (yyyy-MM-dd or with time) or epoch milliseconds");
            }
            if (createdStart == null && modifiedStart == null) {
                createdStart = now.minus(Duration.ofDays(7));
            }
            String status = q.get("status");
            if (status != null
                    && !List.of("Created", "Acknowledged", "Shipped", "Delivered", "Cancelled")
                            .contains(status)) {
                return json.invalidParam("status", "Invalid status " + status);
            }
            Instant cs = createdStart;
            Instant floor = now.minus(Duration.ofDays(180));
            List<Order> matching = store.orders.values().stream()
                    .filter(o -> o.sellerId.equals(sellerId))
                    .filter(o -> !o.orderDate.isBefore(floor))
                    .filter(o -> cs == null || !o.orderDate.isBefore(cs))
                    .filter(o -> createdEnd == null || !o.orderDate.isAfter(createdEnd))
                    .filter(o -> modifiedStart == null || !o.lastModified.isBefore(modifiedStart))
                    .filter(o -> modifiedEnd == null || !o.lastModified.isAfter(modifiedEnd))
                    .filter(o -> status == null
                            || o.lines.stream().anyMatch(l -> l.status.name().equals(status)))
                    .filter(o -> q.get("sku") == null || o.lines.stream().anyMatch(l -> l.sku.equals(q.get("sku"))))
                    .filter(o -> q.get("purchaseOrderId") == null || o.po.equals(q.get("purchaseOrderId")))
                    .filter(o -> q.get("customerOrderId") == null || o.customerOrderId.equals(q.get("customerOrderId")))
                    .sorted(NEWEST_FIRST)
                    .toList();
            int start = 0;
            int served = 0;
            if ("true".equals(q.get("hasMoreElements")) && q.containsKey("poIndex")) {
                Order last = store.orders.get(q.get("poIndex"));
                if (last == null) {
                    return json.invalidParam("nextCursor", "Invalid cursor");
                }
                while (start < matching.size() && NEWEST_FIRST.compare(matching.get(start), last) <= 0) {
                    start++;
                }
                try {
                    served = Integer.parseInt(q.getOrDefault("soIndex", "0"));
                } catch (NumberFormatException e) {
                    return json.invalidParam("nextCursor", "Invalid cursor");
                }
            }
            List<Order> page = matching.subList(start, Math.min(matching.size(), start + limit));
            if (matching.isEmpty() && emptyOrdersAs404) {
                return new WalmartReply(404, noOrdersFound());
            }
            String nextCursor = null;
            if (start + page.size() < matching.size()) {
                Map<String, String> cursor = new LinkedHashMap<>();
                cursor.put("limit", Integer.toString(limit));
                cursor.put("hasMoreElements", "true");
                cursor.put("soIndex", Integer.toString(served + page.size()));
                cursor.put("poIndex", page.get(page.size() - 1).po);
                cursor.put("partnerId", sellerId);
                cursor.put("sellerId", sellerId);
                for (String k : List.of(
                        "createdStartDate",
                        "createdEndDate",
                        "lastModifiedStartDate",
                        "lastModifiedEndDate",
                        "status",
                        "sku",
                        "purchaseOrderId",
                        "customerOrderId")) {
                    if (q.containsKey(k)) {
                        cursor.put(k, q.get(k));
                    } else if (k.equals("createdStartDate") && createdStart != null) {
                        cursor.put(k, createdStart.toString());
                    }
                }
                StringBuilder b = new StringBuilder("?");
                cursor.forEach((k, v) -> b.append(b.length() > 1 ? "&" : "")
                        .append(k)
                        .append('=')
                        .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
                nextCursor = b.toString();
            }
            ObjectNode root = json.mapper.createObjectNode();
            ObjectNode list = root.putObject("list");
            ObjectNode meta = list.putObject("meta");
            meta.put("totalCount", matching.size());
            meta.put("limit", limit);
            meta.put("nextCursor", nextCursor);
            ArrayNode arr = list.putObject("elements").putArray("order");
            page.forEach(o -> arr.add(orderJson(o)));
            return new WalmartReply(200, root);
        }
    }

    /**
     * Walmart's answer to {@code GET /v3/orders} when nothing matches: 404, not an empty list. Reported by
     * fulfilio/python-walmart PR 14 ("If no orders are there on walmart, it throws 404"), fillup/walmart-partner-api-
     * sdk-php PR 6 ("return empty set rather than 404 error when no orders found") and makanaleu/wmt-marketplace-sdk
     * 1.3.4, whose CHANGELOG quotes the body's code and description and whose lib/error.d.ts gives the other fields'
     * examples ({@code info} "Requested content could not be found.", {@code severity} INFO, {@code category}
     * APPLICATION). The JSON error envelope {@code {"errors":[...]}} is Walmart's (error-codes page; the
     * highsidelabs/walmart-api-php Error404 model has the same fields). Walmart's {@code field} for this error is not
     * documented, so none is sent.
     */
    private ObjectNode noOrdersFound() {
        ObjectNode root = json.mapper.createObjectNode();
        ObjectNode e = root.putArray("errors").addObject();
        e.put("code", "CONTENT_NOT_FOUND.GMP_ORDER_API");
        e.put("description", "Failed when called getAllOrders. Orders not found for given search parameters");
        e.put("info", "Requested content could not be found.");
        e.put("severity", "INFO");
        e.put("category", "APPLICATION");
        e.putArray("causes");
        e.putObject("errorIdentifiers");
        return root;
    }

    WalmartReply getOrder(String sellerId, String po) {
        synchronized (store.lock) {
            Order o = store.orders.get(po);
            if (o == null || !o.sellerId.equals(sellerId)) {
                return new WalmartReply(
                        404,
                        json.errors(
                                "CONTENT_NOT_FOUND.GMP_ORDER_API",
                                "purchaseOrderId",
                                "Not found",
                                "Purchase order " + po + " not found"));
            }
            ObjectNode root = json.mapper.createObjectNode();
            root.set("order", orderJson(o));
            return new WalmartReply(200, root);
        }
    }

    /**
     * One order of {@code GET /v3/orders} ({@code list.elements.order[]}), in the shape of the documented 200 example
     * of Walmart's Orders OpenAPI (highsidelabs/walmart-api-php resources/schemas/models/us/mp/orders.json, commit
     * 044255bb; a trimmed copy is src/test/resources/walmart/get-all-orders.json): epoch-millisecond dates, string
     * quantity amounts, one status entry per line.
     */
    private ObjectNode orderJson(Order o) {
        ObjectNode n = json.mapper.createObjectNode();
        n.put("purchaseOrderId", o.po);
        n.put("customerOrderId", o.customerOrderId);
        n.put("customerEmailId", o.customerOrderId + "@relay.walmart.com");
        n.put("orderType", "REGULAR");
        n.put("orderDate", o.orderDate.toEpochMilli());
        ObjectNode ship = n.putObject("shippingInfo");
        ship.put("phone", "5555555555");
        ship.put("estimatedDeliveryDate", o.orderDate.plus(Duration.ofDays(5)).toEpochMilli());
        ship.put("estimatedShipDate", o.orderDate.plus(Duration.ofDays(2)).toEpochMilli());
        ship.put("methodCode", "Standard");
        ObjectNode addr = ship.putObject("postalAddress");
        addr.put("name", "Simulated Customer");
        addr.put("address1", "1 Main St");
        addr.put("city", "Bentonville");
        addr.put("state", "AR");
        addr.put("postalCode", "72712");
        addr.put("country", "USA");
        addr.put("addressType", "RESIDENTIAL");
        ArrayNode lines = n.putObject("orderLines").putArray("orderLine");
        for (OrderLine l : o.lines) {
            ObjectNode ln = lines.addObject();
            ln.put("lineNumber", l.lineNumber);
            ObjectNode item = ln.putObject("item");
            item.put("productName", l.productName);
            item.put("sku", l.sku);
            ObjectNode charge = ln.putObject("charges").putArray("charge").addObject();
            charge.put("chargeType", "PRODUCT");
            charge.put("chargeName", "ItemPrice");
            ObjectNode amount = charge.putObject("chargeAmount");
            amount.put("currency", "USD");
            amount.put("amount", l.price.multiply(BigDecimal.valueOf(l.quantity)));
            charge.putNull("tax");
            ObjectNode q = ln.putObject("orderLineQuantity");
            q.put("unitOfMeasurement", "EACH");
            q.put("amount", Integer.toString(l.quantity));
            ln.put("statusDate", l.statusDate.toEpochMilli());
            ObjectNode st = ln.putObject("orderLineStatuses")
                    .putArray("orderLineStatus")
                    .addObject();
            st.put("status", l.status.name());
            ObjectNode sq = st.putObject("statusQuantity");
            sq.put("unitOfMeasurement", "EACH");
            sq.put("amount", Integer.toString(l.quantity));
            if (l.status == LineStatus.Cancelled) {
                st.put("cancellationReason", "CANCEL_BY_SELLER");
            }
            ObjectNode f = ln.putObject("fulfillment");
            f.put("fulfillmentOption", "S2H");
            f.put("shipMethod", "STANDARD");
        }
        n.putObject("shipNode").put("type", "SellerFulfilled");
        return n;
    }
}
