package io.tally.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Issue 17, fault test "generated bad-input campaign": thousands of malformed requests, generated deterministically
 * (tables of bad values, bodies, encodings, sizes, paths and tokens, and a seeded random pick of combinations),
 * against every endpoint of the hub that takes input: the admin REST API, {@code POST /api/events} (the generic
 * http channel), the Shopify and Walmart webhooks. Asserted: no 5xx; every refusal is problem+json; no answer
 * carries a stack trace, a class name or SQL; nothing changed in the ledger, on-hand, listings or bundles; no secret
 * of the test configuration (admin token, webhook secrets, channel credentials) appears in an answer or the log.
 * Runs on the multichannel hub (one Shopify shop, one Amazon and one Walmart seller, one http store).
 */
@ExtendWith(OutputCaptureExtension.class)
class BadInputCampaignTest extends MultichannelScenarioBase {

    private static final long SEED = 20261217L;
    private static final String SKU = "camp-sku";
    private static final String REF = "camp-ref";
    private static final String SHOP_SECRET = "secret-" + SHOP;

    /** Every secret of the multichannel test configuration. */
    private static final List<String> SECRETS = List.of(
            TOKEN, SHOP_SECRET, "shpat_" + SHOP, WM_SECRET, WM_WEBHOOK_SECRET, "secret-" + AMZ, "Atzr|refresh-" + AMZ);

    /** What no answer may contain: stack frames, Java names, SQL, the server's identity. */
    private static final List<String> LEAKS = List.of(
            "Exception",
            "\tat ",
            "java.",
            "javax.",
            "jakarta.",
            "org.springframework",
            "org.apache",
            "io.tally",
            "com.fasterxml",
            "SQL",
            "SELECT ",
            "INSERT ",
            "UPDATE ",
            "psql",
            "Tomcat",
            "<html",
            "<!doctype");

    /** One request of the campaign and whether it must be refused (4xx); GETs with odd parameters may be 200. */
    private record Case(
            String name, String method, String target, Map<String, String> headers, byte[] body, boolean mustRefuse) {}

    // ------------------------------------------------------------------ bad values, by kind of field

    private static final List<String> NOT_A_NUMBER = List.of(
            "1.5",
            "2.0",
            "1e2",
            "-0.5",
            "1E400",
            "\"5\"",
            "\"\"",
            "\" \"",
            "true",
            "false",
            "[]",
            "[1]",
            "{}",
            "{\"v\":1}",
            "9223372036854775808",
            "18446744073709551616",
            "-9223372036854775809",
            "\"0x10\"",
            "\"NaN\"",
            "NaN",
            "Infinity",
            "-Infinity",
            "0x10",
            "01",
            "+1",
            "1" + "0".repeat(400));
    private static final List<String> OUT_OF_RANGE = List.of(
            "-9223372036854775808", "9223372036854775807", "1000000001", "-1000000001", "2147483648", "-2147483649");
    private static final List<String> BAD_ID_TEXT = List.of(
            "\"\\u0000x\"",
            "\"x\\u0000\"",
            "\"\\ufeffx\"",
            "\"x\\u200f\"",
            "\"\\u202ex\"",
            "\"x\\u0007\"",
            "\"x\\n\"",
            "\"x\\t\"",
            "\"x\\u2028\"",
            "\"\\ud800x\"",
            "\"x\\udc00\"",
            "\"x\\u0085\"",
            "\"x\\u00ad\"",
            "\"x\\u200b\"",
            "\"x\\uffff\"",
            "\"" + "a".repeat(256) + "\"",
            "\"" + "\u00e9".repeat(3000) + "\"",
            "12345",
            "1.5",
            "true",
            "[]",
            "[\"a\"]",
            "{}",
            "{\"a\":\"b\"}");
    private static final List<String> BAD_REQUIRED_ID = concat(BAD_ID_TEXT, List.of("null", "\"\"", "\"   \""));
    private static final List<String> BAD_FREE_TEXT = List.of(
            "\"\\u0000\"",
            "\"x\\u0007\"",
            "\"\\ufeffr\"",
            "\"" + "r".repeat(1001) + "\"",
            "12345",
            "true",
            "[]",
            "{}",
            "\"\\ud800\"");
    private static final List<String> BAD_BOOLEAN = List.of("\"true\"", "1", "0", "\"yes\"", "[]", "{}", "1.5");

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static List<String> badCount(boolean required) {
        List<String> all = concat(NOT_A_NUMBER, OUT_OF_RANGE);
        all.add("-1");
        if (required) {
            all.add("null");
        }
        return all;
    }

    private static List<String> badPositive() {
        List<String> all = concat(NOT_A_NUMBER, OUT_OF_RANGE);
        all.addAll(List.of("0", "-1", "null"));
        return all;
    }

