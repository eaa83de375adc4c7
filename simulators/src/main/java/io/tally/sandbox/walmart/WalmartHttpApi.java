package io.tally.sandbox.walmart;

import static io.tally.sandbox.walmart.WalmartSimulator.GET_ALL_ORDERS;
import static io.tally.sandbox.walmart.WalmartSimulator.GET_INVENTORY;
import static io.tally.sandbox.walmart.WalmartSimulator.GET_ORDER;
import static io.tally.sandbox.walmart.WalmartSimulator.TOKEN;
import static io.tally.sandbox.walmart.WalmartSimulator.UPDATE_INVENTORY;
import static io.tally.sandbox.walmart.WalmartText.decode;
import static io.tally.sandbox.walmart.WalmartText.query;

import com.sun.net.httpserver.HttpExchange;
import io.tally.sandbox.walmart.WalmartLimits.Admission;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

/**
 * The HTTP side of the simulated API: routes the token API, orders and inventory, and puts every call through the
 * gate Walmart applies (outage, {@code WM_SEC.ACCESS_TOKEN}, the required headers, the operation's token bucket with
 * its usage headers).
 */
final class WalmartHttpApi {

    private final WalmartStore store;
    private final WalmartJson json;
    private final WalmartAuth auth;
    private final WalmartLimits limits;
    private final WalmartOrdersApi ordersApi;
    private final WalmartInventoryApi inventoryApi;

    WalmartHttpApi(
            WalmartStore store,
            WalmartJson json,
            WalmartAuth auth,
            WalmartLimits limits,
            WalmartOrdersApi ordersApi,
            WalmartInventoryApi inventoryApi) {
        this.store = store;
        this.json = json;
        this.auth = auth;
        this.limits = limits;
        this.ordersApi = ordersApi;
        this.inventoryApi = inventoryApi;
    }

    void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            WalmartReply r;
            try {
                r = dispatch(ex, body);
            } catch (RuntimeException e) {
                r = new WalmartReply(
                        500,
                        json.errors("SYSTEM_ERROR.GMP_GATEWAY_API", "INTERNAL", "Internal error", String.valueOf(e)));
            }
            json.send(ex, r);
        }
    }

    private WalmartReply dispatch(HttpExchange ex, String body) {
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getRawPath();
        Map<String, String> q = query(ex.getRequestURI().getRawQuery());
        String[] seg = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toArray(String[]::new);
        String op;
        if (path.equals("/v3/token") && method.equals("POST")) {
            op = TOKEN;
        } else if (path.equals("/v3/orders") && method.equals("GET")) {
            op = GET_ALL_ORDERS;
        } else if (seg.length == 3 && seg[0].equals("v3") && seg[1].equals("orders") && method.equals("GET")) {
            op = GET_ORDER;
        } else if (path.equals("/v3/inventory") && (method.equals("PUT") || method.equals("GET"))) {
            op = method.equals("PUT") ? UPDATE_INVENTORY : GET_INVENTORY;
        } else {
            return new WalmartReply(
                    404,
                    json.errors(
                            "CONTENT_NOT_FOUND.GMP_GATEWAY_API",
                            "path",
                            "Not Found",
                            "No such resource: " + method + " " + path));
        }
        String svc = ex.getRequestHeaders().getFirst("WM_SVC.NAME");
        String correlation = ex.getRequestHeaders().getFirst("WM_QOS.CORRELATION_ID");
        String sellerId;
        Map<String, String> usage;
        synchronized (store.lock) {
            Instant now = store.now();
            limits.count(op, false);
            Integer outage = limits.outageStatus(now);
            if (outage != null) {
                int s = outage;
                if (s == 429) {
                    limits.count(op, true);
                }
                return new WalmartReply(
                        s,
                        json.errors(
                                s == 503 ? "SERVICE_UNAVAILABLE.GMP_GATEWAY_API" : "SYSTEM_ERROR.GMP_GATEWAY_API",
                                "SYSTEM",
                                "Simulated outage",
                                "Simulated outage (HTTP " + s + ")"));
            }
            if (op.equals(TOKEN)) {
                return auth.token(ex, body, svc, correlation);
            }
            sellerId = auth.sellerOf(ex.getRequestHeaders().getFirst("WM_SEC.ACCESS_TOKEN"), now);
            if (sellerId == null) {
                return new WalmartReply(
                        401,
                        json.errors(
                                "UNAUTHORIZED.GMP_GATEWAY_API",
                                "UNAUTHORIZED",
                                "Unauthorized",
                                "Unauthorized token or incorrect authorization header."));
            }
            WalmartReply missing = auth.requireHeaders(svc, correlation);
            if (missing != null) {
                return missing;
            }
            Admission admission = limits.admit(sellerId, op, now);
            usage = admission.usage();
            if (!admission.ok()) {
                limits.count(op, true);
                return new WalmartReply(
                        429,
                        json.errors(
                                "REQUEST_THRESHOLD_VIOLATED.GMP_GATEWAY_API",
                                "REQUEST_THRESHOLD_VIOLATED",
                                "Too Many Requests",
                                "Request threshold violated"),
                        usage,
                        "application/json");
            }
        }
        WalmartReply r = switch (op) {
            case GET_ALL_ORDERS -> ordersApi.getAllOrders(sellerId, q);
            case GET_ORDER -> ordersApi.getOrder(sellerId, decode(seg[2]));
            case UPDATE_INVENTORY -> inventoryApi.putInventory(sellerId, q.get("sku"), body);
            default -> inventoryApi.getInventory(sellerId, q.get("sku"));
        };
        return new WalmartReply(r.status(), r.body(), usage, r.contentType());
    }
}
