package io.tally.sandbox.walmart;

import static io.tally.sandbox.walmart.WalmartSimulator.DEFAULT_SELLER_ID;
import static io.tally.sandbox.walmart.WalmartText.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import io.tally.sandbox.walmart.WalmartSimulator.Line;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The merchant side of the simulator over HTTP, under {@code /_sandbox/walmart/}. */
final class WalmartSandboxControl {

    private final WalmartSimulator sim;
    private final WalmartJson json;

    WalmartSandboxControl(WalmartSimulator sim, WalmartJson json) {
        this.sim = sim;
        this.json = json;
    }

    /**
     * Merchant-side controls for curl users (JSON; {@code sellerId} defaults to {@link WalmartSimulator#DEFAULT_SELLER_ID}):
     * <ul>
     *   <li>{@code POST /_sandbox/walmart/items} {@code {"sellerId"?, "sku", "quantity", "price"?}};
     *       {@code GET} and {@code PUT} (body {@code {"quantity"}}) {@code /_sandbox/walmart/items/{sku}}</li>
     *   <li>{@code POST /_sandbox/walmart/orders} {@code {"sellerId"?, "lines":[{"sku","quantity"}]}},
     *       {@code GET /_sandbox/walmart/orders}, {@code POST /_sandbox/walmart/orders/{po}/acknowledge},
     *       {@code .../ship}, {@code .../lines/{lineNumber}/cancel}</li>
     *   <li>{@code POST /_sandbox/walmart/webhook} {@code {"sellerId"?, "url", "secret"}}</li>
     *   <li>{@code POST /_sandbox/walmart/outage?status=503&seconds=60}, {@code POST .../throttle-storm?seconds=60},
     *       {@code POST .../recover}, {@code GET .../stats}, {@code GET .../deliveries}</li>
     * </ul>
     */
    void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String method = ex.getRequestMethod();
            String[] seg = Arrays.stream(ex.getRequestURI().getRawPath().split("/"))
                    .filter(s -> !s.isEmpty())
                    .map(WalmartText::decode)
                    .toArray(String[]::new);
            Map<String, String> q = query(ex.getRequestURI().getRawQuery());
            int status = 200;
            Object answer;
            try {
                JsonNode in = body.isBlank() ? json.mapper.createObjectNode() : json.mapper.readTree(body);
                String what = seg.length > 2 ? seg[2] : "";
                String seller = q.getOrDefault(
                        "sellerId",
                        in.hasNonNull("sellerId") ? in.get("sellerId").asText() : DEFAULT_SELLER_ID);
                if (what.equals("items") && seg.length == 3 && method.equals("POST")) {
                    BigDecimal price = in.hasNonNull("price")
                            ? new BigDecimal(in.get("price").asText())
                            : new BigDecimal("10.00");
                    sim.createItem(
                            seller, in.get("sku").asText(), in.get("quantity").asInt(), price);
                    answer = Map.of(
                            "sku",
                            in.get("sku").asText(),
                            "quantity",
                            sim.inventory(seller, in.get("sku").asText()));
                } else if (what.equals("items") && seg.length == 4 && method.equals("GET")) {
                    answer = Map.of("sku", seg[3], "quantity", sim.inventory(seller, seg[3]));
                } else if (what.equals("items") && seg.length == 4 && method.equals("PUT")) {
                    sim.setInventory(seller, seg[3], in.get("quantity").asInt());
                    answer = Map.of("sku", seg[3], "quantity", sim.inventory(seller, seg[3]));
                } else if (what.equals("orders") && seg.length == 3 && method.equals("POST")) {
                    List<Line> lines = new ArrayList<>();
                    in.get("lines")
                            .forEach(l -> lines.add(new Line(
                                    l.get("sku").asText(), l.get("quantity").asInt())));
                    answer = sim.order(sim.placeOrder(seller, lines));
                } else if (what.equals("orders") && seg.length == 3 && method.equals("GET")) {
                    answer = sim.orders();
                } else if (what.equals("orders")
                        && seg.length == 5
                        && seg[4].equals("acknowledge")
                        && method.equals("POST")) {
                    sim.acknowledge(seg[3]);
                    answer = sim.order(seg[3]);
                } else if (what.equals("orders") && seg.length == 5 && seg[4].equals("ship") && method.equals("POST")) {
                    sim.ship(seg[3]);
                    answer = sim.order(seg[3]);
                } else if (what.equals("orders")
                        && seg.length == 7
                        && seg[4].equals("lines")
                        && seg[6].equals("cancel")
                        && method.equals("POST")) {
                    sim.cancelLine(seg[3], seg[5]);
                    answer = sim.order(seg[3]);
                } else if (what.equals("webhook") && method.equals("POST")) {
                    sim.webhook(
                            seller,
                            in.path("url").asText(null),
                            in.path("secret").asText(null));
                    answer = Map.of("webhook", in.path("url").asText(""));
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
                } else if (what.equals("deliveries") && method.equals("GET")) {
                    answer = sim.deliveries();
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
            json.send(ex, new WalmartReply(status, answer));
        }
    }
}