    private static List<String> badSignedNonZero() {
        List<String> all = concat(NOT_A_NUMBER, OUT_OF_RANGE);
        all.addAll(List.of("0", "null"));
        return all;
    }

    /** Malformed bodies, whatever the endpoint. */
    private static final List<String> MALFORMED = List.of(
            "",
            " ",
            "{",
            "}",
            "[",
            "]",
            "[]",
            "null",
            "true",
            "0",
            "\"str\"",
            "{\"a\":",
            "{'a':1}",
            "{a:1}",
            "{\"a\":1,}",
            "[1,]",
            "{\"a\":1}garbage",
            "{\"a\":1}{\"b\":2}",
            "{\"a\":1} ]",
            "\ufeff{}",
            "{\"a\":NaN}",
            "/* c */ {}",
            "{\"a\":1 // c\n}",
            "{\"a\":\"\\x41\"}",
            "{\"a\":\"\\u12\"}",
            "{\"a\":\"unterminated}",
            "{\"a\"\u0000:1}",
            "[".repeat(3000) + "]".repeat(3000),
            "{\"a\":" + "1".repeat(2000) + "}",
            "<xml/>",
            "a=1&b=2",
            "\u0000",
            "{\"a\":1}\u0000");

    // ------------------------------------------------------------------ the campaign

    @Test
    void malformedRequestsAreRefusedAndChangeNothing(CapturedOutput output) throws Exception {
        if (api.listing(ERP, REF) == null) {
            api.declare(ERP, REF, Map.of("sku", SKU, "level", 100));
        }
        awaitOnHand(SKU, 100);
        String before = awaitQuietState();

        List<Case> cases = new ArrayList<>();
        Random random = new Random(SEED);
        apiCases(cases);
        eventCases(cases);
        pathAndParameterCases(cases);
        tokenCases(cases);
        encodingAndSizeCases(cases);
        webhookCases(cases, random);
        randomCombinations(cases, random);

        RawHttp raw = new RawHttp(port);
        Map<String, AtomicInteger> byClass = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        for (Case c : cases) {
            pool.execute(() -> {
                RawHttp.Answer a;
                try {
                    a = c.body() == null && c.headers().containsKey("__raw")
                            ? raw.sendRaw(c.headers().get("__raw").getBytes(StandardCharsets.ISO_8859_1))
                            : raw.send(c.method(), c.target(), c.headers(), c.body());
                } catch (RuntimeException e) {
                    failures.add(c.name() + ": no answer (" + e + ")");
                    return;
                }
                byClass.computeIfAbsent(a.status() / 100 + "xx", k -> new AtomicInteger())
                        .incrementAndGet();
                check(c, a, failures);
            });
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(5, TimeUnit.MINUTES)).isTrue();
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf(
                "bad-input campaign: %d requests in %d ms, by status class %s%n",
                cases.size(), millis, new java.util.TreeMap<>(byClass));

        assertThat(failures)
                .as("%d of %d requests answered wrongly", failures.size(), cases.size())
                .isEmpty();
        assertThat(byClass).doesNotContainKey("5xx");
        // Nothing changed: ledger, on-hand, listings, bundles (compared after the hub had time to apply anything).
        assertThat(awaitQuietState()).isEqualTo(before);
        assertThat(api.onHand(SKU)).isEqualTo(100);
        String log = output.getAll();
        for (String secret : SECRETS) {
            assertThat(log).as("the log must not contain the secret %s", secret).doesNotContain(secret);
        }
    }

    private void check(Case c, RawHttp.Answer a, ConcurrentLinkedQueue<String> failures) {
        String what = c.name() + " [" + c.method() + " " + abbreviate(c.target()) + "] -> " + a;
        if (a.status() >= 500 || a.status() < 100) {
            failures.add("server error: " + what);
            return;
        }
        if (c.mustRefuse() && (a.status() < 400 || a.status() >= 500)) {
            failures.add("not refused: " + what);
            return;
        }
        if (a.status() >= 400 && !a.contentType().startsWith("application/problem+json")) {
            failures.add("not problem+json: " + what);
            return;
        }
        if (a.status() >= 400) {
            JsonProblem p = JsonProblem.of(a.body());
            if (p == null || p.status != a.status() || p.detail == null || p.detail.isBlank()) {
                failures.add("problem without status or reason: " + what);
                return;
            }
        }
        for (String leak : LEAKS) {
            if (a.body().contains(leak)) {
                failures.add("answer contains '" + leak + "': " + what);
                return;
            }
        }
        for (String secret : SECRETS) {
            if (a.body().contains(secret)) {
                failures.add("answer contains a secret: " + what);
                return;
            }
        }
    }

    private record JsonProblem(int status, String detail) {
        static JsonProblem of(String body) {
            var json = TallyClient.parse(body);
            if (json == null || !json.isObject()) {
                return null;
            }
            return new JsonProblem(
                    json.path("status").asInt(), json.path("detail").asText(null));
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }

