package io.tally.sandbox.amazon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tally.sandbox.amazon.AmazonSimulator.Line;
import io.tally.sandbox.amazon.AmazonSimulator.OrderStatus;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AmazonSimulatorTest {

    /** A clock the test moves by hand, so token expiry, the 2-minute rule and buckets need no sleeping. */
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

    private static final String SELLER = AmazonSimulator.DEFAULT_SELLER_ID;
    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private MutableClock clock;
    private AmazonSimulator sim;

    @BeforeEach
    void setUp() {
        clock = new MutableClock(Instant.parse("2026-03-01T15:00:00Z"));
        sim = new AmazonSimulator(0, clock).processingDelay(Duration.ZERO).start();
    }

    @AfterEach
    void tearDown() {
        sim.close();
    }

    // ------------------------------------------------------------------ helpers

    private HttpResponse<String> lwa(String clientId, String secret, String refresh) throws Exception {
        String form = "grant_type=refresh_token&refresh_token=" + enc(refresh) + "&client_id=" + enc(clientId)
                + "&client_secret=" + enc(secret);
        return http.send(
                HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/auth/o2/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String token() throws Exception {
        HttpResponse<String> r = lwa(
                AmazonSimulator.DEFAULT_CLIENT_ID,
                AmazonSimulator.DEFAULT_CLIENT_SECRET,
                AmazonSimulator.DEFAULT_REFRESH_TOKEN);
        assertThat(r.statusCode()).isEqualTo(200);
        return json(r).get("access_token").asText();
    }

    private HttpResponse<String> get(String token, String pathAndQuery) throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(sim.baseUrl() + pathAndQuery)).GET();
        if (token != null) {
            b.header("x-amz-access-token", token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> patch(String token, String sku, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/listings/2021-08-01/items/" + SELLER + "/"
                                + enc(sku) + "?marketplaceIds=" + AmazonSimulator.US_MARKETPLACE))
                        .header("x-amz-access-token", token)
                        .header("Content-Type", "application/json")
                        .method("PATCH", HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String quantityPatch(int qty) {
        return "{\"productType\":\"PRODUCT\",\"patches\":[{\"op\":\"replace\",\"path\":\"/attributes/fulfillment_availability\","
                + "\"value\":[{\"fulfillment_channel_code\":\"DEFAULT\",\"quantity\":" + qty + "}]}]}";
    }

    private HttpResponse<String> getListing(String token, String sku) throws Exception {
        return get(
                token,
                "/listings/2021-08-01/items/" + SELLER + "/" + enc(sku) + "?marketplaceIds="
                        + AmazonSimulator.US_MARKETPLACE
                        + "&includedData=summaries,attributes,fulfillmentAvailability");
    }

    private String ordersQuery(String extra) {
        return "/orders/v0/orders?MarketplaceIds=" + AmazonSimulator.US_MARKETPLACE + extra;
    }

    private JsonNode json(HttpResponse<String> r) throws Exception {
        return mapper.readTree(r.body());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    // ------------------------------------------------------------------ tests

    @Test
    void lwaTokenFlowAndExpiry() throws Exception {
        sim.tokenLifetime(Duration.ofSeconds(5));
        HttpResponse<String> r = lwa(
                AmazonSimulator.DEFAULT_CLIENT_ID,
                AmazonSimulator.DEFAULT_CLIENT_SECRET,
                AmazonSimulator.DEFAULT_REFRESH_TOKEN);
        JsonNode t = json(r);
        assertThat(t.get("access_token").asText()).startsWith("Atza|");
        assertThat(t.get("token_type").asText()).isEqualTo("bearer");
        assertThat(t.get("expires_in").asInt()).isEqualTo(5);
        assertThat(t.get("refresh_token").asText()).isEqualTo(AmazonSimulator.DEFAULT_REFRESH_TOKEN);
        String token = t.get("access_token").asText();

        assertThat(get(token, ordersQuery("&CreatedAfter=2026-01-01T00:00:00Z")).statusCode())
                .isEqualTo(200);
        clock.advance(Duration.ofSeconds(5));
        HttpResponse<String> expired = get(token, ordersQuery("&CreatedAfter=2026-01-01T00:00:00Z"));
        assertThat(expired.statusCode()).isEqualTo(403);
        JsonNode err = json(expired).get("errors").get(0);
        assertThat(err.get("code").asText()).isEqualTo("Unauthorized");
        assertThat(err.get("message").asText()).isEqualTo("Access to requested resource is denied.");
        assertThat(get(token(), ordersQuery("&CreatedAfter=2026-01-01T00:00:00Z"))
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void authFailures() throws Exception {
        HttpResponse<String> badRefresh =
                lwa(AmazonSimulator.DEFAULT_CLIENT_ID, AmazonSimulator.DEFAULT_CLIENT_SECRET, "Atzr|nope");
        assertThat(badRefresh.statusCode()).isEqualTo(400);
        assertThat(json(badRefresh).get("error").asText()).isEqualTo("invalid_grant");
        HttpResponse<String> badClient =
                lwa(AmazonSimulator.DEFAULT_CLIENT_ID, "wrong", AmazonSimulator.DEFAULT_REFRESH_TOKEN);
        assertThat(badClient.statusCode()).isEqualTo(401);
        assertThat(json(badClient).get("error").asText()).isEqualTo("invalid_client");

        assertThat(get(null, ordersQuery("&CreatedAfter=2026-01-01T00:00:00Z")).statusCode())
                .isEqualTo(403);
        assertThat(get("Atza|made-up", ordersQuery("&CreatedAfter=2026-01-01T00:00:00Z"))
                        .statusCode())
                .isEqualTo(403);

        // a token of another seller cannot touch this seller's listings
        sim.addSeller("A2OTHER", "amzn1.application-oa2-client.other", "s2", "Atzr|other");
        sim.createListing("MUG", 3);
        String other = json(lwa("amzn1.application-oa2-client.other", "s2", "Atzr|other"))
                .get("access_token")
                .asText();
        assertThat(getListing(other, "MUG").statusCode()).isEqualTo(403);
        assertThat(getListing(token(), "MUG").statusCode()).isEqualTo(200);
    }

    @Test
    void getOrdersValidatesParameters() throws Exception {
        String token = token();
        assertThat(get(token, "/orders/v0/orders?CreatedAfter=2026-01-01T00:00:00Z")
                        .statusCode())
                .isEqualTo(400);
        HttpResponse<String> none = get(token, ordersQuery(""));
        assertThat(none.statusCode()).isEqualTo(400);
        assertThat(json(none).get("errors").get(0).get("code").asText()).isEqualTo("InvalidInput");
        assertThat(get(token, ordersQuery("&CreatedAfter=2026-01-01T00:00:00Z&LastUpdatedAfter=2026-01-01T00:00:00Z"))
                        .statusCode())
                .isEqualTo(400);
        assertThat(get(token, ordersQuery("&CreatedAfter=2026-01-01T00:00:00Z&MaxResultsPerPage=101"))
                        .statusCode())
                .isEqualTo(400);
        assertThat(get(token, ordersQuery("&CreatedAfter=2026-01-01T00:00:00Z&MaxResultsPerPage=0"))
                        .statusCode())
                .isEqualTo(400);
    }

    @Test
    void twoMinuteRuleOnBeforeParameters() throws Exception {
        String token = token();
        sim.createListing("MUG", 10);
        String early = sim.placeOrder(List.of(new Line("MUG", 1)));
        clock.advance(Duration.ofMinutes(10));
        // now = 15:10; 15:09 is too recent, 15:08 is fine
        HttpResponse<String> tooRecent = get(
                token, ordersQuery("&LastUpdatedAfter=2026-03-01T14:00:00Z&LastUpdatedBefore=2026-03-01T15:09:00Z"));
        assertThat(tooRecent.statusCode()).isEqualTo(400);
        assertThat(json(tooRecent).get("errors").get(0).get("code").asText()).isEqualTo("InvalidInput");
        HttpResponse<String> ok = get(
                token, ordersQuery("&LastUpdatedAfter=2026-03-01T14:00:00Z&LastUpdatedBefore=2026-03-01T15:08:00Z"));
        assertThat(ok.statusCode()).isEqualTo(200);
        JsonNode payload = json(ok).get("payload");
        assertThat(payload.get("LastUpdatedBefore").asText()).isEqualTo("2026-03-01T15:08:00Z");
        assertThat(payload.get("Orders")).hasSize(1);
        assertThat(payload.get("Orders").get(0).get("AmazonOrderId").asText()).isEqualTo(early);
        // the rule is a setting
        sim.beforeMinAge(Duration.ZERO);
        assertThat(get(token, ordersQuery("&CreatedAfter=2026-03-01T14:00:00Z&CreatedBefore=2026-03-01T15:09:59Z"))
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void pagingWithNextTokenAndOrderShape() throws Exception {
        sim.rateLimit(AmazonSimulator.GET_ORDERS, 1000, 1000);
        String token = token();
        sim.createListing("MUG", 100);
        Set<String> placed = new HashSet<>();
        for (int i = 0; i < 7; i++) {
            placed.add(sim.placeOrder(List.of(new Line("MUG", 1)), OrderStatus.Unshipped));
            clock.advance(Duration.ofSeconds(1));
        }
        Set<String> seen = new HashSet<>();
        JsonNode payload = json(get(token, ordersQuery("&LastUpdatedAfter=2026-03-01T00:00:00Z&MaxResultsPerPage=3")))
                .get("payload");
        int pages = 1;
        JsonNode first = payload.get("Orders").get(0);
        assertThat(first.get("AmazonOrderId").asText()).matches("\\d{3}-\\d{7}-\\d{7}");
        assertThat(first.get("OrderStatus").asText()).isEqualTo("Unshipped");
        assertThat(first.get("FulfillmentChannel").asText()).isEqualTo("MFN");
        assertThat(first.get("MarketplaceId").asText()).isEqualTo(AmazonSimulator.US_MARKETPLACE);
        assertThat(first.get("NumberOfItemsUnshipped").asInt()).isEqualTo(1);
        assertThat(first.get("OrderTotal").get("Amount").asText()).isEqualTo("10.00");
        assertThat(first.get("PurchaseDate").asText()).isEqualTo("2026-03-01T15:00:00Z");
        payload.get("Orders").forEach(o -> seen.add(o.get("AmazonOrderId").asText()));
        while (payload.hasNonNull("NextToken")) {
            // with NextToken the other filters are ignored (here: a contradictory CreatedAfter)
            payload = json(get(
                            token,
                            ordersQuery("&CreatedAfter=2030-01-01T00:00:00Z&NextToken="
                                    + enc(payload.get("NextToken").asText()))))
                    .get("payload");
            payload.get("Orders").forEach(o -> seen.add(o.get("AmazonOrderId").asText()));
            pages++;
        }
        assertThat(pages).isEqualTo(3);
        assertThat(seen).isEqualTo(placed);

        String id = placed.iterator().next();
        JsonNode items =
                json(get(token, "/orders/v0/orders/" + id + "/orderItems")).get("payload");
        assertThat(items.get("AmazonOrderId").asText()).isEqualTo(id);
        JsonNode item = items.get("OrderItems").get(0);
        assertThat(item.get("SellerSKU").asText()).isEqualTo("MUG");
        assertThat(item.get("QuantityOrdered").asInt()).isEqualTo(1);
        assertThat(item.get("QuantityShipped").asInt()).isZero();
        assertThat(item.get("ASIN").asText()).startsWith("B0");
        assertThat(item.get("ItemPrice").get("CurrencyCode").asText()).isEqualTo("USD");
        assertThat(get(token, "/orders/v0/orders/111-1111111-1111111/orderItems")
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void orderLowersQuantityCancelRestoresAndStatusMovesLastUpdateDate() throws Exception {
        String token = token();
        sim.createListing("MUG", 5);
        String id = sim.placeOrder(List.of(new Line("MUG", 2)));
        assertThat(sim.quantity("MUG")).isEqualTo(3);
        assertThat(json(getListing(token, "MUG"))
                        .get("fulfillmentAvailability")
                        .get(0)
                        .get("quantity")
                        .asInt())
                .isEqualTo(3);

        clock.advance(Duration.ofMinutes(1));
        sim.setStatus(id, OrderStatus.Unshipped);
        assertThat(sim.quantity("MUG")).isEqualTo(3);
        clock.advance(Duration.ofMinutes(1));
        sim.setStatus(id, OrderStatus.Canceled);
        assertThat(sim.quantity("MUG")).isEqualTo(5);
        assertThat(sim.order(id).lastUpdateDate()).isEqualTo(Instant.parse("2026-03-01T15:02:00Z"));

        JsonNode orders = json(get(token, ordersQuery("&LastUpdatedAfter=2026-03-01T15:01:30Z&OrderStatuses=Canceled")))
                .get("payload")
                .get("Orders");
        assertThat(orders).hasSize(1);
        assertThat(orders.get(0).get("OrderStatus").asText()).isEqualTo("Canceled");
        assertThat(orders.get(0).get("LastUpdateDate").asText()).isEqualTo("2026-03-01T15:02:00Z");
        assertThatThrownBy(() -> sim.setStatus(id, OrderStatus.Shipped)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> sim.placeOrder(List.of(new Line("MUG", 6)))).isInstanceOf(IllegalStateException.class);

        sim.deductOnPending(false);
        String pending = sim.placeOrder(List.of(new Line("MUG", 1)));
        assertThat(sim.quantity("MUG")).isEqualTo(5);
        sim.setStatus(pending, OrderStatus.Shipped);
        assertThat(sim.quantity("MUG")).isEqualTo(4);
    }

    @Test
    void patchSetsQuantityAfterProcessingDelayAndGetReadsIt() throws Exception {
        sim.processingDelay(Duration.ofSeconds(3));
        String token = token();
        sim.createListing("MUG BLUE/1", 5);
        HttpResponse<String> r = patch(token, "MUG BLUE/1", quantityPatch(17));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-amzn-RateLimit-Limit")).hasValue("5");
        assertThat(r.headers().firstValue("x-amzn-RequestId")).isPresent();
        JsonNode sub = json(r);
        assertThat(sub.get("sku").asText()).isEqualTo("MUG BLUE/1");
        assertThat(sub.get("status").asText()).isEqualTo("ACCEPTED");
        assertThat(sub.get("submissionId").asText()).isNotBlank();
        assertThat(sub.get("issues")).isEmpty();
        assertThat(sim.quantity("MUG BLUE/1")).isEqualTo(5); // still processing
        clock.advance(Duration.ofSeconds(3));
        JsonNode item = json(getListing(token, "MUG BLUE/1"));
        assertThat(item.get("fulfillmentAvailability")
                        .get(0)
                        .get("fulfillmentChannelCode")
                        .asText())
                .isEqualTo("DEFAULT");
        assertThat(item.get("fulfillmentAvailability").get(0).get("quantity").asInt())
                .isEqualTo(17);
        assertThat(item.get("attributes")
                        .get("fulfillment_availability")
                        .get(0)
                        .get("quantity")
                        .asInt())
                .isEqualTo(17);
        assertThat(item.get("summaries").get(0).get("marketplaceId").asText())
                .isEqualTo(AmazonSimulator.US_MARKETPLACE);
        assertThat(sim.patches()).hasSize(1);
        assertThat(sim.patches().get(0).quantity()).isEqualTo(17);

        JsonNode bad = json(patch(token, "MUG BLUE/1", quantityPatch(-1)));
        assertThat(bad.get("status").asText()).isEqualTo("INVALID");
        assertThat(bad.get("issues").get(0).get("severity").asText()).isEqualTo("ERROR");
        assertThat(json(patch(token, "NOPE", quantityPatch(1))).get("status").asText())
                .isEqualTo("INVALID");
        assertThat(patch(token, "MUG BLUE/1", "{\"patches\":[]}").statusCode()).isEqualTo(400);
        assertThat(getListing(token, "NOPE").statusCode()).isEqualTo(404);
        clock.advance(Duration.ofSeconds(3));
        assertThat(sim.quantity("MUG BLUE/1")).isEqualTo(17);
    }

    @Test
    void everyIssueCarriesTheRequiredCategories() throws Exception {
        // listingsItems_2021-08-01.json definitions.Issue: code, message, severity and categories are required.
        String token = token();
        sim.createListing("MUG", 5);
        String noChannel = "{\"productType\":\"PRODUCT\",\"patches\":[{\"op\":\"replace\",\"path\":"
                + "\"/attributes/fulfillment_availability\",\"value\":[{\"quantity\":3}]}]}";
        JsonNode negative = json(patch(token, "MUG", quantityPatch(-1)));
        JsonNode missing = json(patch(token, "MUG", noChannel));
        for (JsonNode answer : List.of(negative, missing, json(patch(token, "NOPE", quantityPatch(1))))) {
            assertThat(answer.get("status").asText()).isEqualTo("INVALID");
            assertThat(answer.get("issues")).isNotEmpty().allSatisfy(issue -> {
                assertThat(issue.fieldNames()).toIterable().contains("code", "message", "severity", "categories");
                assertThat(issue.get("categories").isArray()).isTrue();
            });
        }
        assertThat(negative.get("issues").get(0).get("categories"))
                .extracting(JsonNode::asText)
                .containsExactly("INVALID_ATTRIBUTE");
        assertThat(missing.get("issues").get(0).get("categories"))
                .extracting(JsonNode::asText)
                .containsExactly("MISSING_ATTRIBUTE");
    }

    @Test
    void includedDataOutsideEachOperationsAllowedValuesIsABadRequest() throws Exception {
        String token = token();
        sim.createListing("MUG", 5);
        String item = "/listings/2021-08-01/items/" + SELLER + "/MUG?marketplaceIds=" + AmazonSimulator.US_MARKETPLACE;
        HttpResponse<String> all = get(
                token,
                item + "&includedData=summaries,attributes,issues,offers,"
                        + "fulfillmentAvailability,procurement,relationships,productTypes");
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(json(all).get("productTypes").get(0).get("productType").asText())
                .isNotBlank();
        HttpResponse<String> bogus = get(token, item + "&includedData=summaries,fulfillment_availability");
        assertThat(bogus.statusCode()).isEqualTo(400);
        JsonNode error = json(bogus).get("errors").get(0);
        assertThat(error.get("code").asText()).isEqualTo("InvalidInput");
        assertThat(error.get("message").asText()).contains("fulfillment_availability");
        assertThat(get(
                                token,
                                "/listings/2021-08-01/items/" + SELLER + "?marketplaceIds="
                                        + AmazonSimulator.US_MARKETPLACE + "&includedData=identifiers")
                        .statusCode())
                .as("identifiers is a patch/put value, not a read value")
                .isEqualTo(400);

        // patchListingsItem: identifiers and issues only, identifiers only in VALIDATION_PREVIEW.
        String patchUrl = sim.baseUrl() + "/listings/2021-08-01/items/" + SELLER + "/MUG?marketplaceIds="
                + AmazonSimulator.US_MARKETPLACE;
        for (String query : List.of("&includedData=summaries", "&includedData=issues,identifiers")) {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(patchUrl + query))
                            .header("x-amz-access-token", token)
                            .header("Content-Type", "application/json")
                            .method("PATCH", HttpRequest.BodyPublishers.ofString(quantityPatch(4)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(query).isEqualTo(400);
        }
        HttpResponse<String> preview = http.send(
                HttpRequest.newBuilder(
                                URI.create(patchUrl + "&includedData=issues,identifiers&mode=VALIDATION_PREVIEW"))
                        .header("x-amz-access-token", token)
                        .header("Content-Type", "application/json")
                        .method("PATCH", HttpRequest.BodyPublishers.ofString(quantityPatch(4)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(preview.statusCode()).isEqualTo(200);
        assertThat(json(preview).get("status").asText()).isEqualTo("VALID");
        assertThat(sim.quantity("MUG")).isEqualTo(5);
    }

    @Test
    void tokenBucketThrottlesAfterBurstAndRefillsAtRate() throws Exception {
        sim.rateLimit(AmazonSimulator.GET_LISTINGS_ITEM, 0.5, 3); // one token every 2 s
        String token = token();
        sim.createListing("MUG", 1);
        for (int i = 0; i < 3; i++) {
            assertThat(getListing(token, "MUG").statusCode()).isEqualTo(200);
        }
        HttpResponse<String> throttled = getListing(token, "MUG");
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("x-amzn-RateLimit-Limit")).hasValue("0.5");
        JsonNode err = json(throttled).get("errors").get(0);
        assertThat(err.get("code").asText()).isEqualTo("QuotaExceeded");
        assertThat(err.get("message").asText()).isEqualTo("You exceeded your quota for the requested resource.");
        clock.advance(Duration.ofSeconds(1));
        assertThat(getListing(token, "MUG").statusCode()).isEqualTo(429);
        clock.advance(Duration.ofSeconds(1));
        assertThat(getListing(token, "MUG").statusCode()).isEqualTo(200);
        assertThat(getListing(token, "MUG").statusCode()).isEqualTo(429);
        assertThat(sim.stats(AmazonSimulator.GET_LISTINGS_ITEM)).isEqualTo(new AmazonSimulator.OperationStats(7, 3));

        // documented default for getOrders: burst 20
        assertThat(sim.rateLimit(AmazonSimulator.GET_ORDERS)).isEqualTo(new AmazonSimulator.RateLimit(0.0167, 20));
        for (int i = 0; i < 20; i++) {
            assertThat(get(token, ordersQuery("&CreatedAfter=2026-01-01T00:00:00Z"))
                            .statusCode())
                    .isEqualTo(200);
        }
        assertThat(get(token, ordersQuery("&CreatedAfter=2026-01-01T00:00:00Z")).statusCode())
                .isEqualTo(429);
    }

    @Test
    void outageThenRecoverAndThrottleStorm() throws Exception {
        String token = token();
        sim.createListing("MUG", 1);
        sim.failFor(Duration.ofMinutes(5), 503);
        HttpResponse<String> down = getListing(token, "MUG");
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(json(down).get("errors").get(0).get("code").asText()).isEqualTo("ServiceUnavailable");
        clock.advance(Duration.ofMinutes(5));
        assertThat(getListing(token, "MUG").statusCode()).isEqualTo(200);

        sim.failFor(Duration.ofHours(1), 500);
        assertThat(getListing(token, "MUG").statusCode()).isEqualTo(500);
        sim.recover();
        assertThat(getListing(token, "MUG").statusCode()).isEqualTo(200);

        sim.throttleStorm(Duration.ofMinutes(1));
        assertThat(getListing(token, "MUG").statusCode()).isEqualTo(429);
        assertThat(patch(token, "MUG", quantityPatch(3)).statusCode()).isEqualTo(429);
        clock.advance(Duration.ofMinutes(1));
        assertThat(patch(token, "MUG", quantityPatch(3)).statusCode()).isEqualTo(200);
        assertThat(sim.stats(AmazonSimulator.PATCH_LISTINGS_ITEM).throttled()).isEqualTo(1);
    }

    @Test
    void sandboxHttpControls() throws Exception {
        HttpResponse<String> created = http.send(
                HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/_sandbox/amazon/listings"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"sku\":\"CUP\",\"quantity\":4}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).isEqualTo(200);
        HttpResponse<String> order = http.send(
                HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/_sandbox/amazon/orders"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"lines\":[{\"sku\":\"CUP\",\"quantity\":3}]}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(order.statusCode()).isEqualTo(200);
        String id = json(order).get("amazonOrderId").asText();
        assertThat(json(http.send(
                                HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/_sandbox/amazon/listings/CUP"))
                                        .GET()
                                        .build(),
                                HttpResponse.BodyHandlers.ofString()))
                        .get("quantity")
                        .asInt())
                .isEqualTo(1);
        http.send(
                HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/_sandbox/amazon/orders/" + id + "/status"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"status\":\"Canceled\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(sim.quantity("CUP")).isEqualTo(4);
        HttpResponse<String> tooMuch = http.send(
                HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/_sandbox/amazon/orders"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"lines\":[{\"sku\":\"CUP\",\"quantity\":9}]}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(tooMuch.statusCode()).isEqualTo(400);
        HttpResponse<String> stats = http.send(
                HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/_sandbox/amazon/stats"))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(stats.statusCode()).isEqualTo(200);
    }
}
