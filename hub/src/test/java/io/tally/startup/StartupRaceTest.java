package io.tally.startup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tally.TallyApplication;
import java.io.IOException;
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
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Issue 17, defect 1: Tomcat takes connections seconds before Camel runs. Hammering the port from the first moment it
 * accepts until the hub is ready, every answer is either 503 with Retry-After (problem+json, nothing done) or the
 * right answer; never a 404 or a 500, no listing stored by a request that was refused, and the readiness probe
 * never says UP while requests are still refused.
 */
class StartupRaceTest {

    private static final String TOKEN = "race-token";
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    private final ObjectMapper json = new ObjectMapper();

    record Answer(
            String kind, String key, long sentAt, int status, String retryAfter, String contentType, String body) {}

    @Test
    void everyAnswerDuringStartIsA503WithRetryAfterOrTheRightAnswer() throws Exception {
        int port = freePort();
        int managementPort = freePort();
        Path dataDir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-data")), "race-")
                .resolve("pg")
                .toAbsolutePath();
        CompletableFuture<ConfigurableApplicationContext> hub =
                CompletableFuture.supplyAsync(() -> new SpringApplicationBuilder(TallyApplication.class)
                        .run(
                                "--server.port=" + port,
                                "--management.server.port=" + managementPort,
                                "--tally.embedded-db.data-dir=" + dataDir,
                                "--tally.admin-token=" + TOKEN,
                                "--tally.stores.race.channel=http",
                                "--tally.stores.race.role=peer",
                                "--tally.stores.race.push-url=http://127.0.0.1:9/push"));
        List<Answer> answers = new ArrayList<>();
        List<Long> readyAt = new ArrayList<>();
        int afterReady = 0;
        for (int n = 0; afterReady < 10; n++) {
            if (hub.isDone()) {
                afterReady++;
            }
            Answer event = send(
                    "event",
                    "race-" + n,
                    HttpRequest.newBuilder(uri(port, "/api/events"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"race-" + n + "\",\"store\":\"race\","
                                    + "\"type\":\"sale\",\"ref\":\"race-ref\",\"quantity\":1,\"orderId\":\"race-o" + n
                                    + "\"}")));
            Answer listing = send(
                    "listing",
                    "race-ref-" + n,
                    HttpRequest.newBuilder(uri(port, "/api/listings/race/race-ref-" + n))
                            .header("Content-Type", "application/json")
                            .PUT(HttpRequest.BodyPublishers.ofString("{\"sku\":\"race-sku-" + n + "\",\"level\":5}")));
            Answer readiness = send(
                    "readiness",
                    "",
                    HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + managementPort + "/actuator/health/readiness"))
                            .GET());
            for (Answer a : new Answer[] {event, listing}) {
                if (a != null) {
                    answers.add(a);
                }
            }
            if (readiness != null && readiness.status() == 200) {
                readyAt.add(System.nanoTime());
            }
            if (event == null && listing == null) {
                Thread.sleep(20); // the port does not accept yet
            }
        }
        try (ConfigurableApplicationContext started = hub.get(5, TimeUnit.SECONDS)) {
            for (Answer a : answers) {
                int right = a.kind().equals("event") ? 202 : 200;
                assertThat(a.status()).as("%s", a).isIn(503, right);
                if (a.status() == 503) {
                    assertThat(a.retryAfter()).as("Retry-After of %s", a).isNotBlank();
                    assertThat(a.contentType()).as("%s", a).startsWith("application/problem+json");
                    assertThat(json.readTree(a.body()).path("status").asInt())
                            .as("%s", a)
                            .isEqualTo(503);
                }
            }
            List<Answer> refused =
                    answers.stream().filter(a -> a.status() == 503).toList();
            assertThat(refused)
                    .as("requests answered before the hub was ready (the window this test is about)")
                    .isNotEmpty();
            assertThat(readyAt).as("readiness said UP in the end").isNotEmpty();
            long firstUp = readyAt.get(0);
            assertThat(refused).as("no request refused after readiness said UP").allMatch(a -> a.sentAt() < firstUp);

            // Nothing half done: a refused listing was not stored, an accepted one was; a refused event is new.
            Set<String> stored = new java.util.HashSet<>();
            for (JsonNode l : json.readTree(send(
                            "list",
                            "",
                            HttpRequest.newBuilder(uri(port, "/api/listings?store=race"))
                                    .GET())
                    .body())) {
                stored.add(l.path("ref").asText());
            }
            Set<String> refusedListings = refused.stream()
                    .filter(a -> a.kind().equals("listing"))
                    .map(Answer::key)
                    .collect(Collectors.toSet());
            Set<String> acceptedListings = answers.stream()
                    .filter(a -> a.kind().equals("listing"))
                    .filter(a -> a.status() == 200)
                    .map(Answer::key)
                    .collect(Collectors.toSet());
            assertThat(stored)
                    .as("listings stored")
                    .doesNotContainAnyElementsOf(refusedListings)
                    .containsAll(acceptedListings);
            for (Answer a : answers) {
                if (a.kind().equals("event")) {
                    String n = a.key().substring("race-".length());
                    Answer again = send(
                            "event",
                            a.key(),
                            HttpRequest.newBuilder(uri(port, "/api/events"))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"" + a.key() + "\",\"store\":"
                                            + "\"race\",\"type\":\"sale\",\"ref\":\"race-ref\",\"quantity\":1,"
                                            + "\"orderId\":\"race-o" + n + "\"}")));
                    assertThat(again.status())
                            .as("event %s sent again after %s", a.key(), a)
                            .isEqualTo(a.status() == 503 ? 202 : 200);
                }
            }
        }
    }

    private Answer send(String kind, String key, HttpRequest.Builder request) {
        long sentAt = System.nanoTime();
        try {
            HttpResponse<String> r = http.send(
                    request.header("Authorization", "Bearer " + TOKEN)
                            .timeout(Duration.ofSeconds(30))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(
                    kind,
                    key,
                    sentAt,
                    r.statusCode(),
                    r.headers().firstValue("Retry-After").orElse(null),
                    r.headers().firstValue("Content-Type").orElse(""),
                    r.body());
        } catch (IOException e) {
            return null; // not accepting connections yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static URI uri(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