    /** The stored state the campaign must not change, once it has stayed the same for a second. */
    private String awaitQuietState() throws InterruptedException {
        String previous = state();
        for (int i = 0; i < 30; i++) {
            Thread.sleep(1000);
            String now = state();
            if (now.equals(previous)) {
                return now;
            }
            previous = now;
        }
        return previous;
    }

    private String state() {
        return jdbc.queryForObject("""
                SELECT (SELECT count(*) || '/' || coalesce(sum(delta), 0) FROM ledger_entry) || ' '
                    || (SELECT count(*) || '/' || coalesce(sum(on_hand), 0) FROM stock_item) || ' '
                    || (SELECT count(*) || '/' || coalesce(md5(string_agg(store || ref || coalesce(item_key, '')
                            || coalesce(sku, '') || target, ',' ORDER BY id)), '') FROM listing) || ' '
                    || (SELECT count(*) FROM bundle_component)
                """, Map.of(), String.class);
    }

    // ------------------------------------------------------------------ generators

    private static final Map<String, String> JSON = Map.of("Content-Type", "application/json");

    private Map<String, String> withToken(Map<String, String> headers) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put("Authorization", "Bearer " + TOKEN);
        return h;
    }

    private void add(List<Case> cases, String name, String method, String target, String body, boolean mustRefuse) {
        cases.add(new Case(
                name,
                method,
                target,
                withToken(JSON),
                body == null ? null : body.getBytes(StandardCharsets.UTF_8),
                mustRefuse));
    }

    /** A JSON object from field -> raw JSON value pairs, in order. */
    private static String object(Map<String, String> fields) {
        StringBuilder b = new StringBuilder("{");
        fields.forEach((k, v) -> {
            if (b.length() > 1) {
                b.append(',');
            }
            b.append('"').append(k).append("\":").append(v);
        });
        return b.append('}').toString();
    }

    /**
     * Each field of a valid template replaced by each bad value of its kind (one field at a time), then the
     * structural mutations: a required field missing, an unknown field, a field twice, trailing content, an array.
     */
    private void mutate(
            List<Case> cases,
            String name,
            String method,
            String target,
            Map<String, String> template,
            Map<String, List<String>> badValues,
            List<String> required) {
        badValues.forEach((field, values) -> {
            for (String bad : values) {
                Map<String, String> fields = new LinkedHashMap<>(template);
                fields.put(field, bad);
                add(cases, name + " " + field + "=" + abbreviate(bad), method, target, object(fields), true);
            }
        });
        for (String field : required) {
            Map<String, String> fields = new LinkedHashMap<>(template);
            fields.remove(field);
            add(cases, name + " without " + field, method, target, object(fields), true);
        }
        String valid = object(template);
        add(cases, name + " unknown field", method, target, valid.replaceFirst("\\{", "{\"zzz\":1,"), true);
        String first = template.keySet().iterator().next();
        add(
                cases,
                name + " field twice",
                method,
                target,
                valid.replaceFirst("\\{", "{\"" + first + "\":" + template.get(first) + ","),
                true);
        add(cases, name + " trailing garbage", method, target, valid + "garbage", true);
        add(cases, name + " trailing object", method, target, valid + valid, true);
        add(cases, name + " trailing bracket", method, target, valid + "]", true);
        if (!target.equals("/api/events")) { // an array of events is the events API's batch form
            add(cases, name + " as array", method, target, "[" + valid + "]", true);
        }
        for (String body : MALFORMED) {
            add(cases, name + " malformed " + abbreviate(body), method, target, body, true);
        }
    }

