package io.tally.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tally.TallyApplication;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Issue 17, defect 2: a second hub started on the data folder of a running hub refuses to start with one clear line,
 * and leaves the running hub's PostgreSQL alone (it used to take it for an orphan and stop it).
 */
class SecondHubOnOneDataDirTest {

    private static final String TOKEN = "second-hub-token";
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    private static ConfigurableApplicationContext start(Path dataDir) {
        return new SpringApplicationBuilder(TallyApplication.class)
                .run(
                        "--server.port=0",
                        "--management.server.port=0",
                        "--tally.embedded-db.data-dir=" + dataDir,
                        "--tally.admin-token=" + TOKEN,
                        "--tally.stores.solo.channel=http",
                        "--tally.stores.solo.role=peer",
                        "--tally.stores.solo.push-url=http://127.0.0.1:9/push");
    }

    @Test
    void aSecondHubOnTheSameFolderRefusesAndTheFirstKeepsItsDatabase() throws Exception {
        Path root = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-data")), "second-hub-");
        Path dataDir = root.resolve("pg").toAbsolutePath();
        try (ConfigurableApplicationContext live = start(dataDir)) {
            long postgresPid = Long.parseLong(
                    Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
            assertThat(Files.readString(DataDirOwnership.lockFileOf(dataDir)))
                    .contains("pid=" + ProcessHandle.current().pid());

            Throwable refused = catchThrowable(() -> start(dataDir).close());

            assertThat(refused).as("the second hub must not start").isNotNull();
            Throwable reason = refused;
            while (!(reason instanceof DataDirInUseException) && reason.getCause() != null) {
                reason = reason.getCause();
            }
            assertThat(reason).isInstanceOf(DataDirInUseException.class);
            assertThat(reason.getMessage())
                    .doesNotContain("\n")
                    .contains(
                            dataDir.toString(),
                            "in use by another running hub",
                            "pid " + ProcessHandle.current().pid(),
                            "stop that hub first");

            assertThat(ProcessHandle.of(postgresPid).map(ProcessHandle::isAlive))
                    .as("the live hub's PostgreSQL")
                    .contains(true);
            int port = ((WebServerApplicationContext) live).getWebServer().getPort();
            String management = live.getEnvironment().getProperty("local.management.port");
            HttpResponse<String> health =
                    send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + management + "/actuator/health"))
                            .GET());
            JsonNode db = json.readTree(health.body()).path("components").path("db");
            assertThat(db.path("status").asText())
                    .as("db health: %s", health.body())
                    .isEqualTo("UP");
            HttpResponse<String> declared = send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/listings/solo/still-writable"))
                            .header("Content-Type", "application/json")
                            .PUT(HttpRequest.BodyPublishers.ofString("{\"sku\":\"second-hub-sku\",\"level\":4}")));
            assertThat(declared.statusCode())
                    .as("the live hub still writes: %s", declared.body())
                    .isEqualTo(200);
        }
        assertThat(DataDirOwnership.lockFileOf(dataDir))
                .as("released at a clean stop")
                .doesNotExist();

        // Its owner gone, the folder is free again: the next hub starts on it and finds the stock.
        try (ConfigurableApplicationContext next = start(dataDir)) {
            int port = ((WebServerApplicationContext) next).getWebServer().getPort();
            HttpResponse<String> item =
                    send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/items/second-hub-sku"))
                            .GET());
            assertThat(item.statusCode()).as(item.body()).isEqualTo(200);
            assertThat(json.readTree(item.body()).path("onHand").asLong()).isEqualTo(4);
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(
                request.header("Authorization", "Bearer " + TOKEN)
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
