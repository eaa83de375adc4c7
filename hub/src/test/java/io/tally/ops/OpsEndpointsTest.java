package io.tally.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tally.TallyApplication;
import io.tally.sandbox.GenericChannelSimulator;
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
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The operators' endpoints on the management port, against a real embedded PostgreSQL and a generic channel
 * simulator: health (database, Camel, tally per store), Prometheus metrics, Jolokia (Camel routes readable, writes
 * and other operations refused, login required) and the Hawtio console. Plain {@code @SpringBootTest} with JMX on
 * (style.md G4: {@code @CamelSpringBootTest} would disable it).
 */
@SpringBootTest(
        classes = TallyApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"camel.main.jmx-enabled=true", "management.server.port=0", "tally.ops.cache-ms=0"})
@AutoConfigureObservability(tracing = false) // Spring Boot tests turn metrics export (Prometheus) off otherwise
// Closed after the class: its MBeans and the JVM-wide JAAS login must not outlive it in the other tests' JVM.
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpsEndpointsTest {

    /** Other test contexts in this JVM register their MBeans too: address this one by its management name. */
    @org.springframework.beans.factory.annotation.Autowired
    org.apache.camel.CamelContext camel;

    static final String TOKEN = "ops-admin-token";
    static final String OPS_USER = "ops";
    static final String OPS_PASSWORD = "ops-test-password";
    static final String STORE = "ops-a";
    static final GenericChannelSimulator SIM = new GenericChannelSimulator().start();
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(20);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        Path dataDir = freshDataDir();
        r.add("tally.embedded-db.data-dir", dataDir::toString);
        r.add("tally.admin-token", () -> TOKEN);
        r.add("tally.ops.user", () -> OPS_USER);
        r.add("tally.ops.password", () -> OPS_PASSWORD);
        r.add("tally.push.max-retries", () -> "3");
        r.add("tally.push.initial-backoff-ms", () -> "100");
        r.add("tally.push.max-backoff-ms", () -> "500");
        r.add("tally.push.sweep-interval-ms", () -> "60000");
        r.add("tally.stores." + STORE + ".channel", () -> "http");
        r.add("tally.stores." + STORE + ".role", () -> "peer");
        r.add("tally.stores." + STORE + ".push-url", () -> SIM.url("/push"));
        r.add("tally.stores." + STORE + ".max-pushes-per-second", () -> "100");
    }

    static Path freshDataDir() {
        try {
            Path root = Path.of("target", "test-data").toAbsolutePath();
            Files.createDirectories(root);
            return Files.createTempDirectory(root, "ops-").resolve("pg");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /** One listing on the store (level 10), one sale through the intake, 9 pushed (after one 429). */
    @BeforeAll
    void traffic() {
        assertThat(managementPort).isNotEqualTo(port);
        HttpResponse<String> declared =
                api("PUT", "/api/listings/" + STORE + "/ops-shirt", "{\"sku\":\"ops-shirt\",\"level\":10}");
        assertThat(declared.statusCode()).as(declared.body()).isBetween(200, 299);
        SIM.failNext(1, 429);
        HttpResponse<String> sale = api("POST", "/api/events", """
                {"id":"ops-sale-1","store":"ops-a","type":"sale","ref":"ops-shirt","quantity":1,"orderId":"o1","lineId":"1"}""");
        assertThat(sale.statusCode()).as(sale.body()).isEqualTo(202);
        await().atMost(WAIT)
                .ignoreExceptions()
                .untilAsserted(() -> assertThat(SIM.level(STORE, "ops-shirt")).isEqualTo(9));
    }

    @AfterAll
    void stopSimulator() {
        SIM.stop();
    }

    @Test
    void healthIsUpWithDatabaseCamelAndTallyPerStore() throws Exception {
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
            HttpResponse<String> r = ops("GET", "/actuator/health", null, false);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode health = JSON.readTree(r.body());
            assertThat(health.path("status").asText()).isEqualTo("UP");
            assertThat(health.at("/components/db/status").asText()).isEqualTo("UP");
            assertThat(health.at("/components/camelHealth/status").asText())
                    .as(r.body())
                    .isEqualTo("UP");
            JsonNode tally = health.at("/components/tally");
            assertThat(tally.path("status").asText()).isEqualTo("UP");
            JsonNode store = tally.at("/details/stores/" + STORE);
            assertThat(store.isObject()).as(r.body()).isTrue();
            assertThat(store.path("lastPushAt").isTextual()).as(r.body()).isTrue();
            assertThat(store.path("listingsOutOfSync").asLong()).isZero();
            assertThat(store.path("deadLettersOpen").asLong()).isZero();
            assertThat(store.at("/inbox/pending").asLong()).isZero();
            assertThat(store.at("/inbox/parked").isNumber()).isTrue();
        });
        System.out.println(
                "HEALTH " + ops("GET", "/actuator/health", null, false).body());
    }

    @Test
    void prometheusShowsTallyMetrics() {
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
            HttpResponse<String> r = ops("GET", "/actuator/prometheus", null, false);
            assertThat(r.statusCode()).isEqualTo(200);
            String body = r.body();
            assertThat(body)
                    .contains("tally_events_received_total{application=\"tally\",store=\"ops-a\"} 1.0")
                    .contains("tally_events_applied_total{application=\"tally\",store=\"ops-a\"} 1.0")
                    .contains("tally_inbox_backlog{application=\"tally\",status=\"pending\",store=\"ops-a\"} 0.0")
                    .contains("tally_dead_letters_open{application=\"tally\",store=\"ops-a\"} 0.0")
                    .contains("tally_listings_out_of_sync{application=\"tally\",store=\"ops-a\"} 0.0")
                    .contains("tally_push_last_success_age_seconds{application=\"tally\",store=\"ops-a\"}")
                    .contains("tally_items_oversold{application=\"tally\"} 0.0")
                    .contains("tally_pushes_total{application=\"tally\",channel=\"http\",result=\"confirmed\","
                            + "store=\"ops-a\"} 1.0")
                    .contains("tally_pushes_total{application=\"tally\",channel=\"http\",result=\"throttled\","
                            + "store=\"ops-a\"} 1.0")
                    // every attempt is timed, by result: the refused one and the accepted one
                    .contains("tally_push_duration_seconds_count{application=\"tally\",channel=\"http\","
                            + "result=\"confirmed\",store=\"ops-a\"} 1")
                    .contains("tally_push_duration_seconds_count{application=\"tally\",channel=\"http\","
                            + "result=\"throttled\",store=\"ops-a\"} 1")
                    .contains("routeId=\"push-listing\"")
                    // POST /api/events bypasses Spring MVC (PlatformHttpRouteFilter) but is still counted, by its path
                    .containsPattern("http_server_requests_seconds_count\\{[^}]*method=\"POST\",[^}]*status=\"202\","
                            + "uri=\"/api/events\"\\} 1");
        });
        List<String> sample = new ArrayList<>();
        for (String line :
                ops("GET", "/actuator/prometheus", null, false).body().split("\n")) {
            if (line.startsWith("tally_") && !line.contains("_bucket")) {
                sample.add(line);
            }
        }
        System.out.println("PROMETHEUS\n" + String.join("\n", sample));
    }

    @Test
    void jolokiaListsTheCamelRoutesToTheOpsUserOnly() throws Exception {
        String search = "/actuator/jolokia/search/" + enc("org.apache.camel:type=routes,*");
        assertThat(ops("GET", search, null, false).statusCode()).isIn(401, 403);

        HttpResponse<String> r = ops("GET", search, null, true);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode found = JSON.readTree(r.body());
        assertThat(found.path("status").asInt()).as(r.body()).isEqualTo(200);
        String names = found.path("value").toString();
        for (String route : new String[] {
            "http-events-intake", "ledger-apply", "push-listing", "push-http", "push-dead-letter", "push-sweep"
        }) {
            assertThat(names).contains("name=\\\"" + route + "\\\"");
        }

        // Live counters are readable.
        JsonNode counters = jolokia(
                "{\"type\":\"read\",\"mbean\":\"org.apache.camel:context=" + camel.getManagementName() + ",type=routes,"
                        + "name=\\\"push-http\\\"\",\"attribute\":[\"RouteId\",\"State\",\"ExchangesTotal\"]}");
        assertThat(counters.path("status").asInt()).as(counters.toString()).isEqualTo(200);
        assertThat(counters.at("/value/RouteId").asText()).isEqualTo("push-http");
        assertThat(counters.at("/value/ExchangesTotal").asLong()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void jolokiaRefusesWritesAndOperationsOutsideThePolicy() throws Exception {
        String route = "org.apache.camel:context=" + camel.getManagementName() + ",type=routes,name=\\\"push-sweep\\\"";
        JsonNode write =
                jolokia("{\"type\":\"write\",\"mbean\":\"" + route + "\",\"attribute\":\"Tracing\",\"value\":true}");
        assertThat(write.path("status").asInt()).as(write.toString()).isEqualTo(403);

        JsonNode dump = jolokia("{\"type\":\"exec\",\"mbean\":\"" + route + "\",\"operation\":\"dumpRouteAsXml()\"}");
        assertThat(dump.path("status").asInt()).as(dump.toString()).isEqualTo(403);

        // Hawtio's route diagram may read the definitions as written, never with placeholders resolved.
        String context = "org.apache.camel:context=" + camel.getManagementName() + ",type=context,name=\\\""
                + camel.getName() + "\\\"";
        JsonNode definitions =
                jolokia("{\"type\":\"exec\",\"mbean\":\"" + context + "\",\"operation\":\"dumpRoutesAsXml()\"}");
        assertThat(definitions.path("status").asInt())
                .as(definitions.toString())
                .isEqualTo(200);
        assertThat(definitions.path("value").asText()).contains("push-http");
        JsonNode resolved = jolokia("{\"type\":\"exec\",\"mbean\":\"" + context
                + "\",\"operation\":\"dumpRoutesAsXml(boolean)\",\"arguments\":[true]}");
        assertThat(resolved.path("status").asInt()).as(resolved.toString()).isEqualTo(403);

        JsonNode gc = jolokia("{\"type\":\"exec\",\"mbean\":\"java.lang:type=Memory\",\"operation\":\"gc\"}");
        assertThat(gc.path("status").asInt()).as(gc.toString()).isEqualTo(403);

        // Route lifecycle operations are what operators may do.
        JsonNode suspend = jolokia("{\"type\":\"exec\",\"mbean\":\"" + route + "\",\"operation\":\"suspend()\"}");
        assertThat(suspend.path("status").asInt()).as(suspend.toString()).isEqualTo(200);
        JsonNode resume = jolokia("{\"type\":\"exec\",\"mbean\":\"" + route + "\",\"operation\":\"resume()\"}");
        assertThat(resume.path("status").asInt()).as(resume.toString()).isEqualTo(200);
        JsonNode state = jolokia("{\"type\":\"read\",\"mbean\":\"" + route + "\",\"attribute\":\"State\"}");
        assertThat(state.path("value").asText()).isEqualTo("Started");
    }

    @Test
    void hawtioConsoleAnswersAndChecksTheLogin() throws Exception {
        HttpResponse<String> index = ops("GET", "/actuator/hawtio/index.html", null, false);
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.body()).contains("<base href=\"/actuator/hawtio/\"");

        HttpResponse<String> wrong =
                ops("POST", "/actuator/hawtio/auth/login", "{\"username\":\"ops\",\"password\":\"nope\"}", false);
        assertThat(wrong.statusCode()).isIn(401, 403);
        HttpResponse<String> right = ops(
                "POST",
                "/actuator/hawtio/auth/login",
                "{\"username\":\"" + OPS_USER + "\",\"password\":\"" + OPS_PASSWORD + "\"}",
                false);
        assertThat(right.statusCode()).as(right.body()).isEqualTo(200);
    }

    // ------------------------------------------------------------------ helpers

    JsonNode jolokia(String request) throws IOException {
        HttpResponse<String> r = ops("POST", "/actuator/jolokia", request, true);
        assertThat(r.statusCode()).as(r.body()).isIn(200, 403);
        return JSON.readTree(r.body());
    }

    HttpResponse<String> api(String method, String path, String body) {
        return send("http://127.0.0.1:" + port + path, method, body, "Bearer " + TOKEN);
    }

    HttpResponse<String> ops(String method, String path, String body, boolean login) {
        String auth = login
                ? "Basic "
                        + Base64.getEncoder()
                                .encodeToString((OPS_USER + ":" + OPS_PASSWORD).getBytes(StandardCharsets.UTF_8))
                : null;
        return send("http://127.0.0.1:" + managementPort + path, method, body, auth);
    }

    HttpResponse<String> send(String url, String method, String body, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
