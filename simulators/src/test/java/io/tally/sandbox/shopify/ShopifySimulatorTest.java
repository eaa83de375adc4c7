package io.tally.sandbox.shopify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tally.sandbox.shopify.Shop.LineSpec;
import io.tally.sandbox.shopify.Shop.RefundLineSpec;
import io.tally.sandbox.shopify.Shop.ReturnLineSpec;
import io.tally.sandbox.shopify.Shop.VariantSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ShopifySimulatorTest {

    private static final String TOKEN = "shpat_test";
    private static final String SECRET = "client-secret-a";
    private static final String V = "2026-04";
    private static final String SET = """
            mutation Set($input: InventorySetQuantitiesInput!) {
              inventorySetQuantities(input: $input) @idempotent(key: "%s") {
                inventoryAdjustmentGroup { id reason referenceDocumentUri
                  changes { name delta quantityAfterChange item { id } location { id } } }
                userErrors { code field message }
              }
            }""";

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper mapper = new ObjectMapper();
    private ShopifySimulator sim;
    private WebhookReceiver receiver;
    private Shop shop;
    private Shop.Product mug;
    private Shop.Variant blue;

    @BeforeEach
    void start() throws Exception {
        sim = new ShopifySimulator(0).start();
        receiver = new WebhookReceiver();
        shop = sim.addShop(
                "shop-a",
                ShopSettings.builder()
                        .accessToken(TOKEN)
                        .webhookSecret(SECRET)
                        .retryBaseDelay(Duration.ofMillis(50))
                        .build());
        mug = shop.createProduct(
                "Mug",
                "mug",
                List.of("kitchen", "blue"),
                List.of(new VariantSpec("Blue", "MUG-BLUE", "0001", 20), new VariantSpec("Red", "MUG-RED", "0002", 5)));
        blue = mug.variant("MUG-BLUE");
        shop.webhookUrl(receiver.url("/webhooks/shopify/shop-a")); // set late: products/create was queued meanwhile
        assertThat(shop.awaitWebhooksDelivered(Duration.ofSeconds(5))).isTrue();
        assertThat(receiver.accepted("products/create")).hasSize(1);
        receiver.clear();
        shop.webhooks().clearHistory();
    }

    @AfterEach
    void stop() {
        sim.close();
        receiver.close();
    }

    // ------------------------------------------------------------------ helpers

    private HttpResponse<String> post(String url, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("X-Shopify-Access-Token", token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode gql(String query, Object variables) throws Exception {
        return gql(V, query, variables);
    }

    private JsonNode gql(String version, String query, Object variables) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", query);
        if (variables != null) {
            body.put("variables", variables);
        }
        HttpResponse<String> r = post(
                sim.apiUrl("shop-a") + "/admin/api/" + version + "/graphql.json",
                TOKEN,
                mapper.writeValueAsString(body));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode n = mapper.readTree(r.body());
        assertThat(n.at("/extensions/cost/throttleStatus/maximumAvailable").isNumber())
                .as(r.body())
                .isTrue();
        return n;
    }

    private static Map<String, Object> qty(Shop.Variant v, long locationId, int quantity, Object changeFrom) {
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("inventoryItemId", v.inventoryItemGid());
        q.put("locationId", "gid://shopify/Location/" + locationId);
        q.put("quantity", quantity);
        q.put("changeFromQuantity", changeFrom);
        return q;
    }

    private static Map<String, Object> setInput(Object... quantities) {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("name", "available");
        input.put("reason", "correction");
        input.put("referenceDocumentUri", "gid://tally/SyncJob/42");
        input.put("quantities", List.of(quantities));
        return Map.of("input", input);
    }

    private long primary() {
        return shop.primaryLocation().id();
    }

    private static String hmac(byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(body));
    }

    private void delivered() {
        assertThat(shop.awaitWebhooksDelivered(Duration.ofSeconds(10))).isTrue();
    }

    // ------------------------------------------------------------------ GraphQL

    @Test
    void rejectsWrongTokenAndUnknownShop() throws Exception {
        String q = "{\"query\":\"{ shop { name } }\"}";
        HttpResponse<String> r = post(sim.apiUrl("shop-a") + "/admin/api/2026-04/graphql.json", "wrong", q);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(mapper.readTree(r.body()).path("errors").asText())
                .isEqualTo("[API] Invalid API key or access token (unrecognized login or wrong password)");
        assertThat(post(sim.apiUrl("shop-a") + "/admin/api/2026-04/graphql.json", null, q)
                        .statusCode())
                .isEqualTo(401);
        assertThat(post(sim.apiUrl("nope") + "/admin/api/2026-04/graphql.json", TOKEN, q)
                        .statusCode())
                .isEqualTo(404);
        JsonNode ok = gql("2025-10", "{ shop { name myshopifyDomain } }", null);
        assertThat(ok.at("/data/shop/myshopifyDomain").asText()).isEqualTo("shop-a.myshopify.com");
        assertThat(shop.graphqlCalls()).isEqualTo(3); // the unknown shop's call is not shop-a's
        assertThat(shop.calls().get(2).apiVersion()).isEqualTo("2025-10");
        assertThat(shop.calls().get(0).status()).isEqualTo(401);
    }

    @Test
    void readsCatalogAndLocationsWithPagination() throws Exception {
        shop.addLocation("Overflow");
        shop.createProduct("Plate", "plate", List.of(), List.of(new VariantSpec("Default Title", "PLATE", null, 3)));
        String q = """
                query($after: String) {
                  productVariants(first: 2, after: $after) {
                    edges { cursor node { id sku barcode inventoryQuantity product { id handle tags status }
                      inventoryItem { id sku tracked inventoryLevel(locationId: "%s") {
                        id quantities(names: ["available", "on_hand"]) { name quantity } } } } }
                    pageInfo { hasNextPage hasPreviousPage endCursor }
                  }
                }""".formatted("gid://shopify/Location/" + primary());
        JsonNode page1 = gql(q, null);
        JsonNode edges = page1.at("/data/productVariants/edges");
        assertThat(edges).hasSize(2);
        JsonNode first = edges.get(0).get("node");
        assertThat(first.get("id").asText()).isEqualTo("gid://shopify/ProductVariant/" + blue.id());
        assertThat(first.get("sku").asText()).isEqualTo("MUG-BLUE");
        assertThat(first.at("/product/tags").toString()).isEqualTo("[\"kitchen\",\"blue\"]");
        assertThat(first.at("/product/status").asText()).isEqualTo("ACTIVE");
        assertThat(first.at("/inventoryItem/id").asText()).isEqualTo(blue.inventoryItemGid());
        assertThat(first.at("/inventoryItem/inventoryLevel/id").asText())
                .isEqualTo(
                        "gid://shopify/InventoryLevel/" + primary() + "?inventory_item_id=" + blue.inventoryItemId());
        assertThat(first.at("/inventoryItem/inventoryLevel/quantities/0/quantity")
                        .asInt())
                .isEqualTo(20);
        assertThat(first.at("/inventoryItem/inventoryLevel/quantities/1/name").asText())
                .isEqualTo("on_hand");
        assertThat(page1.at("/data/productVariants/pageInfo/hasNextPage").asBoolean())
                .isTrue();
        assertThat(page1.at("/extensions/cost/requestedQueryCost").asInt()).isGreaterThan(2);

        JsonNode page2 = gql(
                q,
                Map.of(
                        "after",
                        page1.at("/data/productVariants/pageInfo/endCursor").asText()));
        assertThat(page2.at("/data/productVariants/edges")).hasSize(1);
        assertThat(page2.at("/data/productVariants/edges/0/node/sku").asText()).isEqualTo("PLATE");
        assertThat(page2.at("/data/productVariants/pageInfo/hasNextPage").asBoolean())
                .isFalse();
        assertThat(page2.at("/data/productVariants/pageInfo/hasPreviousPage").asBoolean())
                .isTrue();
        // one of two slots unused: the actual cost is lower than the requested one
        assertThat(page2.at("/extensions/cost/actualQueryCost").asInt())
                .isLessThan(page2.at("/extensions/cost/requestedQueryCost").asInt());

        JsonNode locs = gql("{ locations(first: 10) { nodes { id name isActive } } location { id name } }", null);
        assertThat(locs.at("/data/locations/nodes")).hasSize(2);
        assertThat(locs.at("/data/location/name").asText()).isEqualTo("Main warehouse");
        JsonNode nodes = gql(
                "query($ids: [ID!]!) { nodes(ids: $ids) { id ... on ProductVariant { sku } "
                        + "... on Product { title } } }",
                Map.of("ids", List.of(blue.gid(), mug.gid(), "gid://shopify/ProductVariant/1")));
        assertThat(nodes.at("/data/nodes/0/sku").asText()).isEqualTo("MUG-BLUE");
        assertThat(nodes.at("/data/nodes/1/title").asText()).isEqualTo("Mug");
        assertThat(nodes.at("/data/nodes/2").isNull()).isTrue();
        JsonNode bySku = gql("{ productVariants(first: 5, query: \"sku:MUG-RED\") { nodes { id } } }", null);
        assertThat(bySku.at("/data/productVariants/nodes/0/id").asText())
                .isEqualTo(mug.variant("MUG-RED").gid());
    }

    @Test
    void unknownFieldFailsValidation() throws Exception {
        JsonNode r = gql("{ shop { name planet } }", null);
        assertThat(r.has("data")).isFalse();
        assertThat(r.at("/errors/0/message").asText()).isEqualTo("Field 'planet' doesn't exist on type 'Shop'");
        assertThat(r.at("/errors/0/extensions/code").asText()).isEqualTo("undefinedField");
        JsonNode noFirst = gql("{ products { nodes { id } } }", null);
        assertThat(noFirst.at("/errors/0/message").asText()).contains("first");
    }

    @Test
    void aShopifyFieldTheSimulatorDoesNotImplementAnswersAnErrorNotANull() throws Exception {
        // Product.bodyHtml (nullable) and Shop.plan (non-null) are in Shopify's schema, so the query is valid, but
        // the simulator has no data for them: it must say so rather than answer a plausible null.
        JsonNode nullable = gql("{ products(first: 1) { nodes { title bodyHtml } } }", null);
        assertThat(nullable.at("/data/products/nodes/0/title").asText()).isEqualTo("Mug");
        assertThat(nullable.at("/errors/0/message").asText())
                .isEqualTo(
                        "Field 'bodyHtml' on type 'Product' is in Shopify's schema but not implemented by the Tally simulator");
        assertThat(nullable.at("/errors/0/extensions/code").asText()).isEqualTo("NOT_IMPLEMENTED");
        assertThat(nullable.at("/errors/0/path").toString()).isEqualTo("[\"products\",\"nodes\",0,\"bodyHtml\"]");
        JsonNode nonNull = gql("{ shop { name plan { publicDisplayName } } }", null);
        assertThat(nonNull.at("/errors/0/message").asText())
                .isEqualTo(
                        "Field 'plan' on type 'Shop' is in Shopify's schema but not implemented by the Tally simulator");
    }

    /** graphql-java ignores a fetcher wired to a field the schema lacks: a misspelt field would answer nothing. */
    @Test
    void everyFieldTheSimulatorImplementsIsInShopifysSchema() {
        graphql.schema.GraphQLSchema schema = ShopifySchemas.simulator();
        List<String> missing = new java.util.ArrayList<>();
        ShopifySchemas.implementedFields()
                .forEach((type, fields) -> fields.forEach(field -> {
                    if (!(schema.getType(type) instanceof graphql.schema.GraphQLObjectType object)
                            || object.getFieldDefinition(field) == null) {
                        missing.add(type + "." + field);
                    }
                }));
        ShopifySchemas.implementedArguments()
                .forEach((field, arguments) -> arguments.forEach(argument -> {
                    String type = field.substring(0, field.indexOf('.'));
                    graphql.schema.GraphQLFieldDefinition definition =
                            schema.getObjectType(type).getFieldDefinition(field.substring(field.indexOf('.') + 1));
                    if (definition.getArgument(argument) == null) {
                        missing.add(field + "(" + argument + ")");
                    }
                }));
        assertThat(missing).isEmpty();
        assertThat(ShopifySchemas.implementedFields().get("QueryRoot")).contains("productVariants", "nodes");
    }

    @Test
    void aShopifyArgumentTheSimulatorDoesNotImplementAnswersAnErrorNotAnIgnoredArgument() throws Exception {
        JsonNode r = gql("{ products(first: 5, reverse: true) { nodes { title } } }", null);
        assertThat(r.at("/errors/0/message").asText())
                .isEqualTo("Argument 'reverse' of field 'products' on type "
                        + "'QueryRoot' is in Shopify's schema but not implemented by the Tally simulator");
        assertThat(r.at("/errors/0/extensions/code").asText()).isEqualTo("NOT_IMPLEMENTED");
        JsonNode implemented = gql("{ products(first: 5, query: \"title:Mug\") { nodes { title } } }", null);
        assertThat(implemented.has("errors")).as("%s", implemented).isFalse();
        assertThat(implemented.at("/data/products/nodes/0/title").asText()).isEqualTo("Mug");
    }

    @Test
    void setWithMatchingChangeFromAppliesAndFiresSignedLevelUpdate() throws Exception {
        JsonNode r = gql(SET.formatted(UUID.randomUUID()), setInput(qty(blue, primary(), 17, 20)));
        JsonNode payload = r.at("/data/inventorySetQuantities");
        assertThat(payload.get("userErrors")).isEmpty();
        assertThat(payload.at("/inventoryAdjustmentGroup/id").asText())
                .startsWith("gid://shopify/InventoryAdjustmentGroup/");
        assertThat(payload.at("/inventoryAdjustmentGroup/referenceDocumentUri").asText())
                .isEqualTo("gid://tally/SyncJob/42");
        JsonNode change = payload.at("/inventoryAdjustmentGroup/changes/0");
        assertThat(change.get("name").asText()).isEqualTo("available");
        assertThat(change.get("delta").asInt()).isEqualTo(-3);
        assertThat(change.get("quantityAfterChange").asInt()).isEqualTo(17);
        assertThat(change.at("/item/id").asText()).isEqualTo(blue.inventoryItemGid());
        assertThat(r.at("/extensions/cost/requestedQueryCost").asInt()).isEqualTo(10);
        assertThat(shop.available(blue.id())).isEqualTo(17);
        assertThat(shop.mutationCalls()).isEqualTo(1);

        delivered();
        List<WebhookReceiver.Hit> hits = receiver.accepted("inventory_levels/update");
        assertThat(hits).hasSize(1);
        WebhookReceiver.Hit hit = hits.get(0);
        assertThat(MessageDigest.isEqual(
                        hit.hmac().getBytes(StandardCharsets.UTF_8),
                        hmac(hit.body()).getBytes(StandardCharsets.UTF_8)))
                .isTrue();
        assertThat(hit.shopDomain()).isEqualTo("shop-a.myshopify.com");
        assertThat(hit.apiVersion()).isEqualTo("2026-04");
        assertThat(hit.contentType()).isEqualTo("application/json");
        assertThat(UUID.fromString(hit.eventId())).isNotNull();
        assertThat(UUID.fromString(hit.webhookId())).isNotNull();
        assertThat(hit.triggeredAt()).isNotBlank();
        JsonNode body = hit.json();
        assertThat(body.get("inventory_item_id").asLong()).isEqualTo(blue.inventoryItemId());
        assertThat(body.get("location_id").asLong()).isEqualTo(primary());
        assertThat(body.get("available").asLong()).isEqualTo(17);
        assertThat(body.get("admin_graphql_api_id").asText())
                .isEqualTo(
                        "gid://shopify/InventoryLevel/" + primary() + "?inventory_item_id=" + blue.inventoryItemId());
    }

    @Test
    void staleChangeFromChangesNothing() throws Exception {
        Shop.Variant red = mug.variant("MUG-RED");
        JsonNode r = gql(
                SET.formatted(UUID.randomUUID()), setInput(qty(red, primary(), 9, 5), qty(blue, primary(), 17, 19)));
        JsonNode payload = r.at("/data/inventorySetQuantities");
        assertThat(payload.get("inventoryAdjustmentGroup").isNull()).isTrue();
        assertThat(payload.at("/userErrors/0/code").asText()).isEqualTo("CHANGE_FROM_QUANTITY_STALE");
        assertThat(payload.at("/userErrors/0/field").toString())
                .isEqualTo("[\"input\",\"quantities\",\"1\",\"changeFromQuantity\"]");
        assertThat(shop.available(red.id())).isEqualTo(5); // all or nothing
        assertThat(shop.available(blue.id())).isEqualTo(20);

        // 2026-04: omitting changeFromQuantity is an error, an explicit null opts out
        Map<String, Object> omitted = qty(blue, primary(), 3, null);
        omitted.remove("changeFromQuantity");
        JsonNode missing = gql(SET.formatted(UUID.randomUUID()), setInput(omitted));
        // Shopify documents that an omitted changeFromQuantity is an error but names no code for it
        assertThat(missing.at("/data/inventorySetQuantities/userErrors/0/code").isNull())
                .isTrue();
        assertThat(missing.at("/data/inventorySetQuantities/userErrors/0/field").toString())
                .isEqualTo("[\"input\",\"quantities\",\"0\",\"changeFromQuantity\"]");
        assertThat(shop.available(blue.id())).isEqualTo(20);
        // compareQuantity / ignoreCompareQuantity are not in the 2026-04 input types: refused by validation
        Map<String, Object> legacy = qty(blue, primary(), 3, null);
        legacy.remove("changeFromQuantity");
        legacy.put("compareQuantity", 20);
        JsonNode removed = gql(SET.formatted(UUID.randomUUID()), setInput(legacy));
        assertThat(removed.at("/errors/0/message").asText()).contains("compareQuantity");
        assertThat(shop.available(blue.id())).isEqualTo(20);
        JsonNode optOut = gql(SET.formatted(UUID.randomUUID()), setInput(qty(blue, primary(), -2, null)));
        assertThat(optOut.at("/data/inventorySetQuantities/userErrors")).isEmpty();
        assertThat(shop.available(blue.id())).isEqualTo(-2); // negative available is allowed

        JsonNode bad = gql(
                SET.formatted(UUID.randomUUID()),
                Map.of(
                        "input",
                        Map.of(
                                "name",
                                "available",
                                "reason",
                                "because",
                                "quantities",
                                List.of(Map.of(
                                        "inventoryItemId",
                                        "gid://shopify/InventoryItem/1",
                                        "locationId",
                                        "gid://shopify/Location/" + primary(),
                                        "quantity",
                                        1,
                                        "changeFromQuantity",
                                        0)))));
        List<String> codes = new ArrayList<>();
        bad.at("/data/inventorySetQuantities/userErrors")
                .forEach(e -> codes.add(e.get("code").asText()));
        assertThat(codes).containsExactly("INVALID_REASON", "INVALID_INVENTORY_ITEM");
    }

    @Test
    void idempotentKeyReplaysAndRejectsOtherParameters() throws Exception {
        String key = UUID.randomUUID().toString();
        Map<String, Object> vars = setInput(qty(blue, primary(), 15, 20));
        JsonNode first = gql(SET.formatted(key), vars);
        JsonNode again = gql(SET.formatted(key), vars);
        assertThat(again.at("/data/inventorySetQuantities/inventoryAdjustmentGroup/id")
                        .asText())
                .isEqualTo(first.at("/data/inventorySetQuantities/inventoryAdjustmentGroup/id")
                        .asText());
        assertThat(again.at("/data/inventorySetQuantities/userErrors")).isEmpty();
        assertThat(shop.available(blue.id())).isEqualTo(15);
        delivered();
        assertThat(receiver.accepted("inventory_levels/update")).hasSize(1); // applied once

        JsonNode other = gql(SET.formatted(key), setInput(qty(blue, primary(), 11, 15)));
        assertThat(other.at("/data/inventorySetQuantities/userErrors/0/code").asText())
                .isEqualTo("IDEMPOTENCY_KEY_PARAMETER_MISMATCH");
        assertThat(shop.available(blue.id())).isEqualTo(15);

        JsonNode noKey = gql(
                "mutation($input: InventorySetQuantitiesInput!) { inventorySetQuantities(input: $input) "
                        + "{ userErrors { code } } }",
                setInput(qty(blue, primary(), 1, 15)));
        assertThat(noKey.at("/errors/0/message").asText()).contains("@idempotent");
        assertThat(noKey.at("/data/inventorySetQuantities").isNull()).isTrue();
        assertThat(shop.available(blue.id())).isEqualTo(15);
    }

    @Test
    void adjustQuantitiesAddsDelta() throws Exception {
        String adjust = """
                mutation($input: InventoryAdjustQuantitiesInput!) {
                  inventoryAdjustQuantities(input: $input) @idempotent(key: "%s") {
                    inventoryAdjustmentGroup { changes { name delta quantityAfterChange } }
                    userErrors { code field message }
                  }
                }""";
        Map<String, Object> change = new LinkedHashMap<>(Map.of(
                "delta",
                -4,
                "inventoryItemId",
                blue.inventoryItemGid(),
                "locationId",
                "gid://shopify/Location/" + primary()));
        JsonNode omitted = gql(
                adjust.formatted("k-adjust-0"),
                Map.of("input", Map.of("name", "available", "reason", "received", "changes", List.of(change))));
        assertThat(omitted.at("/data/inventoryAdjustQuantities/userErrors/0/code")
                        .isNull())
                .isTrue();
        assertThat(omitted.at("/data/inventoryAdjustQuantities/inventoryAdjustmentGroup")
                        .isNull())
                .isTrue();
        change.put("changeFromQuantity", 20);
        JsonNode r = gql(
                adjust.formatted("k-adjust-1"),
                Map.of("input", Map.of("name", "available", "reason", "received", "changes", List.of(change))));
        assertThat(r.at("/data/inventoryAdjustQuantities/userErrors")).isEmpty();
        assertThat(r.at("/data/inventoryAdjustQuantities/inventoryAdjustmentGroup/changes/0/quantityAfterChange")
                        .asInt())
                .isEqualTo(16);
        assertThat(shop.available(blue.id())).isEqualTo(16);
    }

    /**
     * Shopify's documented bucket (https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits): the requested
     * cost is charged before the query runs, the difference to the actual cost is refunded, the bucket refills
     * continuously at restoreRate up to maximumAvailable, and a query the bucket cannot pay is THROTTLED and charged
     * nothing.
     */
    @Test
    void bucketChargesTheRequestedCostRefundsTheActualAndRefillsUpToTheMaximum() throws Exception {
        shop.settings(shop.settings().toBuilder().bucketSize(20).restoreRate(1).build());
        shop.resetBucket();
        String q = "{ products(first: 3) { edges { node { id title } } } }"; // requested 2 + 3 * 1 = 5, actual 3
        JsonNode first = gql(q, null);
        assertThat(first.at("/extensions/cost/requestedQueryCost").asInt()).isEqualTo(5);
        assertThat(first.at("/extensions/cost/actualQueryCost").asInt()).isEqualTo(3);
        assertThat(first.at("/extensions/cost/throttleStatus/currentlyAvailable")
                        .asDouble())
                .isEqualTo(17.0);
        JsonNode big = gql("{ products(first: 18) { edges { node { id } } } }", null); // requested 20 > 17
        assertThat(big.at("/errors/0/extensions/code").asText()).isEqualTo("THROTTLED");
        assertThat(big.at("/extensions/cost/throttleStatus/currentlyAvailable").asDouble())
                .as("a throttled query is charged nothing")
                .isEqualTo(17.0);
        Thread.sleep(1100);
        assertThat(gql(q, null)
                        .at("/extensions/cost/throttleStatus/currentlyAvailable")
                        .asDouble())
                .as("about one point restored in a second (more on a slow machine), then charged 3")
                .isBetween(15.0, 16.0);
        shop.settings(
                shop.settings().toBuilder().bucketSize(20).restoreRate(100).build());
        Thread.sleep(300);
        assertThat(gql(q, null)
                        .at("/extensions/cost/throttleStatus/currentlyAvailable")
                        .asDouble())
                // 20 - 3, plus what 100 points/s restore while the query runs (a few ms, more on a loaded machine);
                // without the cap at maximumAvailable it would be about 15 + 30 - 3 = 42
                .as("refilled to the maximum, not beyond, then charged 3")
                .isBetween(17.0, 20.0);
    }

    @Test
    void throttlesWhenTheBucketIsEmptyAndRecovers() throws Exception {
        shop.settings(shop.settings().toBuilder().bucketSize(20).restoreRate(10).build());
        shop.resetBucket();
        String q = "{ products(first: 3) { edges { node { id title } } } }"; // 2 + 3 * 1 = 5 points
        JsonNode last = null;
        int ok = 0;
        for (int i = 0; i < 10 && (last == null || !last.has("errors")); i++) {
            last = gql(q, null);
            if (!last.has("errors")) {
                ok++;
                assertThat(last.at("/extensions/cost/requestedQueryCost").asInt())
                        .isEqualTo(5);
                assertThat(last.at("/extensions/cost/actualQueryCost").asInt()).isEqualTo(3); // one product
            }
        }
        assertThat(ok).isGreaterThanOrEqualTo(4);
        assertThat(last.at("/errors/0/extensions/code").asText()).isEqualTo("THROTTLED");
        assertThat(last.at("/errors/0/message").asText()).isEqualTo("Throttled");
        assertThat(last.has("data")).isFalse();
        assertThat(last.at("/extensions/cost/throttleStatus/maximumAvailable").asDouble())
                .isEqualTo(20.0);
        assertThat(last.at("/extensions/cost/throttleStatus/restoreRate").asDouble())
                .isEqualTo(10.0);
        assertThat(last.at("/extensions/cost/throttleStatus/currentlyAvailable").asDouble())
                .isLessThan(5.0);
        assertThat(shop.throttledCalls()).isEqualTo(1);
        Thread.sleep(600);
        assertThat(gql(q, null).has("errors")).isFalse();

        JsonNode tooBig = gql("{ products(first: 250) { nodes { variants(first: 250) { nodes { id } } } } }", null);
        assertThat(tooBig.at("/errors/0/extensions/code").asText()).isEqualTo("MAX_COST_EXCEEDED");
    }

    @Test
    void failForAnswers5xxThenRecovers() throws Exception {
        shop.failFor(Duration.ofMillis(300), 503);
        HttpResponse<String> r = post(sim.graphqlUrl("shop-a", V), TOKEN, "{\"query\":\"{ shop { name } }\"}");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(mapper.readTree(r.body()).has("errors")).isTrue();
        await().atMost(Duration.ofSeconds(3))
                .until(() -> post(sim.graphqlUrl("shop-a", V), TOKEN, "{\"query\":\"{ shop { name } }\"}")
                                .statusCode()
                        == 200);
        shop.failNext(1, 500);
        JsonNode failed = mapper.readTree(post(
                        sim.graphqlUrl("shop-a", V),
                        TOKEN,
                        mapper.writeValueAsString(Map.of(
                                "query", SET.formatted("k-fail"), "variables", setInput(qty(blue, primary(), 1, 20)))))
                .body());
        assertThat(failed.path("errors").asText()).isEqualTo("Internal Server Error");
        assertThat(shop.available(blue.id())).isEqualTo(20);
    }

    // ------------------------------------------------------------------ merchant side and webhooks

    @Test
    void orderDecrementsAndFiresCreateAndPaid() throws Exception {
        Shop.Order o = shop.placeOrder(List.of(new LineSpec(blue.id(), 2)), true);
        assertThat(o.name()).isEqualTo("#1001");
        assertThat(shop.available(blue.id())).isEqualTo(18);
        delivered();
        assertThat(receiver.hits().stream().map(WebhookReceiver.Hit::topic).toList())
                .containsExactly("inventory_levels/update", "orders/create", "orders/paid");
        JsonNode order = receiver.accepted("orders/create").get(0).json();
        assertThat(order.get("id").asLong()).isEqualTo(o.id());
        assertThat(order.get("admin_graphql_api_id").asText()).isEqualTo("gid://shopify/Order/" + o.id());
        assertThat(order.get("financial_status").asText()).isEqualTo("paid");
        assertThat(order.get("cancelled_at").isNull()).isTrue();
        JsonNode line = order.at("/line_items/0");
        assertThat(line.get("variant_id").asLong()).isEqualTo(blue.id());
        assertThat(line.get("product_id").asLong()).isEqualTo(mug.id());
        assertThat(line.get("sku").asText()).isEqualTo("MUG-BLUE");
        assertThat(line.get("quantity").asInt()).isEqualTo(2);
        assertThat(line.get("fulfillable_quantity").asInt()).isEqualTo(2);
        assertThat(receiver.accepted("inventory_levels/update")
                        .get(0)
                        .json()
                        .get("available")
                        .asLong())
                .isEqualTo(18);

        receiver.clear();
        Shop.Order pending = shop.placeOrder(List.of(new LineSpec(blue.id(), 1)), false);
        shop.markPaid(pending.id());
        delivered();
        assertThat(receiver.hits().stream().map(WebhookReceiver.Hit::topic).toList())
                .containsExactly("inventory_levels/update", "orders/create", "orders/paid", "orders/updated");
        assertThat(receiver.accepted("orders/create")
                        .get(0)
                        .json()
                        .get("financial_status")
                        .asText())
                .isEqualTo("pending");
    }

    @Test
    void refundWithReturnRestockIncrementsAndCancelRestocks() throws Exception {
        Shop.Order o = shop.placeOrder(List.of(new LineSpec(blue.id(), 3)), true);
        long lineId = o.line("MUG-BLUE").id();
        Shop.Refund refund = shop.refund(o.id(), List.of(new RefundLineSpec(lineId, 1, "return")));
        assertThat(shop.available(blue.id())).isEqualTo(18);
        delivered();
        JsonNode r = receiver.accepted("refunds/create").get(0).json();
        assertThat(r.get("id").asLong()).isEqualTo(refund.id());
        assertThat(r.get("order_id").asLong()).isEqualTo(o.id());
        assertThat(r.get("return").isNull()).isTrue();
        JsonNode rl = r.at("/refund_line_items/0");
        assertThat(rl.get("restock_type").asText()).isEqualTo("return");
        assertThat(rl.get("location_id").asLong()).isEqualTo(primary());
        assertThat(rl.at("/line_item/variant_id").asLong()).isEqualTo(blue.id());
        assertThat(rl.at("/line_item/sku").asText()).isEqualTo("MUG-BLUE");
        assertThat(receiver.accepted("orders/updated")).hasSize(1);

        receiver.clear();
        shop.cancelOrder(o.id(), true);
        assertThat(shop.available(blue.id())).isEqualTo(20);
        delivered();
        assertThat(receiver.hits().stream().map(WebhookReceiver.Hit::topic).toList())
                .containsExactly("inventory_levels/update", "refunds/create", "orders/cancelled", "orders/updated");
        JsonNode cancelled = receiver.accepted("orders/cancelled").get(0).json();
        assertThat(cancelled.get("cancel_reason").asText()).isEqualTo("customer");
        assertThat(cancelled.get("cancelled_at").isNull()).isFalse();
        assertThat(cancelled.get("refunds")).hasSize(2);
        assertThat(cancelled.at("/refunds/1/refund_line_items/0/restock_type").asText())
                .isEqualTo("cancel");
        assertThat(cancelled.at("/refunds/1/refund_line_items/0/quantity").asInt())
                .isEqualTo(2);
    }

    @Test
    void disposeRestockedIncrements() throws Exception {
        Shop.Order o = shop.placeOrder(List.of(new LineSpec(blue.id(), 2)), true);
        long lineId = o.line("MUG-BLUE").id();
        Shop.Return ret = shop.createReturn(o.id(), List.of(new ReturnLineSpec(lineId, 2)));
        Shop.Disposition d = shop.disposeReturn(ret.id(), lineId, 1, "RESTOCKED");
        shop.disposeReturn(ret.id(), lineId, 1, "NOT_RESTOCKED");
        assertThat(shop.available(blue.id())).isEqualTo(19);
        Shop.Refund refund = shop.refund(o.id(), List.of(new RefundLineSpec(lineId, 2, "no_restock")), ret.id());
        assertThat(shop.available(blue.id())).isEqualTo(19);
        delivered();
        JsonNode req = receiver.accepted("returns/request").get(0).json();
        assertThat(req.get("status").asText()).isEqualTo("requested");
        assertThat(req.at("/return_line_items/0/line_item_id").asLong()).isEqualTo(lineId);
        List<WebhookReceiver.Hit> disposals = receiver.accepted("reverse_fulfillment_orders/dispose");
        assertThat(disposals).hasSize(2);
        // Shopify's documented shape (src/test/resources/shopify/reverse-fulfillment-orders-dispose.json): the same
        // field names at every level, and no order, line item or variant id.
        JsonNode disp = disposals.get(0).json();
        assertThat(fieldPaths(disp)).isEqualTo(fieldPaths(documented("reverse-fulfillment-orders-dispose.json")));
        assertThat(disp.get("id").asLong()).isEqualTo(ret.reverseFulfillmentOrderId());
        assertThat(disp.get("total_dispositions").asInt()).isEqualTo(1);
        assertThat(disp.at("/dispositions/0/type").asText()).isEqualTo("restocked");
        assertThat(disp.at("/dispositions/0/reverse_fulfillment_order_line_item/id")
                        .asLong())
                .isEqualTo(ret.lines().get(0).reverseFulfillmentOrderLineItemId());
        assertThat(disp.at("/dispositions/0/location/id").asLong()).isEqualTo(primary());
        assertThat(disp.at("/dispositions/0/quantity").asInt()).isEqualTo(1);
        assertThat(disposals.get(1).json().at("/dispositions/0/type").asText()).isEqualTo("not_restocked");
        assertThat(disposals.get(1).json().at("/dispositions/0/location").isNull())
                .isTrue();

        // What the webhook leaves out is read through the Admin API, as Tally does.
        JsonNode rfo = gql(
                        """
                query($id: ID!) { reverseFulfillmentOrder(id: $id) { id order { id } lineItems(first: 5) { nodes {
                  id totalQuantity fulfillmentLineItem { lineItem { id variant { id } } }
                  dispositions { id type quantity location { id } } } } } }""", Map.of("id", "gid://shopify/ReverseFulfillmentOrder/" + ret.reverseFulfillmentOrderId()))
                .at("/data/reverseFulfillmentOrder");
        assertThat(rfo.at("/order/id").asText()).isEqualTo("gid://shopify/Order/" + o.id());
        JsonNode rfoLine = rfo.at("/lineItems/nodes/0");
        assertThat(rfoLine.at("/totalQuantity").asInt()).isEqualTo(2);
        assertThat(rfoLine.at("/fulfillmentLineItem/lineItem/id").asText())
                .isEqualTo("gid://shopify/LineItem/" + lineId);
        assertThat(rfoLine.at("/fulfillmentLineItem/lineItem/variant/id").asText())
                .isEqualTo(blue.gid());
        assertThat(rfoLine.at("/dispositions/0/id").asText())
                .isEqualTo("gid://shopify/ReverseFulfillmentOrderDisposition/" + d.id());
        assertThat(rfoLine.at("/dispositions/0/type").asText()).isEqualTo("RESTOCKED");
        assertThat(rfoLine.at("/dispositions/0/location/id").asText()).isEqualTo("gid://shopify/Location/" + primary());
        assertThat(rfoLine.at("/dispositions/1/type").asText()).isEqualTo("NOT_RESTOCKED");
        assertThat(rfoLine.at("/dispositions/1/location").isNull()).isTrue();
        JsonNode refundJson = receiver.accepted("refunds/create").get(0).json();
        assertThat(refundJson.get("id").asLong()).isEqualTo(refund.id());
        assertThat(refundJson.at("/return/id").asLong()).isEqualTo(ret.id());
        assertThat(refundJson.at("/return/admin_graphql_api_id").asText())
                .isEqualTo("gid://shopify/Return/" + ret.id());
        // Amounts as Shopify's refunds/create example has them: numbers, with string twins in *_set.
        JsonNode refundLine = refundJson.at("/refund_line_items/0");
        assertThat(refundLine.get("subtotal").isNumber()).isTrue();
        assertThat(refundLine.get("total_tax").isNumber()).isTrue();
        assertThat(refundLine.at("/subtotal_set/shop_money/amount").isTextual()).isTrue();
        JsonNode documentedLine = documented("refunds-create.json").at("/refund_line_items/0");
        assertThat(documentedLine.get("subtotal").isNumber()).isTrue();
        assertThat(fieldPaths(refundLine))
                .containsAll(List.of(
                        "id",
                        "line_item_id",
                        "location_id",
                        "quantity",
                        "restock_type",
                        "subtotal",
                        "total_tax",
                        "line_item",
                        "line_item/id",
                        "line_item/variant_id"));
        assertThat(fieldPaths(documentedLine)).containsAll(fieldPaths(refundLine));
    }

    /** A fixture of src/test/resources/shopify/ (Shopify's documented example) without its {@code //} header. */
    static JsonNode documented(String name) throws Exception {
        try (java.io.InputStream in = ShopifySimulatorTest.class.getResourceAsStream("/shopify/" + name)) {
            String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                    .lines()
                    .filter(line -> !line.startsWith("//"))
                    .collect(java.util.stream.Collectors.joining("\n"));
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
        }
    }

    /** Every field path of a JSON value ("a", "a/b"; array elements share their array's path), sorted. */
    static java.util.SortedSet<String> fieldPaths(JsonNode node) {
        java.util.SortedSet<String> paths = new java.util.TreeSet<>();
        collectPaths(node, "", paths);
        return paths;
    }

    private static void collectPaths(JsonNode node, String prefix, java.util.Set<String> paths) {
        if (node.isArray()) {
            node.forEach(element -> collectPaths(element, prefix, paths));
        } else if (node.isObject()) {
            node.fieldNames().forEachRemaining(name -> {
                String path = prefix.isEmpty() ? name : prefix + "/" + name;
                paths.add(path);
                collectPaths(node.get(name), path, paths);
            });
        }
    }

    @Test
    void retriesAfterAnErrorWithTheSameEventIdAndBody() throws Exception {
        receiver.failNext(2, 500);
        shop.setAvailable(blue.id(), 7);
        delivered();
        List<WebhookReceiver.Hit> hits = receiver.hits();
        assertThat(hits).hasSize(3);
        assertThat(hits).extracting(WebhookReceiver.Hit::answered).containsExactly(500, 500, 200);
        assertThat(hits)
                .extracting(WebhookReceiver.Hit::eventId)
                .containsOnly(hits.get(0).eventId());
        assertThat(hits)
                .extracting(WebhookReceiver.Hit::webhookId)
                .containsOnly(hits.get(0).webhookId());
        assertThat(hits)
                .extracting(WebhookReceiver.Hit::text)
                .containsOnly(hits.get(0).text());
        assertThat(shop.deliveries())
                .extracting(WebhookDispatcher.Delivery::attempt)
                .containsExactly(1, 2, 3);

        shop.settings(shop.settings().toBuilder().webhookIdVaries(true).build());
        receiver.clear();
        receiver.failNext(1, 503);
        shop.setAvailable(blue.id(), 8);
        delivered();
        assertThat(receiver.hits()).hasSize(2);
        assertThat(receiver.hits().get(0).eventId())
                .isEqualTo(receiver.hits().get(1).eventId());
        assertThat(receiver.hits().get(0).webhookId())
                .isNotEqualTo(receiver.hits().get(1).webhookId());
    }

    @Test
    void timeoutIsAFailureAndRetriesEnd() throws Exception {
        shop.settings(shop.settings().toBuilder()
                .timeout(Duration.ofMillis(200))
                .maxRetries(2)
                .build());
        receiver.slowNext(1, 1000);
        shop.setAvailable(blue.id(), 9);
        delivered();
        assertThat(shop.deliveries())
                .extracting(WebhookDispatcher.Delivery::status)
                .containsExactly(-1, 200);
        assertThat(receiver.accepted("inventory_levels/update")).hasSize(1);

        receiver.failNext(10, 500);
        shop.setAvailable(blue.id(), 10);
        delivered();
        List<WebhookDispatcher.Delivery> last =
                shop.deliveries().subList(2, shop.deliveries().size());
        assertThat(last).extracting(WebhookDispatcher.Delivery::attempt).containsExactly(1, 2, 3); // 1 + maxRetries
        assertThat(last.get(2).finalFailure()).isTrue();
        assertThat(shop.pendingWebhooks()).isZero();
    }

    @Test
    void duplicatesAndTamperedSignature() throws Exception {
        shop.deliverEachTimes(3);
        shop.setAvailable(blue.id(), 4);
        delivered();
        List<WebhookReceiver.Hit> hits = receiver.accepted("inventory_levels/update");
        assertThat(hits).hasSize(3);
        assertThat(hits)
                .extracting(WebhookReceiver.Hit::eventId)
                .containsOnly(hits.get(0).eventId());
        shop.deliverEachTimes(0);

        receiver.clear();
        shop.tamperNextSignature();
        shop.setAvailable(blue.id(), 5);
        shop.setAvailable(blue.id(), 6);
        delivered();
        List<WebhookReceiver.Hit> two = receiver.hits();
        assertThat(two).hasSize(2);
        assertThat(two.get(0).hmac()).isNotEqualTo(hmac(two.get(0).body()));
        assertThat(two.get(1).hmac()).isEqualTo(hmac(two.get(1).body()));
    }

    @Test
    void heldWebhooksAreReleasedReversed() throws Exception {
        shop.holdWebhooks();
        shop.setAvailable(blue.id(), 1);
        shop.setAvailable(blue.id(), 2);
        shop.setAvailable(blue.id(), 3);
        Thread.sleep(100);
        assertThat(receiver.hits()).isEmpty();
        assertThat(shop.webhooks().held()).isEqualTo(3);
        shop.releaseWebhooks(WebhookDispatcher.Release.REVERSED);
        delivered();
        assertThat(receiver.hits())
                .extracting(h -> h.json().get("available").asInt())
                .containsExactly(3, 2, 1);
    }

    @Test
    void merchantHttpEndpoints() throws Exception {
        String base = sim.baseUrl() + "/_sandbox/shopify/shop-a";
        HttpResponse<String> created =
                post(base + "/orders", null, "{\"lines\":[{\"sku\":\"MUG-RED\",\"quantity\":2}],\"paid\":true}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode order = mapper.readTree(created.body());
        assertThat(order.get("name").asText()).isEqualTo("#1001");
        assertThat(shop.available(mug.variant("MUG-RED").id())).isEqualTo(3);

        HttpResponse<String> refund = post(
                base + "/orders/1001/refunds",
                null,
                "{\"lines\":[{\"sku\":\"MUG-RED\",\"quantity\":1,\"restockType\":\"return\"}]}");
        assertThat(refund.statusCode()).as(refund.body()).isEqualTo(201);
        assertThat(shop.available(mug.variant("MUG-RED").id())).isEqualTo(4);

        HttpResponse<String> put = http.send(
                HttpRequest.newBuilder(URI.create(base + "/variants/MUG-BLUE/available"))
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"available\":42}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(mapper.readTree(put.body()).get("available").asLong()).isEqualTo(42);
        assertThat(shop.available(blue.id())).isEqualTo(42);

        HttpResponse<String> products = http.send(
                HttpRequest.newBuilder(URI.create(base + "/products")).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode p = mapper.readTree(products.body()).get(0);
        assertThat(p.get("tags").asText()).isEqualTo("kitchen, blue");
        assertThat(p.at("/variants/0/inventory_item_id").asLong()).isEqualTo(blue.inventoryItemId());

        assertThat(post(base + "/outage", null, "{\"seconds\":60,\"status\":503}")
                        .statusCode())
                .isEqualTo(200);
        assertThat(post(sim.graphqlUrl("shop-a", V), TOKEN, "{\"query\":\"{ shop { name } }\"}")
                        .statusCode())
                .isEqualTo(503);
        assertThat(post(base + "/recover", null, "").statusCode()).isEqualTo(200);
        assertThat(post(sim.graphqlUrl("shop-a", V), TOKEN, "{\"query\":\"{ shop { name } }\"}")
                        .statusCode())
                .isEqualTo(200);
        JsonNode stats = mapper.readTree(http.send(
                        HttpRequest.newBuilder(URI.create(base + "/stats")).build(),
                        HttpResponse.BodyHandlers.ofString())
                .body());
        assertThat(stats.get("graphqlCalls").asInt()).isEqualTo(2);
        assertThat(post(base + "/orders", null, "{\"lines\":[{\"sku\":\"NOPE\",\"quantity\":1}]}")
                        .statusCode())
                .isEqualTo(400);

        delivered();
        shop.updateVariant(blue.id(), "MUG-BLUE-2", null);
        delivered();
        JsonNode productUpdate = receiver.accepted("products/update").get(0).json();
        assertThat(productUpdate.at("/variants/0/sku").asText()).isEqualTo("MUG-BLUE-2");
    }
}