    private void apiCases(List<Case> cases) {
        String item = "/api/items/" + SKU;
        mutate(
                cases,
                "on-hand",
                "PUT",
                item + "/on-hand",
                new LinkedHashMap<>(Map.of("onHand", "5", "reason", "\"count\"")),
                Map.of("onHand", badCount(true), "reason", BAD_FREE_TEXT),
                List.of("onHand"));
        mutate(
                cases,
                "adjust",
                "POST",
                item + "/adjustments",
                new LinkedHashMap<>(Map.of("delta", "3", "reason", "\"found\"", "reference", "\"camp-ref-1\"")),
                Map.of("delta", badSignedNonZero(), "reason", BAD_FREE_TEXT, "reference", BAD_ID_TEXT),
                List.of("delta"));
        Map<String, String> listing = new LinkedHashMap<>();
        listing.put("sku", "\"" + SKU + "\"");
        listing.put("level", "7");
        listing.put("safetyStock", "1");
        listing.put("master", "false");
        Map<String, List<String>> badListing = new LinkedHashMap<>();
        badListing.put("sku", BAD_REQUIRED_ID);
        badListing.put("level", badCount(false));
        badListing.put("safetyStock", badCount(false));
        badListing.put("maxAvailable", badCount(false));
        badListing.put("sharePercent", List.of("101", "-1", "1.5", "\"50\"", "true"));
        badListing.put("barcode", BAD_ID_TEXT);
        badListing.put("master", BAD_BOOLEAN);
        badListing.put("hidden", BAD_BOOLEAN);
        mutate(cases, "listing", "PUT", "/api/listings/" + ERP + "/camp-new-ref", listing, badListing, List.of("sku"));
        Map<String, List<String>> badBundle = new LinkedHashMap<>();
        List<String> badComponents =
                new ArrayList<>(List.of("[]", "\"x\"", "{}", "null", "1", "[{\"" + SKU + "\":1}]"));
        for (String q : badPositive()) {
            badComponents.add("{\"" + SKU + "\":" + q + "}");
        }
        for (String k : List.of("\\u0000", "\\ufeffk", "k\\u200f", "", " ", "a".repeat(300))) {
            badComponents.add("{\"" + k + "\":1}");
        }
        badComponents.add("{\"camp-bundle\":1}");
        badBundle.put("components", badComponents);
        mutate(
                cases,
                "bundle",
                "PUT",
                "/api/bundles/camp-bundle",
                new LinkedHashMap<>(Map.of("components", "{\"" + SKU + "\":2}")),
                badBundle,
                List.of("components"));
        // Redrive of dead letters that are not there, or not numbers.
        for (String id : List.of("0", "-1", "abc", "1.5", "99999999999999999999", "%00", "9223372036854775807")) {
            add(cases, "redrive " + id, "POST", "/api/dead-letters/" + id + "/redrive", null, true);
        }
        // Reconciliation of stores that do not exist (a real store's reconciliation would change levels).
        for (String store : List.of("no-such-store", "%00", "%EF%BB%BF" + ERP, "a".repeat(300), "%C3%28")) {
            add(cases, "reconcile " + abbreviate(store), "POST", "/api/reconcile/" + store, null, true);
        }
    }

    private void eventCases(List<Case> cases) {
        Map<String, String> sale = new LinkedHashMap<>();
        sale.put("id", "\"camp-ev-1\"");
        sale.put("store", "\"" + ERP + "\"");
        sale.put("type", "\"sale\"");
        sale.put("sku", "\"" + SKU + "\"");
        sale.put("quantity", "1");
        sale.put("orderId", "\"camp-order-1\"");
        Map<String, List<String>> bad = new LinkedHashMap<>();
        bad.put("id", BAD_REQUIRED_ID);
        bad.put("store", concat(BAD_REQUIRED_ID, List.of("\"no-such-store\"", "\"" + ERP.toUpperCase() + "\"")));
        bad.put("type", concat(BAD_REQUIRED_ID, List.of("\"teleport\"", "\"SALES\"")));
        bad.put("sku", BAD_ID_TEXT);
        bad.put("quantity", badPositive());
        bad.put("orderId", BAD_ID_TEXT);
        bad.put("lineId", BAD_ID_TEXT);
        bad.put("channel", concat(BAD_ID_TEXT, List.of("\"shopify\"")));
        bad.put(
                "occurredAt",
                List.of(
                        "\"yesterday\"",
                        "\"+999999-01-01T00:00:00Z\"",
                        "\"2026-13-01T00:00:00Z\"",
                        "\"1969-12-31T23:59:59Z\"",
                        "12345",
                        "\"\\u0000\""));
        bad.put("stage", List.of("\"shipped\"", "\"\\u0000\"", "1"));
        bad.put("cause", List.of("\"return\"", "\"x\"", "1"));
        mutate(cases, "event", "POST", "/api/events", sale, bad, List.of("id", "store", "type", "quantity"));
        // A valid event next to a bad one: the whole array is refused.
        String valid = object(sale);
        for (String q : List.of("0", "1.5", "\"1\"", "-9223372036854775808")) {
            add(
                    cases,
                    "event array with quantity " + q,
                    "POST",
                    "/api/events",
                    "[" + valid + ","
                            + valid.replace("\"quantity\":1", "\"quantity\":" + q)
                                    .replace("camp-ev-1", "camp-ev-2") + "]",
                    true);
        }
        add(
                cases,
                "event array too long",
                "POST",
                "/api/events",
                "[" + String.join(",", java.util.Collections.nCopies(1001, valid)) + "]",
                true);
    }

