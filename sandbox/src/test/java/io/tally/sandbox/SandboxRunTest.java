package io.tally.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tally.TallyApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.boot.web.embedded.tomcat.TomcatWebServer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The sandbox as a user starts it (profile {@code sandbox}, config/application-sandbox.yaml), on free ports and a fresh
 * data folder so it runs beside a real sandbox: the simulators answer on their merchant URLs, the examples are seeded
 * and linked, and a sale in one simulated Shopify shop reaches the other shop. Then the same sandbox is started again
 * over the same data, as after Ctrl-C: nothing is seeded twice, the simulators show what Tally last knew, and the next
 * sale is booked. Everything goes over HTTP, like the walkthrough's curl commands.
 */
class SandboxRunTest {

    private static final String TOKEN = "sandbox-test-token";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private final Path dataDir = freshDataDir();

    private int hubPort;
    private int shopifyPort;
    private int amazonPort;
    private int walmartPort;
    private int channelPort;

    @Test
    void sandboxStartsSeededSyncsASaleAndKeepsItsStockAcrossARestart() {
        try (ConfigurableApplicationContext sandbox = start()) {
            listensOnLoopbackOnly(sandbox);
            simulatorsAnswerAndTheExamplesAreLinked();
            aSaleInOneShopReachesTheOtherShop();
        }
        try (ConfigurableApplicationContext sandbox = start()) {
            theRestartedSandboxShowsWhatTallyKnewAndBooksTheNextSale();
        }
    }

    /**
     * Issue 17, defect 3: the sandbox has a well-known token and a console without login, so the hub's port, the
     * management port and the simulators listen on loopback only (TALLY_BIND_ADDRESS opens them up).
     */
    private void listensOnLoopbackOnly(ConfigurableApplicationContext sandbox) {
        Object hubAddress = ((TomcatWebServer) ((WebServerApplicationContext) sandbox).getWebServer())
                .getTomcat()
                .getConnector()
                .getProperty("address");
        assertThat(hubAddress)
                .as("the hub's bound address")
                .isInstanceOf(InetAddress.class)
                .matches(a -> ((InetAddress) a).isLoopbackAddress());
        int managementPort = Integer.parseInt(sandbox.getEnvironment().getProperty("local.management.port"));
        List<InetAddress> outside = nonLoopbackAddresses();
        for (int port : List.of(hubPort, managementPort, shopifyPort, amazonPort, walmartPort)) {
            assertThat(connects(InetAddress.getLoopbackAddress(), port))
                    .as("port %d on loopback", port)
                    .isTrue();
            for (InetAddress address : outside) {
                assertThat(connects(address, port))
                        .as("port %d on %s", port, address)
                        .isFalse();
            }
        }
    }

