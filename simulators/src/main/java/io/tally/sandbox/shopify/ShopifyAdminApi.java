package io.tally.sandbox.shopify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Admin API's HTTP side, {@code POST /shops/<shop>/admin/api/<version>/graphql.json}: injected latency and
 * faults, the {@code X-Shopify-Access-Token} check, the JSON or {@code application/graphql} body, then
 * {@link ShopifyGraphQl}; every request is recorded in the shop's {@link Shop#calls()}.
 */
final class ShopifyAdminApi {

    private static final Pattern GRAPHQL_PATH =
            Pattern.compile("^/shops/([^/]+)/admin/api/(\\d{4}-\\d{2}|unstable)/graphql\\.json$");

    private final Function<String, Shop> findShop;
    private final ShopifyJson json;
    private final ObjectMapper mapper;
    private final ShopifyGraphQl graphQl = ShopifyGraphQl.shared();

    ShopifyAdminApi(Function<String, Shop> findShop, ShopifyJson json) {
        this.findShop = findShop;
        this.json = json;
        this.mapper = json.mapper;
    }

    void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] raw = ex.getRequestBody().readAllBytes();
            Matcher m = GRAPHQL_PATH.matcher(ex.getRequestURI().getPath());
            Shop shop = m.matches() ? findShop.apply(m.group(1)) : null;
            if (shop == null) {
                json.send(ex, 404, Map.of("errors", "Not Found"));
                return;
            }
            String version = m.group(2);
            String body = new String(raw, StandardCharsets.UTF_8);
            Duration latency = shop.latency();
            if (!latency.isZero() && !latency.isNegative()) {
                try {
                    Thread.sleep(latency.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (!"POST".equalsIgnoreCase(ex.getRequestMethod())) {
                shop.record(new Shop.Call(Instant.now(), version, body, null, 405, false, false, 0, 0));
                json.send(ex, 405, Map.of("errors", "Method Not Allowed"));
                return;
            }
            int fail = shop.injectedFailure();
            if (fail != 0) {
                shop.record(new Shop.Call(Instant.now(), version, body, null, fail, false, false, 0, 0));
                json.send(
                        ex,
                        fail,
                        Map.of(
                                "errors",
                                fail == 503
                                        ? "Service Unavailable"
                                        : fail == 500 ? "Internal Server Error" : "Simulated failure " + fail));
                return;
            }
            String token = ex.getRequestHeaders().getFirst("X-Shopify-Access-Token");
            if (token == null || !token.equals(shop.accessToken())) {
                shop.record(new Shop.Call(Instant.now(), version, body, null, 401, false, false, 0, 0));
                json.send(
                        ex,
                        401,
                        Map.of(
                                "errors",
                                "[API] Invalid API key or access token (unrecognized login or wrong password)"));
                return;
            }
            String query;
            Map<String, Object> variables = null;
            String operationName = null;
            String contentType = ex.getRequestHeaders().getFirst("Content-Type");
            if (contentType != null && contentType.contains("application/graphql")) {
                query = body;
            } else {
                try {
                    JsonNode n = mapper.readTree(body);
                    if (n == null || !n.isObject() || !n.path("query").isTextual()) {
                        throw new IOException("no query");
                    }
                    query = n.get("query").asText();
                    JsonNode v = n.get("variables");
                    if (v != null && v.isObject()) {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> vm = mapper.convertValue(v, Map.class);
                        variables = vm;
                    }
                    JsonNode op = n.get("operationName");
                    operationName = op != null && op.isTextual() ? op.asText() : null;
                } catch (IOException e) {
                    shop.record(new Shop.Call(Instant.now(), version, body, null, 400, false, false, 0, 0));
                    json.send(ex, 400, Map.of("errors", Map.of("query", "Required parameter missing or invalid")));
                    return;
                }
            }
            ShopifyGraphQl.Answer a = graphQl.execute(shop, version, query, variables, operationName);
            shop.record(new Shop.Call(
                    Instant.now(),
                    version,
                    query,
                    variables == null ? null : mapper.writeValueAsString(variables),
                    a.status(),
                    a.mutation(),
                    a.throttled(),
                    a.requestedCost(),
                    a.actualCost()));
            json.send(ex, a.status(), a.body());
        } catch (RuntimeException e) {
            json.send(ex, 500, Map.of("errors", "Internal Server Error: " + e));
        }
    }
}