    private void pathAndParameterCases(List<Case> cases) {
        List<String> badKeys = List.of(
                "%00",
                "%C3%28",
                "%FF",
                "%EF%BB%BF" + SKU,
                SKU + "%E2%80%8F",
                "%0A",
                "%7F",
                "a".repeat(300),
                "%E2%80%A8",
                "%ED%A0%80",
                "%C0%AF",
                "%20");
        for (String key : badKeys) {
            add(
                    cases,
                    "on-hand of key " + abbreviate(key),
                    "PUT",
                    "/api/items/" + key + "/on-hand",
                    "{\"onHand\":5}",
                    true);
            add(
                    cases,
                    "adjust key " + abbreviate(key),
                    "POST",
                    "/api/items/" + key + "/adjustments",
                    "{\"delta\":1}",
                    true);
            add(cases, "get key " + abbreviate(key), "GET", "/api/items/" + key, null, true);
            add(cases, "ledger of key " + abbreviate(key), "GET", "/api/items/" + key + "/ledger", null, true);
            add(
                    cases,
                    "listing ref " + abbreviate(key),
                    "PUT",
                    "/api/listings/" + ERP + "/" + key,
                    "{\"sku\":\"" + SKU + "\"}",
                    true);
            add(
                    cases,
                    "listing store " + abbreviate(key),
                    "PUT",
                    "/api/listings/" + key + "/r1",
                    "{\"sku\":\"" + SKU + "\"}",
                    true);
            add(
                    cases,
                    "bundle key " + abbreviate(key),
                    "PUT",
                    "/api/bundles/" + key,
                    "{\"components\":{\"" + SKU + "\":1}}",
                    true);
        }
        List<String> badParams = List.of(
                "limit=abc",
                "limit=-1",
                "limit=0",
                "limit=99999999999",
                "limit=1.5",
                "limit=",
                "limit=%00",
                "before=abc",
                "before=9223372036854775808",
                "status=%00",
                "status=" + "a".repeat(300),
                "store=%00",
                "store=%EF%BB%BFx",
                "limit=1&limit=2",
                "status=zz",
                "%zz=1",
                "limit=%zz");
        for (String query : badParams) {
            for (String path : List.of(
                    "/api/items",
                    "/api/items/" + SKU + "/ledger",
                    "/api/listings",
                    "/api/events",
                    "/api/dead-letters",
                    "/api/reconciliations")) {
                add(cases, "GET " + path + "?" + abbreviate(query), "GET", path + "?" + query, null, false);
            }
        }
        // Methods an endpoint does not serve.
        for (String path : List.of(
                "/api/events",
                "/api/items/" + SKU,
                "/api/items/" + SKU + "/on-hand",
                "/api/listings",
                "/api/ledger",
                "/webhooks/shopify/" + SHOP,
                "/webhooks/walmart/" + WM)) {
            for (String method : List.of("DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND", "FOO")) {
                add(cases, method + " " + path, method, path, "{}", !method.equals("OPTIONS"));
            }
        }
        // Paths that are not served, however spelt.
        for (String path : List.of(
                "/api/events/",
                "//api/events",
                "/api/./events",
                "/api/events;x=1",
                "/api%2Fevents",
                "/api/%2e%2e/api/events",
                "/API/events",
                "/api/nope",
                "/webhooks/shopify/",
                "/webhooks/shopify/" + SHOP + "/x",
                "/webhooks/amazon/" + AMZ,
                "/webhooks/shopify/%00",
                "/webhooks/shopify/" + SHOP + ";x",
                "/webhooks//shopify/" + SHOP,
                "/%",
                "/%zz",
                "/%C3%28",
                "/a%00b")) {
            add(cases, "path " + path, "POST", path, "{}", true);
        }
    }

    private void tokenCases(List<Case> cases) {
        byte[] body = "{\"onHand\":777,\"reason\":\"token\"}".getBytes(StandardCharsets.UTF_8);
        String target = "/api/items/" + SKU + "/on-hand";
        List<Map<String, String>> bad = new ArrayList<>();
        bad.add(Map.of());
        for (String value : List.of(
                "Bearer",
                "Bearer ",
                "Bearer wrong",
                "bearer " + TOKEN,
                "BEARER " + TOKEN,
                "Bearer " + TOKEN + "x",
                "Bearer " + TOKEN.substring(1),
                "Bearer  " + TOKEN,
                "Basic " + Base64.getEncoder().encodeToString(("admin:" + TOKEN).getBytes(StandardCharsets.UTF_8)),
                TOKEN,
                "Token " + TOKEN,
                "Bearer " + TOKEN.toUpperCase(),
                "Bearer " + "x".repeat(5000),
                "Bearer \u00e9" + TOKEN)) {
            bad.add(Map.of("Authorization", value));
        }
        bad.add(Map.of("X-Admin-Token", TOKEN));
        bad.add(Map.of("Cookie", "token=" + TOKEN));
        for (Map<String, String> h : bad) {
            Map<String, String> headers = new LinkedHashMap<>(JSON);
            headers.putAll(h);
            cases.add(new Case(
                    "token " + abbreviate(h.toString().replace(TOKEN, "<token>")), "PUT", target, headers, body, true));
        }
        cases.add(new Case("token in the query", "PUT", target + "?token=" + TOKEN, JSON, body, true));
        cases.add(new Case("token in the query", "PUT", target + "?access_token=" + TOKEN, JSON, body, true));
        // Two Authorization headers, the wrong one first.
        String twice = "PUT " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + "Authorization: Bearer wrong\r\nAuthorization: Bearer " + TOKEN + "\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n"
                + new String(body, StandardCharsets.ISO_8859_1);
        cases.add(new Case("two Authorization headers", "PUT", target, Map.of("__raw", twice), null, true));
        // Without a token, every other endpoint.
        for (String path : List.of(
                "/api/events",
                "/api/items/" + SKU + "/adjustments",
                "/api/bundles/x",
                "/api/listings/" + ERP + "/x",
                "/api/ledger/pause",
                "/api/reconcile/" + ERP,
                "/api/dead-letters/1/redrive")) {
            cases.add(new Case("no token " + path, "POST", path, JSON, "{}".getBytes(StandardCharsets.UTF_8), true));
        }
    }