    private static List<InetAddress> nonLoopbackAddresses() {
        List<InetAddress> found = new ArrayList<>();
        try {
            for (NetworkInterface nic : java.util.Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress address : java.util.Collections.list(nic.getInetAddresses())) {
                    if (!address.isLoopbackAddress() && !address.isLinkLocalAddress()) {
                        found.add(address);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    private static boolean connects(InetAddress address, int port) {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress(address, port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void simulatorsAnswerAndTheExamplesAreLinked() {
        List<String> shops = new ArrayList<>();
        get(shopify("")).forEach(shop -> shops.add(shop.path("name").asText()));
        assertThat(shops).containsExactly("shop-main", "shop-outlet");
        assertThat(get(shopify("/shop-main/products")))
                .hasSize(SandboxExamples.SHOPIFY.get("shop-main").size());
        assertThat(get("http://127.0.0.1:" + amazonPort + "/_sandbox/amazon/listings/steel-bottle")
                        .path("quantity")
                        .isInt())
                .isTrue();
        assertThat(get("http://127.0.0.1:" + walmartPort + "/_sandbox/walmart/items/steel-bottle")
                        .path("quantity")
                        .isInt())
                .isTrue();

        eventually(() -> {
            JsonNode tshirt = item("grey-md-tshirt");
            assertThat(tshirt.path("onHand").asLong()).isEqualTo(3000);
            assertThat(listingsIn(tshirt, "shop-main"))
                    .hasSize(4)
                    .filteredOn(l -> l.path("master").asBoolean())
                    .hasSize(1);
            assertThat(item("gift-set").path("bundle").asBoolean()).isTrue();
            assertThat(listingsIn(item("gift-set"), "shop-outlet")).hasSize(1);
            assertThat(item("steel-bottle").path("onHand").asLong()).isEqualTo(120);
            assertThat(listingsIn(item("shared-sku"), "shop-main")).hasSize(3);
            assertThat(listingsIn(item("slim-fit-denim-jacket"), "shop-outlet")).hasSize(1);
        });
    }

    /** design.md §1: two stores sell the jacket, 50 each; 5 sold in one leaves 45 in both. */
    private void aSaleInOneShopReachesTheOtherShop() {
        post(shopify("/shop-outlet/orders"), "{\"lines\":[{\"sku\":\"slim-fit-denim-jacket\",\"quantity\":5}]}");

        eventually(() -> {
            assertThat(shopLevel("shop-main", "slim-fit-denim-jacket")).isEqualTo(45);
            assertThat(item("slim-fit-denim-jacket").path("onHand").asLong()).isEqualTo(45);
        });
    }

    private void theRestartedSandboxShowsWhatTallyKnewAndBooksTheNextSale() {
        assertThat(shopLevel("shop-main", "slim-fit-denim-jacket")).isEqualTo(45);
        assertThat(shopLevel("shop-outlet", "slim-fit-denim-jacket")).isEqualTo(45);
        // The generic channel simulator is re-seeded too (README: the simulators are re-seeded at Tally's levels).
        JsonNode generic = get("http://127.0.0.1:" + channelPort + "/_sandbox/levels");
        assertThat(generic.path("shop-a/slim-fit-denim-jacket").asInt(-1))
                .as("%s", generic)
                .isEqualTo(45);
        assertThat(generic.path("shop-b/slim-fit-denim-jacket").asInt(-1))
                .as("safety stock 2: %s", generic)
                .isEqualTo(43);
        eventually(() ->
                assertThat(listingsIn(item("grey-md-tshirt"), "shop-main")).hasSize(4));
        // Start-up work first: the start-up recovery submits every pending event at once, so a level change arriving
        // meanwhile would skip its settle window (then be corrected). Its timer fires before the catalog import's.
        eventually(() -> assertThat(startupImports("shop-outlet")).isEqualTo(2));

        // The first order after a restart must not reuse an order id Tally booked before it.
        post(shopify("/shop-outlet/orders"), "{\"lines\":[{\"sku\":\"slim-fit-denim-jacket\",\"quantity\":2}]}");
        eventually(() -> {
            assertThat(shopLevel("shop-main", "slim-fit-denim-jacket")).isEqualTo(43);
            assertThat(item("slim-fit-denim-jacket").path("onHand").asLong()).isEqualTo(43);
        });
        // Shopify's own level changes wait tally.ledger.observation-settle-ms before they are judged: let them.
        eventually(() -> assertThat(get("http://127.0.0.1:" + hubPort + "/api/ledger")
                        .path("inbox")
                        .path("pending")
                        .asLong())
                .isZero());
        JsonNode ledger = get("http://127.0.0.1:" + hubPort + "/api/items/slim-fit-denim-jacket/ledger?limit=100");
        List<String> kinds = new ArrayList<>();
        ledger.forEach(entry -> kinds.add(entry.path("kind").asText()));
        assertThat(kinds)
                .as("no level was booked as a stock change: %s", ledger)
                .containsExactly("sale", "sale", "count");
    }

    /** The sandbox on new free ports each time (the previous run's may linger) and the test's data folder. */
    private ConfigurableApplicationContext start() {
        shopifyPort = freePort();
        amazonPort = freePort();
        walmartPort = freePort();
        ConfigurableApplicationContext context = new SpringApplicationBuilder(TallyApplication.class)
                .profiles("sandbox")
                .run(
                        "--server.port=0",
                        "--management.server.port=0",
                        "--tally.embedded-db.data-dir=" + dataDir,
                        "--tally.admin-token=" + TOKEN,
                        "--tally.sandbox.channel-port=" + (channelPort = freePort()),
                        "--tally.sandbox.shopify-port=" + shopifyPort,
                        "--tally.sandbox.amazon-port=" + amazonPort,
                        "--tally.sandbox.walmart-port=" + walmartPort);
        hubPort = ((WebServerApplicationContext) context).getWebServer().getPort();
        return context;
    }

    // ------------------------------------------------------------------ helpers

    private String shopify(String path) {
        return "http://127.0.0.1:" + shopifyPort + "/_sandbox/shopify" + path;
    }

    private long shopLevel(String shop, String sku) {
        return get(shopify("/" + shop + "/variants/" + sku + "/available"))
                .path("available")
                .asLong();
    }

    private long startupImports(String store) {
        long finished = 0;
        for (JsonNode run : get("http://127.0.0.1:" + hubPort + "/api/reconciliations?store=" + store)
                .path("runs")) {
            if (run.path("trigger").asText().equals("startup")
                    && !run.path("finishedAt").isNull()) {
                finished++;
            }
        }
        return finished;
    }

    private JsonNode item(String key) {
        return get("http://127.0.0.1:" + hubPort + "/api/items/" + key);
    }

    private static List<JsonNode> listingsIn(JsonNode item, String store) {
        List<JsonNode> found = new ArrayList<>();
        item.path("listings").forEach(l -> {
            if (store.equals(l.path("store").asText())) {
                found.add(l);
            }
        });
        return found;
    }

    private JsonNode get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    private JsonNode post(String url, String body) {
        return send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private JsonNode send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(
                    request.header("Authorization", "Bearer " + TOKEN)
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode())
                    .as("%s: %s", response.uri(), response.body())
                    .isBetween(200, 299);
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void eventually(ThrowingRunnable assertion) {
        await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .untilAsserted(assertion);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path freshDataDir() {
        try {
            Path root = Files.createDirectories(Path.of("target", "test-data").toAbsolutePath());
            return Files.createTempDirectory(root, "sandbox-").resolve("pg");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
