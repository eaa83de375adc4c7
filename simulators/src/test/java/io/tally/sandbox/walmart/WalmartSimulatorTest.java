package io.tally.sandbox.walmart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.tally.sandbox.walmart.WalmartSimulator.Line;
import io.tally.sandbox.walmart.WalmartSimulator.LineStatus;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WalmartSimulatorTest {

    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) {
            now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private MutableClock clock;
    private WalmartSimulator sim;
    private HttpServer receiver;

    @BeforeEach
    void setUp() {
        clock = new MutableClock(Instant.parse("2026-03-01T15:00:00Z"));
        sim = new WalmartSimulator(0, clock).start();
    }

    @AfterEach
    void tearDown() {
        sim.close();
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    // ------------------------------------------------------------------ helpers

    private HttpResponse<String> tokenRequest(String id, String secret, String accept) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/v3/token"))
                .header(
                        "Authorization",
                        "Basic "
                                + Base64.getEncoder()
                                        .encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("WM_SVC.NAME", "Walmart Marketplace")
                .header("WM_QOS.CORRELATION_ID", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"));
        if (accept != null) {
            b.header("Accept", accept);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String token() throws Exception {
        HttpResponse<String> r = tokenRequest(
                WalmartSimulator.DEFAULT_CLIENT_ID, WalmartSimulator.DEFAULT_CLIENT_SECRET, "application/json");
        assertThat(r.statusCode()).isEqualTo(200);
        return json(r).get("access_token").asText();
    }

    private HttpRequest.Builder api(String token, String pathAndQuery) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sim.baseUrl() + pathAndQuery))
                .header("Accept", "application/json")
                .header("WM_SVC.NAME", "Walmart Marketplace")
                .header("WM_QOS.CORRELATION_ID", UUID.randomUUID().toString());
        if (token != null) {
            b.header("WM_SEC.ACCESS_TOKEN", token);
        }
        return b;
    }

    private HttpResponse<String> get(String token, String pathAndQuery) throws Exception {
        return http.send(api(token, pathAndQuery).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> putInventory(String token, String sku, String body) throws Exception {
        return http.send(
                api(token, "/v3/inventory?sku=" + sku)
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode json(HttpResponse<String> r) throws Exception {
        return mapper.readTree(r.body());
    }

    record Received(String body, String signature) {}

    /** A tiny webhook receiver answering the given statuses in turn (the last one repeats). */
    private List<Received> receiver(int... statuses) throws Exception {
        List<Received> got = new CopyOnWriteArrayList<>();
        AtomicInteger n = new AtomicInteger();
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        receiver.createContext("/walmart/events", ex -> {
            try (ex) {
                String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                got.add(new Received(body, ex.getRequestHeaders().getFirst("X-Tally-Signature")));
                int i = Math.min(n.getAndIncrement(), statuses.length - 1);
                ex.sendResponseHeaders(statuses[i], -1);
            }
        });
        receiver.start();
        return got;
    }

    private String receiverUrl() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/walmart/events";
    }

    // ------------------------------------------------------------------ tests

    @Test
    void tokenFlowJsonAndXmlAndExpiry() throws Exception {
        sim.tokenLifetime(Duration.ofSeconds(10));
        JsonNode t = json(tokenRequest(
                WalmartSimulator.DEFAULT_CLIENT_ID, WalmartSimulator.DEFAULT_CLIENT_SECRET, "application/json"));
        assertThat(t.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(t.get("expires_in").asInt()).isEqualTo(10);
        String token = t.get("access_token").asText();

        HttpResponse<String> xml =
                tokenRequest(WalmartSimulator.DEFAULT_CLIENT_ID, WalmartSimulator.DEFAULT_CLIENT_SECRET, null);
        assertThat(xml.statusCode()).isEqualTo(200);
        assertThat(xml.headers().firstValue("Content-Type")).hasValue("application/xml");
        assertThat(xml.body()).contains("<OAuthTokenDTO><accessToken>").contains("<tokenType>Bearer</tokenType>");

        sim.createItem("MUG", 3);
        assertThat(get(token, "/v3/inventory?sku=MUG").statusCode()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(10));
        HttpResponse<String> expired = get(token, "/v3/inventory?sku=MUG");
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(json(expired).get("errors").get(0).get("code").asText()).isEqualTo("UNAUTHORIZED.GMP_GATEWAY_API");
        assertThat(get(token(), "/v3/inventory?sku=MUG").statusCode()).isEqualTo(200);
        assertThat(new WalmartSimulator()
                        .rateLimit(WalmartSimulator.UPDATE_INVENTORY)
                        .burst())
                .isEqualTo(200);
    }

    @Test
    void authAndHeaderFailures() throws Exception {
        HttpResponse<String> bad = tokenRequest(WalmartSimulator.DEFAULT_CLIENT_ID, "wrong", "application/json");
        assertThat(bad.statusCode()).isEqualTo(401);
        JsonNode err = json(bad).get("errors").get(0);
        assertThat(err.get("code").asText()).isEqualTo("UNAUTHORIZED.GMP_GATEWAY_API");
        assertThat(err.has("field")
                        && err.has("description")
                        && err.has("info")
                        && err.has("severity")
                        && err.has("category"))
                .isTrue();

        sim.createItem("MUG", 3);
        String token = token();
        assertThat(get(null, "/v3/inventory?sku=MUG").statusCode()).isEqualTo(401);
        assertThat(get("made-up", "/v3/inventory?sku=MUG").statusCode()).isEqualTo(401);
        HttpResponse<String> noCorrelation = http.send(
                HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/v3/inventory?sku=MUG"))
                        .header("WM_SEC.ACCESS_TOKEN", token)
                        .header("WM_SVC.NAME", "Walmart Marketplace")
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(noCorrelation.statusCode()).isEqualTo(400);
        assertThat(json(noCorrelation).get("errors").get(0).get("field").asText())
                .isEqualTo("WM_QOS.CORRELATION_ID");
        HttpResponse<String> noSvc = http.send(
                HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/v3/inventory?sku=MUG"))
                        .header("WM_SEC.ACCESS_TOKEN", token)
                        .header("WM_QOS.CORRELATION_ID", "x")
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(noSvc.statusCode()).isEqualTo(400);
        assertThat(json(noSvc).get("errors").get(0).get("field").asText()).isEqualTo("WM_SVC.NAME");
    }

    @Test
    void ordersPagingWithNextCursorAndShape() throws Exception {
        String token = token();
        sim.createItem("MUG", 100);
        Set<String> placed = new HashSet<>();
        for (int i = 0; i < 7; i++) {
            placed.add(sim.placeOrder(List.of(new Line("MUG", 2))));
            clock.advance(Duration.ofSeconds(1));
        }
        HttpResponse<String> first = get(token, "/v3/orders?createdStartDate=2026-03-01&limit=3");
        assertThat(first.statusCode()).isEqualTo(200);
        JsonNode list = json(first).get("list");
        assertThat(list.get("meta").get("totalCount").asInt()).isEqualTo(7);
        assertThat(list.get("meta").get("limit").asInt()).isEqualTo(3);
        JsonNode order = list.get("elements").get("order").get(0);
        assertThat(order.get("purchaseOrderId").asText()).matches("\\d{13}");
        assertThat(order.get("orderDate").isNumber()).isTrue();
        assertThat(order.get("orderDate").asLong())
                .isEqualTo(Instant.parse("2026-03-01T15:00:06Z").toEpochMilli()); // newest first
        JsonNode line = order.get("orderLines").get("orderLine").get(0);
        assertThat(line.get("lineNumber").asText()).isEqualTo("1");
        assertThat(line.get("item").get("sku").asText()).isEqualTo("MUG");
        assertThat(line.get("orderLineQuantity").get("amount").isTextual()).isTrue();
        assertThat(line.get("orderLineQuantity").get("amount").asText()).isEqualTo("2");
        JsonNode status = line.get("orderLineStatuses").get("orderLineStatus").get(0);
        assertThat(status.get("status").asText()).isEqualTo("Created");
        assertThat(status.get("statusQuantity").get("amount").asText()).isEqualTo("2");
        assertThat(line.get("charges")
                        .get("charge")
                        .get(0)
                        .get("chargeAmount")
                        .get("currency")
                        .asText())
                .isEqualTo("USD");

        Set<String> seen = new HashSet<>();
        list.get("elements")
                .get("order")
                .forEach(o -> seen.add(o.get("purchaseOrderId").asText()));
        int pages = 1;
        while (!list.get("meta").get("nextCursor").isNull()) {
            String cursor = list.get("meta").get("nextCursor").asText();
            assertThat(cursor).startsWith("?").contains("hasMoreElements=true");
            list = json(get(token, "/v3/orders" + cursor)).get("list");
            list.get("elements")
                    .get("order")
                    .forEach(o -> seen.add(o.get("purchaseOrderId").asText()));
            pages++;
        }
        assertThat(pages).isEqualTo(3);
        assertThat(seen).isEqualTo(placed);

        assertThat(get(token, "/v3/orders?limit=201").statusCode()).isEqualTo(400);
        String po = placed.iterator().next();
        assertThat(json(get(token, "/v3/orders/" + po))
                        .get("order")
                        .get("purchaseOrderId")
                        .asText())
                .isEqualTo(po);
    }

    @Test
    void orderLowersInventoryCancelRestoresAndFiltersByStatus() throws Exception {
        String token = token();
        sim.createItem("MUG", 5);
        sim.createItem("CUP", 5);
        String po = sim.placeOrder(List.of(new Line("MUG", 2), new Line("CUP", 1)));
        assertThat(sim.inventory("MUG")).isEqualTo(3);
        assertThat(json(get(token, "/v3/inventory?sku=MUG"))
                        .get("quantity")
                        .get("amount")
                        .asInt())
                .isEqualTo(3);
        clock.advance(Duration.ofMinutes(1));
        sim.acknowledge(po);
        clock.advance(Duration.ofMinutes(1));
        sim.cancelLine(po, "1");
        assertThat(sim.inventory("MUG")).isEqualTo(5);
        assertThat(sim.inventory("CUP")).isEqualTo(4);
        assertThat(sim.order(po).lines())
                .extracting(WalmartSimulator.LineView::status)
                .containsExactly(LineStatus.Cancelled, LineStatus.Acknowledged);

        JsonNode cancelled = json(get(token, "/v3/orders?lastModifiedStartDate=2026-03-01T15:01:30Z&status=Cancelled"))
                .get("list");
        assertThat(cancelled.get("meta").get("totalCount").asInt()).isEqualTo(1);
        // A search without results is answered 404 CONTENT_NOT_FOUND, as Walmart does (see noOrdersFound()).
        HttpResponse<String> none = get(token, "/v3/orders?lastModifiedStartDate=2026-03-01T15:02:30Z");
        assertThat(none.statusCode()).isEqualTo(404);
        JsonNode error = json(none).get("errors").get(0);
        assertThat(error.get("code").asText()).isEqualTo("CONTENT_NOT_FOUND.GMP_ORDER_API");
        assertThat(error.get("severity").asText()).isEqualTo("INFO");
        sim.emptyOrdersAs404(false);
        assertThat(json(get(token, "/v3/orders?lastModifiedStartDate=2026-03-01T15:02:30Z"))
                        .get("list")
                        .get("meta")
                        .get("totalCount")
                        .asInt())
                .isZero();
        sim.emptyOrdersAs404(true);
        sim.ship(po);
        assertThat(sim.order(po).lines().get(1).status()).isEqualTo(LineStatus.Shipped);
        assertThat(sim.inventory("CUP")).isEqualTo(4);
        assertThatThrownBy(() -> sim.cancelLine(po, "2")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> sim.placeOrder(List.of(new Line("MUG", 6)))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void putSetsInventoryAndGetReadsIt() throws Exception {
        String token = token();
        sim.createItem("MUG-BLUE", 5);
        HttpResponse<String> r = putInventory(
                token, "MUG-BLUE", "{\"sku\":\"MUG-BLUE\",\"quantity\":{\"unit\":\"EACH\",\"amount\":17}}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("quantity").get("amount").asInt()).isEqualTo(17);
        assertThat(r.headers().firstValue("x-current-token-count")).isPresent();
        assertThat(r.headers().firstValue("x-next-replenish-time")).isPresent();
        JsonNode read = json(get(token, "/v3/inventory?sku=MUG-BLUE"));
        assertThat(read.get("sku").asText()).isEqualTo("MUG-BLUE");
        assertThat(read.get("quantity").get("unit").asText()).isEqualTo("EACH");
        assertThat(read.get("quantity").get("amount").asInt()).isEqualTo(17);
        assertThat(sim.inventory("MUG-BLUE")).isEqualTo(17);
        assertThat(sim.inventoryUpdates())
                .extracting(WalmartSimulator.InventoryUpdate::amount)
                .containsExactly(17);

        assertThat(putInventory(
                                token,
                                "MUG-BLUE",
                                "{\"sku\":\"MUG-BLUE\",\"quantity\":{\"unit\":\"EACH\",\"amount\":-1}}")
                        .statusCode())
                .isEqualTo(400);
        assertThat(putInventory(token, "NOPE", "{\"sku\":\"NOPE\",\"quantity\":{\"unit\":\"EACH\",\"amount\":1}}")
                        .statusCode())
                .isEqualTo(404);
        assertThat(get(token, "/v3/inventory?sku=NOPE").statusCode()).isEqualTo(404);
    }

    @Test
    void tokenBucketThrottlesAfterBurstAndRecoversAtRate() throws Exception {
        sim.rateLimit(WalmartSimulator.GET_INVENTORY, 0.5, 2);
        String token = token();
        sim.createItem("MUG", 1);
        assertThat(get(token, "/v3/inventory?sku=MUG").statusCode()).isEqualTo(200);
        assertThat(get(token, "/v3/inventory?sku=MUG").statusCode()).isEqualTo(200);
        HttpResponse<String> throttled = get(token, "/v3/inventory?sku=MUG");
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("x-current-token-count")).hasValue("0");
        assertThat(throttled.headers().firstValue("x-next-replenish-time"))
                .hasValue(Long.toString(Instant.parse("2026-03-01T15:00:02Z").toEpochMilli()));
        assertThat(json(throttled).get("errors").get(0).get("code").asText())
                .isEqualTo("REQUEST_THRESHOLD_VIOLATED.GMP_GATEWAY_API");
        clock.advance(Duration.ofSeconds(1));
        assertThat(get(token, "/v3/inventory?sku=MUG").statusCode()).isEqualTo(429);
        clock.advance(Duration.ofSeconds(1));
        assertThat(get(token, "/v3/inventory?sku=MUG").statusCode()).isEqualTo(200);
        assertThat(sim.stats(WalmartSimulator.GET_INVENTORY)).isEqualTo(new WalmartSimulator.OperationStats(5, 2));
    }

    @Test
    void outageThenRecoverAndThrottleStorm() throws Exception {
        String token = token();
        sim.createItem("MUG", 2);
        sim.placeOrder(List.of(new Line("MUG", 1))); // so that the order search has a result (else 404)
        sim.failFor(Duration.ofMinutes(2), 503);
        assertThat(get(token, "/v3/inventory?sku=MUG").statusCode()).isEqualTo(503);
        clock.advance(Duration.ofMinutes(2));
        assertThat(get(token, "/v3/inventory?sku=MUG").statusCode()).isEqualTo(200);
        sim.failFor(Duration.ofHours(1), 500);
        assertThat(get(token, "/v3/orders").statusCode()).isEqualTo(500);
        sim.recover();
        assertThat(get(token, "/v3/orders").statusCode()).isEqualTo(200);
        sim.throttleStorm(Duration.ofSeconds(30));
        assertThat(get(token, "/v3/orders").statusCode()).isEqualTo(429);
        assertThat(token()).isNotBlank(); // the token API is not part of the storm
        sim.recover();
        assertThat(get(token, "/v3/orders").statusCode()).isEqualTo(200);
        assertThat(sim.stats(WalmartSimulator.GET_ALL_ORDERS).throttled()).isEqualTo(1);
    }

    @Test
    void notificationIsSignedAndRetriedAfter500() throws Exception {
        List<Received> got = receiver(500, 200);
        sim.orderUpdatesEvents(false); // only the standalone events here; ORDER_UPDATES has its own test
        sim.webhook(receiverUrl(), "s3cret").webhookRetryDelays(Duration.ofMillis(100), Duration.ofMillis(100));
        sim.createItem("MUG", 5);
        String po = sim.placeOrder(List.of(new Line("MUG", 2)));

        await().atMost(Duration.ofSeconds(5)).until(() -> got.size() == 2);
        assertThat(got.get(0).body()).isEqualTo(got.get(1).body());
        Received r = got.get(1);
        assertThat(r.signature()).isEqualTo(WalmartSimulator.sign("s3cret", r.body()));
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec("s3cret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        assertThat(r.signature())
                .isEqualTo(
                        Base64.getEncoder().encodeToString(mac.doFinal(r.body().getBytes(StandardCharsets.UTF_8))));
        JsonNode event = mapper.readTree(r.body());
        assertThat(event.get("source").get("eventType").asText()).isEqualTo("PO_CREATED");
        assertThat(event.get("source").get("eventId").asText()).isNotBlank();
        assertThat(event.get("payload").get("purchaseOrderId").asText()).isEqualTo(po);
        JsonNode line = event.get("payload").get("orderLines").get(0);
        assertThat(line.get("sku").asText()).isEqualTo("MUG");
        assertThat(line.get("quantity").get("measurementValue").asInt()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(2)).until(() -> sim.deliveries().size() == 2);
        assertThat(sim.deliveries())
                .extracting(WalmartSimulator.Delivery::status)
                .containsExactly(500, 200);

        sim.cancelLine(po, "1");
        await().atMost(Duration.ofSeconds(5)).until(() -> got.size() == 3);
        JsonNode cancel = mapper.readTree(got.get(2).body());
        assertThat(cancel.get("source").get("eventType").asText()).isEqualTo("PO_LINE_AUTOCANCELLED");
        assertThat(cancel.get("payload").get("orderLines").get(0).get("status").asText())
                .isEqualTo("CANCELLED");
    }

    @Test
    void orderUpdatesCarryTheSubEventAndTheOrderAndReplaceTheStandaloneEventsAfterTheirRetirement() throws Exception {
        List<Received> got = receiver(200);
        sim.webhook(receiverUrl(), "k");
        sim.createItem("MUG", 5);
        // Before 2026-12-15 a seller subscribed to both receives both.
        String po = sim.placeOrder(List.of(new Line("MUG", 2)));
        await().atMost(Duration.ofSeconds(5)).until(() -> got.size() == 2);
        assertThat(sim.deliveries())
                .extracting(WalmartSimulator.Delivery::eventType)
                .containsExactlyInAnyOrder("PO_CREATED", WalmartSimulator.ORDER_UPDATES);
        JsonNode update = mapper.readTree(sim.deliveries().stream()
                .filter(d -> d.eventType().equals(WalmartSimulator.ORDER_UPDATES))
                .findFirst()
                .orElseThrow()
                .body());
        assertThat(update.get("source").get("eventType").asText()).isEqualTo("ORDER_UPDATES");
        assertThat(update.get("source").has("eventFilters")).isTrue();
        assertThat(update.get("payload").get("subEventType").asText()).isEqualTo("PO_CREATED");
        JsonNode order = update.get("payload").get("order");
        assertThat(order.get("purchaseOrderId").asText()).isEqualTo(po);
        JsonNode line = order.get("orderLines").get(0);
        assertThat(line.get("quantity").get("measurementValue").asText()).isEqualTo("2");
        assertThat(line.get("status").asText()).isEqualTo("CREATED");

        // From the retirement date on, only ORDER_UPDATES.
        clock.advance(Duration.between(clock.instant(), WalmartSimulator.LEGACY_ORDER_EVENTS_RETIRED));
        sim.cancelLine(po, "1");
        await().atMost(Duration.ofSeconds(5)).until(() -> got.size() == 3);
        JsonNode cancel = mapper.readTree(got.get(2).body());
        assertThat(cancel.get("source").get("eventType").asText()).isEqualTo("ORDER_UPDATES");
        assertThat(cancel.get("payload").get("subEventType").asText()).isEqualTo("PO_LINE_AUTOCANCELLED");
        assertThat(cancel.get("payload")
                        .get("order")
                        .get("orderLines")
                        .get(0)
                        .get("status")
                        .asText())
                .isEqualTo("CANCELLED");
        Thread.sleep(200);
        assertThat(got).hasSize(3);
    }

    @Test
    void retriesStopAfterLastDelayAndDuplicatesCanBeForced() throws Exception {
        List<Received> got = receiver(503);
        sim.orderUpdatesEvents(false); // one event per order, so that the attempts can be counted
        sim.webhook(receiverUrl(), "k").webhookRetryDelays(Duration.ofMillis(50), Duration.ofMillis(50));
        sim.createItem("MUG", 5);
        sim.placeOrder(List.of(new Line("MUG", 1)));
        await().atMost(Duration.ofSeconds(5)).until(() -> sim.deliveries().size() == 3);
        Thread.sleep(300);
        assertThat(got).hasSize(3);

        receiver.stop(0);
        got = receiver(200);
        sim.webhook(receiverUrl(), "k").duplicateProbability(1.0);
        sim.placeOrder(List.of(new Line("MUG", 1)));
        List<Received> dup = got;
        await().atMost(Duration.ofSeconds(5)).until(() -> dup.size() == 2);
        assertThat(dup.get(0).body()).isEqualTo(dup.get(1).body());
    }

    @Test
    void sandboxHttpControls() throws Exception {
        HttpResponse<String> created = http.send(
                HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/_sandbox/walmart/items"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"sku\":\"CUP\",\"quantity\":4}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).isEqualTo(200);
        HttpResponse<String> order = http.send(
                HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/_sandbox/walmart/orders"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"lines\":[{\"sku\":\"CUP\",\"quantity\":3}]}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        String po = json(order).get("purchaseOrderId").asText();
        assertThat(sim.inventory("CUP")).isEqualTo(1);
        HttpResponse<String> cancel = http.send(
                HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/_sandbox/walmart/orders/" + po + "/lines/1/cancel"))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(cancel.statusCode()).isEqualTo(200);
        assertThat(json(http.send(
                                HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/_sandbox/walmart/items/CUP"))
                                        .GET()
                                        .build(),
                                HttpResponse.BodyHandlers.ofString()))
                        .get("quantity")
                        .asInt())
                .isEqualTo(4);
    }
}