    private void encodingAndSizeCases(List<Case> cases) {
        String valid = "{\"id\":\"camp-enc-1\",\"store\":\"" + ERP + "\",\"type\":\"sale\",\"sku\":\"" + SKU
                + "\",\"quantity\":1}";
        // Invalid UTF-8 inside an otherwise valid event: a stray byte, an overlong form, an encoded surrogate.
        for (byte[] bad : List.of(
                new byte[] {(byte) 0xff},
                new byte[] {(byte) 0xc3, 0x28},
                new byte[] {(byte) 0xc0, (byte) 0xaf},
                new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
                new byte[] {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
                new byte[] {(byte) 0xe9})) {
            String prefix = valid.substring(0, valid.indexOf(SKU) + SKU.length());
            byte[] body = RawHttp.concat(
                    RawHttp.concat(prefix.getBytes(StandardCharsets.UTF_8), bad),
                    valid.substring(prefix.length()).getBytes(StandardCharsets.UTF_8));
            for (String target : List.of("/api/events", "/api/items/" + SKU + "/on-hand")) {
                byte[] b = target.equals("/api/events")
                        ? body
                        : RawHttp.concat(
                                RawHttp.concat("{\"onHand\":5,\"reason\":\"".getBytes(StandardCharsets.UTF_8), bad),
                                "\"}".getBytes(StandardCharsets.UTF_8));
                cases.add(new Case(
                        "invalid UTF-8 " + java.util.HexFormat.of().formatHex(bad) + " " + target,
                        target.equals("/api/events") ? "POST" : "PUT",
                        target,
                        withToken(JSON),
                        b,
                        true));
            }
        }
        // Malformed bodies in other encodings and content types.
        for (String contentType : List.of(
                "text/plain",
                "application/x-www-form-urlencoded",
                "application/xml",
                "application/json; charset=utf-16",
                "application/json; charset=nope",
                "multipart/form-data; boundary=x",
                "",
                "application/json; charset=iso-8859-1")) {
            Map<String, String> headers =
                    withToken(contentType.isEmpty() ? Map.of() : Map.of("Content-Type", contentType));
            for (String body : List.of("{", "{\"onHand\":\"5\"}", "onHand=5", "<onHand>5</onHand>")) {
                cases.add(new Case(
                        "content type " + contentType + " " + body,
                        "PUT",
                        "/api/items/" + SKU + "/on-hand",
                        headers,
                        body.getBytes(StandardCharsets.UTF_16LE),
                        true));
                cases.add(new Case(
                        "content type " + contentType + " " + body,
                        "POST",
                        "/api/events",
                        headers,
                        body.getBytes(StandardCharsets.UTF_8),
                        true));
            }
        }
        Map<String, String> gzip = withToken(Map.of("Content-Type", "application/json", "Content-Encoding", "gzip"));
        cases.add(new Case(
                "gzip claimed, not gzip", "POST", "/api/events", gzip, "{".getBytes(StandardCharsets.UTF_8), true));
        // Sizes: a body over the limit, headers and request lines over Tomcat's limits.
        byte[] huge = ("{\"onHand\":5,\"reason\":\"" + "r".repeat(1_100_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        for (String target : List.of(
                "/api/events",
                "/api/items/" + SKU + "/on-hand",
                "/webhooks/shopify/" + SHOP,
                "/webhooks/walmart/" + WM)) {
            String method = target.endsWith("on-hand") ? "PUT" : "POST";
            cases.add(new Case("oversize body " + target, method, target, withToken(JSON), huge, true));
            Map<String, String> chunked =
                    withToken(Map.of("Content-Type", "application/json", "Transfer-Encoding", "chunked"));
            cases.add(new Case("oversize chunked body " + target, method, target, chunked, chunk(huge), true));
            cases.add(new Case(
                    "malformed chunks " + target,
                    method,
                    target,
                    chunked,
                    "zz\r\n{}\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1),
                    true));
            Map<String, String> bigHeader =
                    withToken(Map.of("Content-Type", "application/json", "X-Padding", "p".repeat(20_000)));
            cases.add(new Case(
                    "oversize header " + target,
                    method,
                    target,
                    bigHeader,
                    "{}".getBytes(StandardCharsets.UTF_8),
                    true));
            cases.add(new Case(
                    "oversize request line " + target,
                    method,
                    target + "?q=" + "q".repeat(20_000),
                    withToken(JSON),
                    "{}".getBytes(StandardCharsets.UTF_8),
                    true));
        }
        // Malformed request lines and headers.
        for (String request : List.of(
                "PUT /api/items/" + SKU + "/on-hand HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
                "PUT /api/items/" + SKU + "/on-hand HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\n\r\n",
                "PUT /api/items/" + SKU + "/on-hand HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}",
                "PUT /api/items/" + SKU + "/on-hand HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n{}",
                "PUT /api/items/" + SKU
                        + "/on-hand HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
                "PUT /api/items/" + SKU + " /on-hand HTTP/1.1\r\nHost: x\r\n\r\n",
                "PUT /api/items/\u00e9 HTTP/1.1\r\nHost: x\r\n\r\n",
                "PUT /api/items/{x} HTTP/1.1\r\nHost: x\r\n\r\n",
                "PUT /api/items/a|b HTTP/1.1\r\nHost: x\r\n\r\n",
                "PUT api/items HTTP/1.1\r\nHost: x\r\n\r\n",
                "PUT /api/items HTTP/9.9\r\nHost: x\r\n\r\n",
                "PUT * HTTP/1.1\r\nHost: x\r\n\r\n",
                "P\u0000T /api/items HTTP/1.1\r\nHost: x\r\n\r\n")) {
            cases.add(new Case(
                    "malformed request " + abbreviate(request.replace("\r\n", "|")),
                    "RAW",
                    "-",
                    Map.of("__raw", request.replace("Host: x", "Host: x\r\nAuthorization: Bearer " + TOKEN)),
                    null,
                    true));
        }
    }

    private static byte[] chunk(byte[] body) {
        StringBuilder b = new StringBuilder();
        String text = new String(body, StandardCharsets.ISO_8859_1);
        for (int i = 0; i < text.length(); i += 65536) {
            String part = text.substring(i, Math.min(text.length(), i + 65536));
            b.append(Integer.toHexString(part.length()))
                    .append("\r\n")
                    .append(part)
                    .append("\r\n");
        }
        return b.append("0\r\n\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Webhooks: unsigned, wrongly signed, and correctly signed but malformed deliveries (a signed delivery is the
     * channel's, so a body Tally cannot read is refused with 400 and Shopify or Walmart deliver it again).
     */
    private void webhookCases(List<Case> cases, Random random) {
        String shopify = "/webhooks/shopify/" + SHOP;
        String walmart = "/webhooks/walmart/" + WM;
        String order = "{\"id\":820982911946154508,\"line_items\":[{\"id\":466157049,\"variant_id\":39072856,"
                + "\"sku\":\"" + SKU + "\",\"quantity\":1}]}";
        List<String> bodies = new ArrayList<>(MALFORMED);
        bodies.add(order + "garbage");
        bodies.add(order + order);
        for (String body : bodies) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            for (String topic : List.of(
                    "orders/create",
                    "orders/cancelled",
                    "refunds/create",
                    "inventory_levels/update",
                    "products/update")) {
                Map<String, String> signed = shopifyHeaders(topic, sign(bytes, SHOP_SECRET));
                // A byte-order mark before the JSON is allowed (RFC 8259 8.1): "\ufeff{}" is an empty delivery.
                cases.add(new Case(
                        "shopify signed " + topic + " " + abbreviate(body),
                        "POST",
                        shopify,
                        signed,
                        bytes,
                        !body.equals("\ufeff{}")));
            }
            cases.add(new Case(
                    "shopify unsigned " + abbreviate(body),
                    "POST",
                    shopify,
                    shopifyHeaders("orders/create", null),
                    bytes,
                    true));
            cases.add(new Case(
                    "shopify wrong signature " + abbreviate(body),
                    "POST",
                    shopify,
                    shopifyHeaders("orders/create", sign(bytes, "not-the-secret")),
                    bytes,
                    true));
            cases.add(new Case(
                    "walmart signed " + abbreviate(body),
                    "POST",
                    walmart,
                    Map.of("Content-Type", "application/json", "X-Tally-Signature", sign(bytes, WM_WEBHOOK_SECRET)),
                    bytes,
                    true));
            cases.add(new Case("walmart unsigned " + abbreviate(body), "POST", walmart, JSON, bytes, true));
            cases.add(new Case(
                    "walmart wrong basic " + abbreviate(body),
                    "POST",
                    walmart,
                    Map.of(
                            "Content-Type",
                            "application/json",
                            "Authorization",
                            "Basic " + Base64.getEncoder().encodeToString("u:wrong".getBytes(StandardCharsets.UTF_8))),
                    bytes,
                    true));
        }
        // Valid-looking deliveries with bad signatures: never stored.
        byte[] bytes = order.getBytes(StandardCharsets.UTF_8);
        for (String signature : List.of(
                "",
                "x",
                sign(bytes, SHOP_SECRET).toLowerCase(),
                sign(bytes, SHOP_SECRET) + "=",
                sign((order + " ").getBytes(StandardCharsets.UTF_8), SHOP_SECRET),
                "\u00e9")) {
            cases.add(new Case(
                    "shopify bad signature " + signature,
                    "POST",
                    shopify,
                    shopifyHeaders("orders/create", signature),
                    bytes,
                    true));
        }
        // Signed deliveries without the headers Tally needs, or for stores that do not exist.
        Map<String, String> noTopic = new LinkedHashMap<>(JSON);
        noTopic.put("X-Shopify-Hmac-Sha256", sign(bytes, SHOP_SECRET));
        cases.add(new Case("shopify signed without topic", "POST", shopify, noTopic, bytes, true));
        for (String store : List.of("no-such-shop", ERP, WM, "%EF%BB%BF" + SHOP, "a".repeat(300))) {
            cases.add(new Case(
                    "shopify store " + abbreviate(store),
                    "POST",
                    "/webhooks/shopify/" + store,
                    shopifyHeaders("orders/create", sign(bytes, SHOP_SECRET)),
                    bytes,
                    true));
            cases.add(new Case(
                    "walmart store " + abbreviate(store),
                    "POST",
                    "/webhooks/walmart/" + store,
                    Map.of("Content-Type", "application/json", "X-Tally-Signature", sign(bytes, WM_WEBHOOK_SECRET)),
                    bytes,
                    true));
        }
    }

    private Map<String, String> shopifyHeaders(String topic, String hmac) {
        Map<String, String> h = new LinkedHashMap<>(JSON);
        h.put("X-Shopify-Topic", topic);
        h.put("X-Shopify-Shop-Domain", SHOP + ".myshopify.com");
        h.put("X-Shopify-Event-Id", "camp-" + topic.replace('/', '-') + "-" + System.identityHashCode(h));
        h.put("X-Shopify-Webhook-Id", "camp-webhook");
        if (hmac != null) {
            h.put("X-Shopify-Hmac-Sha256", hmac);
        }
        return h;
    }

    /** base64 HMAC-SHA256 of the raw body (Shopify's scheme; Tally's X-Tally-Signature for Walmart). */
    private static String sign(byte[] body, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Seeded random combinations: a bad value of any kind in any field of any template. */
    private void randomCombinations(List<Case> cases, Random random) {
        List<List<String>> kinds = List.of(NOT_A_NUMBER, OUT_OF_RANGE, BAD_ID_TEXT, BAD_FREE_TEXT, MALFORMED);
        String[][] templates = {
            {"PUT", "/api/items/" + SKU + "/on-hand", "onHand"},
            {"POST", "/api/items/" + SKU + "/adjustments", "delta"},
            {"POST", "/api/events", "quantity"},
            {"PUT", "/api/listings/" + ERP + "/camp-rnd", "sku"}
        };
        for (int i = 0; i < 700; i++) {
            String[] t = templates[random.nextInt(templates.length)];
            List<String> kind = kinds.get(random.nextInt(kinds.size()));
            String bad = kind.get(random.nextInt(kind.size()));
            if (kind == MALFORMED) {
                add(cases, "random malformed " + i, t[0], t[1], bad, true);
                continue;
            }
            if (!t[2].equals("sku")
                    && bad.matches("-?[0-9]{1,10}")
                    && Math.abs(Long.parseLong(bad)) <= 1_000_000_000L) {
                continue; // a whole number in range: valid for some of these fields, covered by the tables
            }
            if (t[2].equals("sku")
                    && (kind == NOT_A_NUMBER || kind == OUT_OF_RANGE)
                    && bad.startsWith("\"")
                    && !bad.equals("\"\"")
                    && !bad.equals("\" \"")) {
                continue; // a string is a valid sku
            }
            if (!t[2].equals("sku") && kind == BAD_FREE_TEXT) {
                bad = "\"" + bad.replace("\"", "") + "\"";
            }
            String body = switch (t[2]) {
                case "onHand" -> "{\"onHand\":" + bad + "}";
                case "delta" -> "{\"delta\":" + bad + "}";
                case "quantity" ->
                    "{\"id\":\"camp-rnd-" + i + "\",\"store\":\"" + ERP + "\",\"type\":\"sale\",\"sku\":\"" + SKU
                            + "\",\"quantity\":" + bad + "}";
                default -> "{\"sku\":" + bad + "}";
            };
            add(cases, "random " + i + " " + t[2] + "=" + abbreviate(bad), t[0], t[1], body, true);
        }
    }
}
