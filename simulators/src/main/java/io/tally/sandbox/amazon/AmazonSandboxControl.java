package io.tally.sandbox.amazon;

import static io.tally.sandbox.amazon.AmazonSimulator.DEFAULT_SELLER_ID;
import static io.tally.sandbox.amazon.AmazonText.decode;
import static io.tally.sandbox.amazon.AmazonText.query;
import static io.tally.sandbox.amazon.AmazonText.segments;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import io.tally.sandbox.amazon.AmazonSimulator.Line;
import io.tally.sandbox.amazon.AmazonSimulator.OrderStatus;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The merchant side of the simulator over HTTP, under {@code /_sandbox/amazon/}. */
final class AmazonSandboxControl {

    private final AmazonSimulator sim;
    private final AmazonJson json;

    AmazonSandboxControl(AmazonSimulator sim, AmazonJson json) {
        this.sim = sim;
        this.json = json;
    }

    /**
     * Merchant-side controls for curl users (JSON in, JSON out; {@code sellerId} defaults to
     * {@link AmazonSimulator#DEFAULT_SELLER_ID}):
     * <ul>
     *   <li>{@code POST /_sandbox/amazon/listings} {@code {"sellerId"?, "sku", "quantity", "price"?}}</li>
     *   <li>{@code GET /_sandbox/amazon/listings/{sku}?sellerId=} and {@code PUT} the same with {@code {"quantity"}}</li>
     *   <li>{@code POST /_sandbox/amazon/orders} {@code {"sellerId"?, "status"?, "lines":[{"sku","quantity"}]}}</li>
     *   <li>{@code GET /_sandbox/amazon/orders}; {@code POST /_sandbox/amazon/orders/{id}/status} {@code {"status"}}</li>
     *   <li>{@code POST /_sandbox/amazon/outage?status=503&seconds=60}, {@code POST /_sandbox/amazon/throttle-storm?seconds=60},
     *       {@code POST /_sandbox/amazon/recover}, {@code GET /_sandbox/amazon/stats}, {@code GET /_sandbox/amazon/patches}</li>
     * </ul>
     */
    void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String method = ex.getRequestMethod();
            String[] seg = segments(ex.getRequestURI().getRawPath()); // _sandbox, amazon, ...
            Map<String, String> q = query(ex.getRequestURI().getRawQuery());
            int status = 200;
            Object answer;
            try {
                JsonNode in = body.isBlank() ? json.mapper.createObjectNode() : json.mapper.readTree(body);
                String what = seg.length > 2 ? seg[2] : "";
                String seller = q.getOrDefault(
                        "sellerId",
                        in.hasNonNull("sellerId") ? in.get("sellerId").asText() : DEFAULT_SELLER_ID);
                if (what.equals("listings") && seg.length == 3 && method.equals("POST")) {
                    BigDecimal price = in.hasNonNull("price")
                            ? new BigDecimal(in.get("price").asText())
                            : new BigDecimal("10.00");
                    sim.createListing(
                            seller, in.get("sku").asText(), in.get("quantity").asInt(), price);
                    answer = Map.of(
                            "sku",
                            in.get("sku").asText(),
                            "quantity",
                            sim.quantity(seller, in.get("sku").asText()));
                } else if (what.equals("listings") && seg.length == 4 && method.equals("GET")) {
                    answer = Map.of("sku", decode(seg[3]), "quantity", sim.quantity(seller, decode(seg[3])));
                } else if (what.equals("listings") && seg.length == 4 && method.equals("PUT")) {
                    sim.setQuantity(seller, decode(seg[3]), in.get("quantity").asInt());
                    answer = Map.of("sku", decode(seg[3]), "quantity", sim.quantity(seller, decode(seg[3])));
                } else if (what.equals("orders") && seg.length == 3 && method.equals("POST")) {
                    List<Line> lines = new ArrayList<>();
                    in.get("lines")
                            .forEach(l -> lines.add(new Line(
                                    l.get("sku").asText(), l.get("quantity").asInt())));
                    OrderStatus st = in.hasNonNull("status")
                            ? OrderStatus.valueOf(in.get("status").asText())
                            : OrderStatus.Pending;
                    answer = sim.order(sim.placeOrder(seller, lines, st));
                } else if (what.equals("orders") && seg.length == 3 && method.equals("GET")) {
                    answer = sim.orders();
                } else if (what.equals("orders")
                        && seg.length == 5
                        && seg[4].equals("status")
                        && method.equals("POST")) {
                    sim.setStatus(
                            decode(seg[3]), OrderStatus.valueOf(in.get("status").asText()));
                    answer = sim.order(decode(seg[3]));
                } else if (what.equals("outage") && method.equals("POST")) {
                    int s = Integer.parseInt(q.getOrDefault("status", "503"));
                    sim.failFor(Duration.ofSeconds(Long.parseLong(q.getOrDefault("seconds", "60"))), s);
                    answer = Map.of("outage", s);
                } else if (what.equals("throttle-storm") && method.equals("POST")) {
                    sim.throttleStorm(Duration.ofSeconds(Long.parseLong(q.getOrDefault("seconds", "60"))));
                    answer = Map.of("throttleStorm", true);
                } else if (what.equals("recover") && method.equals("POST")) {
                    sim.recover();
                    answer = Map.of("recovered", true);
                } else if (what.equals("stats") && method.equals("GET")) {
                    answer = sim.stats();
                } else if (what.equals("patches") && method.equals("GET")) {
                    answer = sim.patches();
                } else {
                    status = 404;
                    answer = Map.of(
                            "error",
                            "unknown sandbox control " + method + " "
                                    + ex.getRequestURI().getPath());
                }
            } catch (IllegalArgumentException | IllegalStateException | NullPointerException e) {
                status = 400;
                answer = Map.of("error", String.valueOf(e.getMessage()));
            }
            json.send(ex, status, answer, Map.of());
        }
    }
}
