package io.tally.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tally.TallyApplication;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The sandbox as a user starts it (profile {@code sandbox}, config/application-sandbox.yaml), on free ports and a fresh
 * data folder so it runs beside a real sandbox: the simulators answer on their merchant URLs, the examples are seeded
 * and linked, and a sale in one simulated Shopify shop reaches the other shop. Everything goes over HTTP, like the
 * walkthrough's curl commands.
 */
@SpringBootTest(classes = TallyApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("sandbox")
class SandboxRunTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String TOKEN = "sandbox-test-token";
    private static final int CHANNEL_PORT = freePort();
    private static final int SHOPIFY_PORT = freePort();
    private static final int AMAZON_PORT = freePort();
    private static final int WALMART_PORT = freePort();

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void sandboxBesideTheRealOne(DynamicPropertyRegistry r) {
        String dataDir = freshDataDir();
        r.add("tally.embedded-db.data-dir", () -> dataDir);
        r.add("tally.admin-token", () -> TOKEN);
        r.add("tally.sandbox.channel-port", () -> CHANNEL_PORT);
        r.add("tally.sandbox.shopify-port", () -> SHOPIFY_PORT);
        r.add("tally.sandbox.amazon-port", () -> AMAZON_PORT);
        r.add("tally.sandbox.walmart-port", () -> WALMART_PORT);
        r.add("management.server.port", () -> "0");
        // A level change waits this long for the order that caused it; the default 3 s only slows the test down.
        r.add("tally.ledger.observation-settle-ms", () -> "500");
    }

    @Test
    void simulatorsAnswerAndTheExamplesAreLinked() {
        List<String> shops = new ArrayList<>();
        get(shopify("")).forEach(shop -> shops.add(shop.path("name").asText()));
        assertThat(shops).containsExactly("shop-main", "shop-outlet");
        assertThat(get(shopify("/shop-main/products"))).hasSize(13);
        assertThat(get("http://127.0.0.1:" + AMAZON_PORT + "/_sandbox/amazon/listings/steel-bottle")
                .path("quantity").isInt()).isTrue();
        assertThat(get("http://127.0.0.1:" + WALMART_PORT + "/_sandbox/walmart/items/steel-bottle")
                .path("quantity").isInt()).isTrue();

        eventually(() -> {
            JsonNode tshirt = item("grey-md-tshirt");
            assertThat(tshirt.path("onHand").asLong()).isEqualTo(3000);
            assertThat(listingsIn(tshirt, "shop-main")).hasSize(4)
                    .filteredOn(l -> l.path("master").asBoolean()).hasSize(1);
            assertThat(item("gift-set").path("bundle").asBoolean()).isTrue();
            assertThat(listingsIn(item("gift-set"), "shop-outlet")).hasSize(1);
            assertThat(item("steel-bottle").path("onHand").asLong()).isEqualTo(120);
            assertThat(listingsIn(item("shared-sku"), "shop-main")).hasSize(3);
        });
    }

    /** design.md §1: two stores sell the jacket, 50 each; 5 sold in one leaves 45 in both. */
    @Test
    void aSaleInOneShopReachesTheOtherShop() {
        eventually(() -> assertThat(listingsIn(item("slim-fit-denim-jacket"), "shop-outlet")).hasSize(1));

        post(shopify("/shop-outlet/orders"), "{\"lines\":[{\"sku\":\"slim-fit-denim-jacket\",\"quantity\":5}]}");

        eventually(() -> {
            assertThat(get(shopify("/shop-main/variants/slim-fit-denim-jacket/available")).path("available").asLong())
                    .isEqualTo(45);
            assertThat(item("slim-fit-denim-jacket").path("onHand").asLong()).isEqualTo(45);
        });
    }

    // ------------------------------------------------------------------ helpers

    private static String shopify(String path) {
        return "http://127.0.0.1:" + SHOPIFY_PORT + "/_sandbox/shopify" + path;
    }

    private JsonNode item(String key) {
        return get("http://127.0.0.1:" + port + "/api/items/" + key);
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
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private JsonNode send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.header("Authorization", "Bearer " + TOKEN)
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("%s: %s", response.uri(), response.body()).isBetween(200, 299);
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void eventually(ThrowingRunnable assertion) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).ignoreExceptions().untilAsserted(assertion);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String freshDataDir() {
        try {
            Path root = Files.createDirectories(Path.of("target", "test-data").toAbsolutePath());
            return Files.createTempDirectory(root, "sandbox-").resolve("pg").toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
