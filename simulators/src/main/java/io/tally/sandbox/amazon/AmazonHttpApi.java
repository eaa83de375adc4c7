package io.tally.sandbox.amazon;

import static io.tally.sandbox.amazon.AmazonJson.formatRate;
import static io.tally.sandbox.amazon.AmazonSimulator.GET_LISTINGS_ITEM;
import static io.tally.sandbox.amazon.AmazonSimulator.GET_ORDERS;
import static io.tally.sandbox.amazon.AmazonSimulator.GET_ORDER_ITEMS;
import static io.tally.sandbox.amazon.AmazonSimulator.PATCH_LISTINGS_ITEM;
import static io.tally.sandbox.amazon.AmazonSimulator.SEARCH_LISTINGS_ITEMS;
import static io.tally.sandbox.amazon.AmazonText.decode;
import static io.tally.sandbox.amazon.AmazonText.query;
import static io.tally.sandbox.amazon.AmazonText.segments;

import com.sun.net.httpserver.HttpExchange;
import io.tally.sandbox.amazon.AmazonSimulator.RateLimit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The HTTP side of both simulated hosts: routes LWA's token endpoint and the SP-API operations, and puts every
 * SP-API call through the gate Amazon applies (outage, {@code x-amz-access-token}, the operation's token bucket),
 * sending {@code x-amzn-RateLimit-Limit} and {@code x-amzn-RequestId}.
 */
final class AmazonHttpApi {

    private final AmazonStore store;
    private final AmazonJson json;
    private final AmazonLwa lwa;
    private final AmazonLimits limits;
    private final AmazonOrdersApi ordersApi;
    private final AmazonListingsApi listingsApi;
    private final AmazonListingsPatch listingsPatch;

    AmazonHttpApi(
            AmazonStore store,
            AmazonJson json,
            AmazonLwa lwa,
            AmazonLimits limits,
            AmazonOrdersApi ordersApi,
            AmazonListingsApi listingsApi,
            AmazonListingsPatch listingsPatch) {
        this.store = store;
        this.json = json;
        this.lwa = lwa;
        this.limits = limits;
        this.ordersApi = ordersApi;
        this.listingsApi = listingsApi;
        this.listingsPatch = listingsPatch;
    }

    void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            AmazonReply reply;
            try {
                reply = dispatch(ex, body);
            } catch (RuntimeException e) {
                reply = new AmazonReply(
                        500, json.errors("InternalFailure", "We encountered an internal error. Please try again.", ""));
            }
            Map<String, String> headers = new LinkedHashMap<>(reply.headers());
            headers.put("x-amzn-RequestId", UUID.randomUUID().toString());
            json.send(ex, reply.status(), reply.body(), headers);
        }
    }

    private AmazonReply dispatch(HttpExchange ex, String body) throws IOException {
        String method = ex.getRequestMethod();
        String rawPath = ex.getRequestURI().getRawPath();
        Map<String, String> q = query(ex.getRequestURI().getRawQuery());
        if (rawPath.equals("/auth/o2/token")) {
            limits.count("lwaToken", false);
            if (!"POST".equals(method)) {
                return new AmazonReply(405, Map.of("error", "invalid_request", "error_description", "POST required"));
            }
            return lwa.token(query(body));
        }
        String[] seg = segments(rawPath);
        String op;
        if (seg.length == 3
                && seg[0].equals("orders")
                && seg[1].equals("v0")
                && seg[2].equals("orders")
                && method.equals("GET")) {
            op = GET_ORDERS;
        } else if (seg.length == 5
                && seg[0].equals("orders")
                && seg[1].equals("v0")
                && seg[2].equals("orders")
                && seg[4].equals("orderItems")
                && method.equals("GET")) {
            op = GET_ORDER_ITEMS;
        } else if (seg.length == 5
                && seg[0].equals("listings")
                && seg[1].equals("2021-08-01")
                && seg[2].equals("items")
                && (method.equals("GET") || method.equals("PATCH"))) {
            op = method.equals("GET") ? GET_LISTINGS_ITEM : PATCH_LISTINGS_ITEM;
        } else if (seg.length == 4
                && seg[0].equals("listings")
                && seg[1].equals("2021-08-01")
                && seg[2].equals("items")
                && method.equals("GET")) {
            op = SEARCH_LISTINGS_ITEMS;
        } else {
            return new AmazonReply(404, json.errors("NotFound", "Resource not found: " + method + " " + rawPath, ""));
        }
        String sellerId;
        Map<String, String> rateHeader;
        synchronized (store.lock) {
            Instant now = store.now();
            limits.count(op, false);
            Integer outage = limits.outageStatus(now);
            if (outage != null) {
                int s = outage;
                String code = s == 503
                        ? "ServiceUnavailable"
                        : s >= 500 ? "InternalFailure" : s == 429 ? "QuotaExceeded" : "SimulatedFault";
                if (s == 429) {
                    limits.count(op, true);
                }
                return new AmazonReply(s, json.errors(code, "Simulated outage (HTTP " + s + ").", ""));
            }
            sellerId = lwa.sellerOf(ex.getRequestHeaders().getFirst("x-amz-access-token"), now);
            if (sellerId == null) {
                return json.unauthorized();
            }
            RateLimit limit = limits.rateLimit(op);
            rateHeader = Map.of("x-amzn-RateLimit-Limit", formatRate(limit.ratePerSecond()));
            if (!limits.admit(sellerId, op, now)) {
                limits.count(op, true);
                return new AmazonReply(
                        429,
                        json.errors("QuotaExceeded", "You exceeded your quota for the requested resource.", ""),
                        rateHeader);
            }
        }
        AmazonReply r = switch (op) {
            case GET_ORDERS -> ordersApi.getOrders(sellerId, q);
            case GET_ORDER_ITEMS -> ordersApi.getOrderItems(sellerId, decode(seg[3]));
            case GET_LISTINGS_ITEM -> listingsApi.getListingsItem(sellerId, decode(seg[3]), decode(seg[4]), q);
            case SEARCH_LISTINGS_ITEMS -> listingsApi.searchListingsItems(sellerId, decode(seg[3]), q);
            default -> listingsPatch.patchListingsItem(sellerId, decode(seg[3]), decode(seg[4]), q, body);
        };
        Map<String, String> h = new LinkedHashMap<>(r.headers());
        h.putAll(rateHeader);
        return new AmazonReply(r.status(), r.body(), h);
    }
}
