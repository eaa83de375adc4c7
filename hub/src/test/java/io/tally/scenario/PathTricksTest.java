package io.tally.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Issue 17 defect 0, admin-token bypass: a request without a token, sent to another spelling of an admin path
 * (doubled or encoded separators, dot segments, path parameters, case, a trailing slash, an encoded letter, a
 * detour through a public path), was served and changed stock (500 -> 777). Every spelling x method here must be
 * refused (400, 401 or 404, problem+json) and change nothing.
 */
class PathTricksTest extends ScenarioBase {

    private static final String SKU = "trick-sku";
    private static final String REF = "trick-1";

    private record Target(String method, String path, String body) {}

    private static List<UnaryOperator<String>> spellings(int port) {
        List<UnaryOperator<String>> s = new ArrayList<>();
        s.add(p -> "/" + p); // //api/items
        s.add(p -> p.replaceFirst("^/api/", "/api//")); // /api//items
        s.add(p -> p + "//");
        s.add(p -> "/%2F" + p.substring(1)); // /%2Fapi
        s.add(p -> p.replaceFirst("^/api/", "/api%2F"));
        s.add(p -> p.replaceFirst("^/api/", "/api%2f"));
        s.add(p -> p.replace("/", "%2F"));
        s.add(p -> "/x/.." + p); // dot segments
        s.add(p -> "/." + p);
        s.add(p -> p.replaceFirst("^/api/", "/api/./"));
        s.add(p -> p.replaceFirst("^/api/", "/api/x/../"));
        s.add(p -> "/%2e" + p);
        s.add(p -> "/x/%2e%2e" + p);
        s.add(p -> "/x/%2E%2E" + p);
        s.add(p -> "/x/.%2e" + p);
        s.add(p -> p.replaceFirst("^/api", "/api;jsessionid=x")); // path parameters
        s.add(p -> p + ";jsessionid=x");
        s.add(p -> p.replaceFirst("^/api/", "/api/;x=y/"));
        s.add(p -> p.replaceFirst("^/api/", "/api%3B/"));
        s.add(p -> "/API" + p.substring(4)); // case
        s.add(p -> "/Api" + p.substring(4));
        s.add(String::toUpperCase);
        s.add(p -> p + "/"); // trailing slash
        s.add(p -> p + "/.");
        s.add(p -> "/%61pi" + p.substring(4)); // an encoded letter: decodes to /api
        s.add(p -> "/a%70i" + p.substring(4));
        s.add(p -> p.replace('/', '\\')); // backslashes
        s.add(p -> p.replaceFirst("^/api/", "/api%5C"));
        s.add(p -> "/webhooks/shopify/main/../../.." + p); // a detour through a public path
        s.add(p -> "/webhooks/shopify/main/%2e%2e/%2e%2e/%2e%2e" + p);
        s.add(p -> "/status/.." + p);
        s.add(p -> "/status/%2e%2e" + p);
        s.add(p -> "/status/..;" + p);
        s.add(p -> p + "%00"); // encoded control characters, spaces
        s.add(p -> p + "%20");
        s.add(p -> p + "%0a");
        s.add(p -> p + "%25");
        s.add(p -> p + ".json");
        s.add(p -> "http://127.0.0.1:" + port + p); // absolute-form request target
        s.add(p -> "http://127.0.0.1:" + port + "/" + p);
        return s;
    }

