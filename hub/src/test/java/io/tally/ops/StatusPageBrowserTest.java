package io.tally.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tally.TallyApplication;
import io.tally.sandbox.GenericChannelSimulator;
import io.tally.sandbox.shopify.Shop;
import io.tally.sandbox.shopify.ShopSettings;
import io.tally.sandbox.shopify.ShopifySimulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Drives the status page ({@code /status/index.html}) in headless Chromium against a real hub: the page must
 * authenticate with the token passed in the URL fragment, show items with their on-hand, an item's ledger and
 * chart, and dead letters with a redrive button. Chromium is run as a plain process ({@code --dump-dom},
 * {@code --screenshot}); no browser-automation dependency. Skipped when {@code /usr/bin/chromium} is missing.
 * Screenshots go to {@code target/screenshots/} (copies for the README live in {@code docs/screenshots/}).
 */
@SpringBootTest(classes = TallyApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class StatusPageBrowserTest {

    static final String TOKEN = "status-page-test-token";
    static final String PAGE = "/status/index.html";
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    static final Duration WAIT = Duration.ofSeconds(20);
    static final ObjectMapper JSON = new ObjectMapper();

    /** Far end of the healthy stores. */
    static final GenericChannelSimulator SIM = new GenericChannelSimulator().start();
    /** Far end of the {@code flaky} store, made to fail to produce a dead letter. */
    static final GenericChannelSimulator FLAKY = new GenericChannelSimulator().start();
    /** A Shopify store whose catalog (imported at start-up) names its variants: the page shows those titles. */
    static final ShopifySimulator SHOPIFY = new ShopifySimulator().start();

    static final Shop.Product SHIRT;

    static {
        SHOPIFY.addShop(
                "shop",
                ShopSettings.builder()
                        .accessToken("shpat_status")
                        .webhookSecret("secret-status")
                        .retryBaseDelay(Duration.ofMillis(200))
                        .timeout(Duration.ofSeconds(3))
                        .build());
        SHIRT = SHOPIFY.shop("shop")
                .createProduct(
                        "Grey T-Shirt",
                        "grey-t-shirt",
                        List.of(),
                        List.of(new Shop.VariantSpec("Cat print", "tee-cat", null, 20)));
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        Path dataDir = freshDataDir();
        r.add("tally.embedded-db.data-dir", dataDir::toString);
        r.add("tally.admin-token", () -> TOKEN);
        r.add("tally.push.max-retries", () -> "2");
        r.add("tally.push.initial-backoff-ms", () -> "100");
        r.add("tally.push.max-backoff-ms", () -> "500");
        r.add("tally.push.timeout-ms", () -> "1000");
        r.add("tally.push.sweep-interval-ms", () -> "60000");
        store(r, "web", SIM);
        store(r, "outlet", SIM);
        store(r, "flaky", FLAKY);
        Map.of(
                        "channel",
                        "shopify",
                        "api-url",
                        SHOPIFY.apiUrl("shop"),
                        "credentials.access-token",
                        "shpat_status",
                        "credentials.webhook-secret",
                        "secret-status",
                        "max-pushes-per-second",
                        "100")
                .forEach((k, v) -> r.add("tally.stores.shop." + k, () -> v));
    }

    private static void store(DynamicPropertyRegistry r, String id, GenericChannelSimulator sim) {
        Map.of("channel", "http", "role", "peer", "push-url", sim.url("/push"), "max-pushes-per-second", "200")
                .forEach((k, v) -> r.add("tally.stores." + id + "." + k, () -> v));
    }

    private static Path freshDataDir() {
        try {
            Path root = Path.of("target", "test-data").toAbsolutePath();
            Files.createDirectories(root);
            return Files.createTempDirectory(root, "status-page-").resolve("pg");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @BeforeAll
    static void chromiumInstalled() {
        assumeTrue(HeadlessChromium.installed(), "headless browser test needs " + HeadlessChromium.CHROMIUM);
    }

    @AfterAll
    static void stopSimulators() {
        SIM.stop();
        FLAKY.stop();
        SHOPIFY.stop();
    }

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @Test
    void pageShowsItemsLedgerChartAndDeadLettersWithRedrive() throws Exception {
        // A master listing with 40 and a second store sharing the SKU; an item that will be oversold.
        put("/api/listings/web/tee-grey-m", Map.of("sku", "tee-grey-m", "master", true, "level", 40));
        put("/api/listings/outlet/tee-grey-m", Map.of("sku", "tee-grey-m"));
        put("/api/listings/web/mug-blue", Map.of("sku", "mug-blue", "level", 5));
        put("/api/listings/flaky/lamp-oak", Map.of("sku", "lamp-oak", "level", 12));
        awaitOnHand("tee-grey-m", 40);
        awaitOnHand("mug-blue", 5);
        awaitOnHand("lamp-oak", 12);
        awaitInSync("lamp-oak");

        // Sales: 3 + 2 of the tee, 7 of a mug that has 5 (oversold), one for an unknown SKU (parked).
        postEvents(List.of(
                sale("tee-1001-1", "web", "tee-grey-m", 3, "1001"),
                sale("tee-1002-1", "outlet", "tee-grey-m", 2, "1002"),
                sale("mug-1003-1", "web", "mug-blue", 7, "1003"),
                Map.of(
                        "id",
                        "unknown-1004-1",
                        "store",
                        "web",
                        "type",
                        "sale",
                        "sku",
                        "no-such-sku",
                        "quantity",
                        1,
                        "orderId",
                        "1004",
                        "lineId",
                        "1")));
        awaitOnHand("tee-grey-m", 35);
        awaitOnHand("mug-blue", -2);
        awaitInSync("tee-grey-m");
        awaitInSync("mug-blue");

        // A dead letter: the flaky channel answers 500 until recovered.
        FLAKY.failAlways(500);
        postEvents(List.of(sale("lamp-1005-1", "flaky", "lamp-oak", 2, "1005")));
        awaitOnHand("lamp-oak", 10);
        long deadLetterId = await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptions()
                .until(() -> openDeadLetter("flaky", "lamp-oak"), id -> id != null);

        // A listing whose channel already holds its target and that was never pushed: in sync, not "out of sync".
        put("/api/listings/web/cap-red", Map.of("sku", "cap-red", "level", 7));
        awaitOnHand("cap-red", 7);
        awaitInSync("cap-red");
        // The Shopify variant, imported at start-up with its product and variant titles.
        awaitOnHand("tee-cat", 20);
        awaitInSync("tee-cat");
        // Pushes reach the push history (written every 2 s).
        await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(pushTotals("web")[0])
                        .as("accepted pushes to web in the history")
                        .isPositive());

        // Without a valid token the page says so.
        String refused = dumpDom(url("#token=wrong-token"));
        assertThat(text(refused)).contains("Unauthorized (401)");

        // The overview: items with their on-hand (oversold first), the dead letter with its redrive button.
        String dom = dumpDom(url("#token=" + enc(TOKEN)));
        assertThat(dom).as("page loaded its data").contains("data-loaded=\"true\"");
        assertThat(text(dom)).doesNotContain("Unauthorized").doesNotContain("could not be loaded");
        assertThat(dom).as("token removed from the address bar is not rendered").doesNotContain(TOKEN);
        assertThat(itemGroup(dom, "tee-grey-m"))
                .contains("data-on-hand=\"35\"")
                .contains("In sync")
                .contains("web")
                .contains("outlet");
        assertThat(itemGroup(dom, "mug-blue")).contains("data-on-hand=\"-2\"").contains("Oversold");
        assertThat(dom.indexOf("data-item=\"mug-blue\""))
                .as("oversold item listed first")
                .isLessThan(dom.indexOf("data-item=\"tee-grey-m\""));
        String redriveButton = findTag(dom, "button", "data-id=\"" + deadLetterId + "\"");
        assertThat(redriveButton)
                .as("redrive button of dead letter %s", deadLetterId)
                .isNotNull()
                .contains("class=\"redrive\"")
                .contains("type=\"button\"");
        assertThat(text(dom)).contains("no-such-sku").contains("Parked");
        assertThat(itemGroup(dom, "tee-cat"))
                .as("the Shopify item is named by its product / variant title")
                .contains("Grey T-Shirt / Cat print");
        assertThat(itemGroup(dom, "cap-red")).contains("In sync").doesNotContain("Out of sync");
        await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .untilAsserted(this::overviewAgreesWithTheApi);
        screenshot(url("#token=" + enc(TOKEN) + "&minutes=15"), SCREENSHOTS.resolve("status-page.png"), 1280, 2600);

        // The never-pushed, in-sync listing's item view: the API's state, no count of its own.
        String capDom = dumpDom(url("#token=" + enc(TOKEN) + "&item=cap-red"));
        String capStatus = section(capDom, "<dd id=\"item-status\"", "</dd>");
        assertThat(capStatus).contains("In sync").doesNotContain("Out of sync");
        assertListingsAgree(
                section(capDom, "<table id=\"item-listings-table\"", "</table>"),
                get("/api/items/cap-red").path("listings"));
        // The Shopify item's view is headed by its variant title.
        String teeCat = dumpDom(url("#token=" + enc(TOKEN) + "&item=tee-cat"));
        assertThat(section(teeCat, "<dd id=\"item-name\"", "</dd>")).contains("Grey T-Shirt / Cat print");

        // One item: its ledger (newest first), its on-hand and the chart of its level.
        String itemDom = dumpDom(url("#token=" + enc(TOKEN) + "&item=tee-grey-m"));
        assertThat(itemDom).contains("id=\"item-on-hand\">35<");
        String ledger = section(itemDom, "<table id=\"ledger-table\"", "</table>");
        assertThat(ledger).contains("tee-1002-1").contains("tee-1001-1");
        List<Long> entryIds = new ArrayList<>();
        Matcher ids = Pattern.compile("<tr><td class=\"num\">(\\d+)</td>").matcher(ledger);
        while (ids.find()) {
            entryIds.add(Long.parseLong(ids.group(1)));
        }
        assertThat(entryIds)
                .as("ledger entries, newest first")
                .hasSize(3)
                .isSortedAccordingTo(Comparator.reverseOrder());
        assertListingsAgree(
                section(itemDom, "<table id=\"item-listings-table\"", "</table>"),
                get("/api/items/tee-grey-m").path("listings"));
        // On hand went 40 -> 37 -> 35: the y-axis spans that, it does not start at 0.
        String chart = section(itemDom, "<figure class=\"chart-wrap\" id=\"level-chart\"", "</figure>");
        assertThat(chart).contains("class=\"line s-main\"").contains("<title");
        double[] range = yRange(chart);
        assertThat(range[0])
                .as("y-axis minimum of the on-hand chart")
                .isGreaterThan(20)
                .isLessThanOrEqualTo(35);
        assertThat(range[1])
                .as("y-axis maximum of the on-hand chart")
                .isGreaterThanOrEqualTo(40)
                .isLessThan(60);
        // One level-against-target chart per listing, each scaled to its own data.
        JsonNode history = get("/api/items/tee-grey-m/history?minutes=60");
        for (JsonNode l : history.path("listings")) {
            String fig = section(
                    itemDom,
                    "data-listing=\"" + l.path("store").asText() + "/"
                            + l.path("ref").asText() + "\"><figcaption",
                    "</figure>");
            assertThat(fig).contains("data-series=\"target\"").contains("data-series=\"channel level\"");
            assertThat(yRange(fig)[0])
                    .as("y-axis minimum of %s", l.path("store").asText())
                    .isGreaterThan(20);
        }
        screenshot(
                url("#token=" + enc(TOKEN) + "&item=tee-grey-m&minutes=15"),
                SCREENSHOTS.resolve("status-item.png"),
                1280,
                1700);

        // Redrive: the channel is back; clicking the dead letter's button re-sends the current target.
        FLAKY.recover();
        String clicked = HeadlessChromium.clickAndDump(
                url("#token=" + enc(TOKEN)),
                "button.redrive[data-id=\"" + deadLetterId + "\"]",
                Duration.ofSeconds(30));
        assertThat(clicked).as("the page after the click").doesNotStartWith("NOT FOUND");
        assertThat(get("/api/dead-letters"))
                .as("the click redrove the dead letter")
                .anySatisfy(d -> {
                    assertThat(d.path("id").asLong()).isEqualTo(deadLetterId);
                    assertThat(d.path("status").asText()).isEqualTo("redriven");
                });
        await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptions()
                .until(() -> FLAKY.level("flaky", "lamp-oak") != null && FLAKY.level("flaky", "lamp-oak") == 10);
        await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptions()
                .until(() -> openDeadLetter("flaky", "lamp-oak") == null);
        String after = dumpDom(url("#token=" + enc(TOKEN)));
        assertThat(findTag(after, "button", "data-id=\"" + deadLetterId + "\""))
                .as("no redrive once redriven")
                .isNull();
        assertThat(itemGroup(after, "lamp-oak")).contains("data-on-hand=\"10\"");

        // Redrive all: the flaky store fails again; its panel button re-queues everything that failed.
        FLAKY.failAlways(500);
        postEvents(List.of(sale("lamp-1006-1", "flaky", "lamp-oak", 1, "1006")));
        awaitOnHand("lamp-oak", 9);
        await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptions()
                .until(() -> openDeadLetter("flaky", "lamp-oak"), id -> id != null);
        String failing = dumpDom(url("#token=" + enc(TOKEN)));
        assertThat(storeCount(failing, "flaky", "dead_letters")).isEqualTo(1);
        FLAKY.recover();
        String redriven = HeadlessChromium.clickAndDump(
                url("#token=" + enc(TOKEN)),
                "button.redrive-store[data-store=\"flaky\"]:not([disabled])",
                Duration.ofSeconds(30));
        assertThat(redriven).doesNotStartWith("NOT FOUND");
        await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptions()
                .until(() -> FLAKY.level("flaky", "lamp-oak") != null && FLAKY.level("flaky", "lamp-oak") == 9);
        assertThat(openDeadLetter("flaky", "lamp-oak")).isNull();
        awaitInSync("lamp-oak");
    }

    // ------------------------------------------------------------------ page against API

    /** The store panel's counts and every listing row of the items table equal what the API says now. */
    private void overviewAgreesWithTheApi() throws Exception {
        String dom = dumpDom(url("#token=" + enc(TOKEN)));
        JsonNode stores = get("/api/stores");
        assertThat(stores.size()).isEqualTo(4);
        for (JsonNode s : stores) {
            String id = s.path("store").asText();
            assertThat(storeCount(dom, id, "listings"))
                    .as("%s listings", id)
                    .isEqualTo(s.path("listings").asLong());
            for (String state : List.of("in_sync", "pending", "never_pushed", "failed")) {
                assertThat(storeCount(dom, id, state))
                        .as("%s %s", id, state)
                        .isEqualTo(s.path("listingStates").path(state).asLong());
            }
            assertThat(storeCount(dom, id, "dead_letters"))
                    .as("%s dead letters", id)
                    .isEqualTo(s.path("deadLettersOpen").asLong());
        }
        assertThat(storeCount(dom, "flaky", "dead_letters"))
                .as("flaky's open dead letter")
                .isEqualTo(1);
        JsonNode listings = get("/api/listings");
        assertThat(listings.size()).isEqualTo(6);
        for (JsonNode l : listings) {
            assertListingsAgree(
                    itemGroup(dom, l.path("itemKey").asText()),
                    JSON.createArrayNode().add(l));
        }
    }

    /** Each listing's row (found by store/ref) shows the API's target, channel level, state and name. */
    private static void assertListingsAgree(String html, JsonNode listings) {
        for (JsonNode l : listings) {
            String key = l.path("store").asText() + "/" + l.path("ref").asText();
            int at = html.indexOf("data-listing=\"" + key + "\"");
            assertThat(at).as("row of listing %s", key).isGreaterThanOrEqualTo(0);
            String row = html.substring(at, html.indexOf("</tr>", at));
            assertThat(attribute(row, "td class=\"num target\""))
                    .as("target of %s", key)
                    .isEqualTo(l.path("target").asText());
            assertThat(attribute(row, "td class=\"num level\""))
                    .as("channel level of %s", key)
                    .isEqualTo(l.path("level").isNull() ? "" : l.path("level").asText());
            assertThat(row)
                    .as("state of %s", key)
                    .contains("data-state=\"" + l.path("state").asText() + "\"");
            assertThat(row).as("name of %s", key).contains(l.path("name").asText());
        }
    }

    /** The data-value of the first tag that starts with {@code tagStart}. */
    private static String attribute(String html, String tagStart) {
        Matcher m = Pattern.compile("<" + Pattern.quote(tagStart) + "[^>]*data-value=\"([^\"]*)\"")
                .matcher(html);
        assertThat(m.find()).as("%s with a data-value", tagStart).isTrue();
        return m.group(1);
    }

    private static long storeCount(String dom, String store, String name) {
        int at = dom.indexOf("<tr data-store=\"" + store + "\"");
        assertThat(at).as("store %s in the panel", store).isGreaterThanOrEqualTo(0);
        String row = dom.substring(at, dom.indexOf("</tr>", at));
        Matcher m = Pattern.compile("data-count=\"" + name + "\" data-value=\"(-?\\d+)\"")
                .matcher(row);
        assertThat(m.find()).as("%s of store %s", name, store).isTrue();
        return Long.parseLong(m.group(1));
    }

    /** The y-axis range (data-y-min, data-y-max) of the first chart in the snippet. */
    private static double[] yRange(String html) {
        Matcher m = Pattern.compile("data-y-min=\"(-?[\\d.]+)\" data-y-max=\"(-?[\\d.]+)\"")
                .matcher(html);
        assertThat(m.find()).as("a chart with its y range").isTrue();
        return new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))};
    }

    /** Accepted and failed push attempts to a store in the last hour, from the API. */
    private long[] pushTotals(String store) {
        long ok = 0;
        long failed = 0;
        for (JsonNode b : get("/api/stores/" + store + "/pushes?minutes=60").path("buckets")) {
            ok += b.path("ok").asLong();
            failed += b.path("failed").asLong();
        }
        return new long[] {ok, failed};
    }

    // ------------------------------------------------------------------ API

    private static Map<String, Object> sale(String id, String store, String ref, int qty, String order) {
        return Map.of(
                "id", id, "store", store, "type", "sale", "ref", ref, "quantity", qty, "orderId", order, "lineId", "1");
    }

    private void put(String path, Object body) {
        HttpResponse<String> r = send("PUT", path, body);
        assertThat(r.statusCode()).as("PUT %s -> %s", path, r.body()).isEqualTo(200);
    }

    private void postEvents(Object events) {
        HttpResponse<String> r = send("POST", "/api/events", events);
        assertThat(r.statusCode()).as("POST events -> %s", r.body()).isEqualTo(202);
    }

    private void awaitOnHand(String key, long expected) {
        await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptions()
                .untilAsserted(() -> {
                    JsonNode item = get("/api/items/" + enc(key));
                    assertThat(item.path("onHand").asLong())
                            .as("onHand of %s", key)
                            .isEqualTo(expected);
                });
    }

    /** Every listing of the item holds its target (pushed and confirmed). */
    private void awaitInSync(String key) {
        await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptions()
                .untilAsserted(() -> {
                    JsonNode listings = get("/api/items/" + enc(key)).path("listings");
                    assertThat(listings.size()).as("listings of %s", key).isPositive();
                    for (JsonNode l : listings) {
                        assertThat(l.path("state").asText()).as("listing %s", l).isEqualTo("in_sync");
                    }
                });
    }

    private Long openDeadLetter(String store, String ref) {
        for (JsonNode d : get("/api/dead-letters?status=open")) {
            if (store.equals(d.path("store").asText())
                    && ref.equals(d.path("ref").asText())) {
                return d.path("id").asLong();
            }
        }
        return null;
    }

    private JsonNode get(String path) {
        HttpResponse<String> r = send("GET", path, null);
        assertThat(r.statusCode()).as("GET %s -> %s", path, r.body()).isEqualTo(200);
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpResponse<String> send(String method, String path, Object body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + TOKEN);
            if (body == null) {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                b.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            }
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private String url(String fragment) {
        return "http://127.0.0.1:" + port + PAGE + fragment;
    }

    // ------------------------------------------------------------------ DOM snippets

    /** The {@code <tbody data-item="key">} group of the items table. */
    private static String itemGroup(String dom, String key) {
        int at = dom.indexOf("data-item=\"" + key + "\"");
        assertThat(at).as("item %s on the page", key).isGreaterThanOrEqualTo(0);
        return dom.substring(at, dom.indexOf("</tbody>", at));
    }

    private static String section(String dom, String start, String end) {
        int at = dom.indexOf(start);
        assertThat(at).as("%s on the page", start).isGreaterThanOrEqualTo(0);
        return dom.substring(at, dom.indexOf(end, at) + end.length());
    }

    /** The first opening tag {@code <name ...>} that contains {@code attribute}, or null. */
    private static String findTag(String dom, String name, String attribute) {
        Matcher m = Pattern.compile("<" + name + "\\b[^>]*>").matcher(dom);
        while (m.find()) {
            if (m.group().contains(attribute)) {
                return m.group();
            }
        }
        return null;
    }

    /** The page's text, roughly: tags dropped, entities left alone. */
    private static String text(String dom) {
        return dom.replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ");
    }

    private static String dumpDom(String url) throws Exception {
        return HeadlessChromium.dumpDom(url, 5000);
    }

    private static void screenshot(String url, Path file, int width, int height) throws Exception {
        HeadlessChromium.screenshot(url, file, width, height, 5000);
    }
}