    @Test
    void noSpellingOfAnAdminPathIsServedWithoutTheToken() {
        if (api.item(SKU) == null) {
            declare("main", REF, "sku", SKU, "level", 500);
        }
        awaitOnHand(SKU, 500);
        long ledgerSize = api.ledger(SKU).size();
        JsonNode listingBefore = api.listing("main", REF);

        String sale = TallyClient.toJson(Ev.sale("main").ref(REF).qty(1));
        List<Target> targets = List.of(
                new Target("PUT", "/api/items/" + SKU + "/on-hand", "{\"onHand\":777,\"reason\":\"trick\"}"),
                new Target("POST", "/api/items/" + SKU + "/adjustments", "{\"delta\":277,\"reason\":\"trick\"}"),
                new Target("POST", "/api/events", sale),
                new Target("PUT", "/api/listings/main/" + REF, "{\"sku\":\"trick-other\",\"level\":777}"),
                new Target("PUT", "/api/bundles/trick-bundle", "{\"components\":{\"" + SKU + "\":1}}"),
                new Target("POST", "/api/ledger/pause", "{}"),
                new Target("GET", "/api/items/" + SKU, null));

        RawHttp raw = new RawHttp(port);
        Map<String, String> json = Map.of("Content-Type", "application/json");
        List<String> served = new ArrayList<>();
        Map<Integer, Integer> byStatus = new LinkedHashMap<>();
        int sent = 0;
        for (Target target : targets) {
            for (UnaryOperator<String> spelling : spellings(port)) {
                String path = spelling.apply(target.path());
                for (String method : List.of(target.method(), target.method().toLowerCase())) {
                    byte[] body = target.body() == null ? null : target.body().getBytes(StandardCharsets.UTF_8);
                    RawHttp.Answer a = raw.send(method, path, json, body);
                    sent++;
                    byStatus.merge(a.status(), 1, Integer::sum);
                    boolean refused = a.status() == 400
                            || a.status() == 401
                            || a.status() == 404
                            || a.status() == 405 && !method.equals(target.method()); // "put" is not PUT
                    if (!refused || !a.contentType().startsWith("application/problem+json")) {
                        served.add(method + " " + path + " -> " + a);
                    }
                }
            }
        }
        assertThat(served)
                .as("requests without a token that were not refused with problem+json (of %d: %s)", sent, byStatus)
                .isEmpty();

        // Nothing changed: stock, ledger, listing, bundle, the ledger still applying.
        assertThat(api.onHand(SKU)).isEqualTo(500);
        assertThat(api.ledger(SKU)).hasSize((int) ledgerSize);
        assertThat(api.listing("main", REF)).isEqualTo(listingBefore);
        assertThat(api.item("trick-bundle")).isNull();
        assertThat(api.get("/api/ledger").json().path("applying").asBoolean()).isTrue();

        // The plain path: 401 without the token, served with it.
        assertThat(raw.send("GET", "/api/items/" + SKU, Map.of(), null).status())
                .isEqualTo(401);
        assertThat(raw.send("GET", "/api/items/" + SKU, Map.of("Authorization", "Bearer " + TOKEN), null)
                        .status())
                .isEqualTo(200);
        // An encoded letter is the same path: served with the token, as before.
        assertThat(raw.send("GET", "/%61pi/items/" + SKU, Map.of("Authorization", "Bearer " + TOKEN), null)
                        .status())
                .isEqualTo(200);
    }

    @Test
    void publicPathsStayPublicAndNothingElseIs() {
        RawHttp raw = new RawHttp(port);
        // The status page's static files: no token (the page asks for it).
        assertThat(raw.send("GET", "/status/", Map.of(), null).status()).isEqualTo(200);
        assertThat(raw.send("GET", "/status/status.js", Map.of(), null).status())
                .isEqualTo(200);
        // A webhook path is authenticated by its signature, not the token: unknown store -> 404, not 401.
        RawHttp.Answer webhook = raw.send(
                "POST",
                "/webhooks/shopify/no-such-shop",
                Map.of("Content-Type", "application/json"),
                "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(webhook.status()).as("%s", webhook).isIn(400, 401, 404);
        // Deny by default: any other path needs the token, even one that does not exist.
        for (String path : List.of(
                "/",
                "/error",
                "/api",
                "/x",
                "/status/index.html/../../api/items",
                "/favicon.ico",
                "/actuator/health")) {
            RawHttp.Answer a = raw.send("GET", path, Map.of(), null);
            assertThat(a.status()).as("GET %s -> %s", path, a).isIn(400, 401);
            assertThat(a.contentType()).as("GET %s -> %s", path, a).startsWith("application/problem+json");
        }
        for (String path : List.of("/status/", "/status/status.js")) {
            RawHttp.Answer a = raw.send("POST", path, Map.of(), new byte[0]);
            assertThat(a.status()).as("POST %s -> %s", path, a).isEqualTo(401);
        }
    }
}
