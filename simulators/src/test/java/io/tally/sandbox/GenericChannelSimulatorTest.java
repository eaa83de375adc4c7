package io.tally.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GenericChannelSimulatorTest {

    private GenericChannelSimulator sim;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        sim = new GenericChannelSimulator().start();
    }

    @AfterEach
    void stop() {
        sim.stop();
    }

    private HttpResponse<String> push(String store, String ref, int available, long version) throws Exception {
        return push(
                String.format(
                        "{\"store\":\"%s\",\"ref\":\"%s\",\"sku\":\"s\",\"available\":%d,\"version\":%d}",
                        store, ref, available, version),
                Duration.ofSeconds(5));
    }

    private HttpResponse<String> push(String body, Duration timeout) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(sim.url("/push")))
                        .timeout(timeout)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void recordsPushesAndKeepsTheNewestVersion() throws Exception {
        assertThat(sim.port()).isPositive();
        assertThat(sim.url("push")).isEqualTo("http://127.0.0.1:" + sim.port() + "/push");
        assertThat(push("a", "r1", 10, 1).statusCode()).isEqualTo(200);
        assertThat(push("a", "r1", 8, 3).statusCode()).isEqualTo(200);
        assertThat(push("a", "r1", 9, 2).statusCode()).isEqualTo(200); // stale: acknowledged, not applied
        assertThat(push("b", "r1", 4, 1).statusCode()).isEqualTo(200);
        assertThat(sim.level("a", "r1")).isEqualTo(8);
        assertThat(sim.version("a", "r1")).isEqualTo(3);
        assertThat(sim.level("b", "r1")).isEqualTo(4);
        assertThat(sim.level("a", "nope")).isNull();
        assertThat(sim.pushCount("a", "r1")).isEqualTo(3);
        assertThat(sim.totalPushes()).isEqualTo(4);
        assertThat(sim.requests()).hasSize(4);
        assertThat(sim.requests("a", "r1"))
                .extracting(GenericChannelSimulator.Request::applied)
                .containsExactly(true, true, false);
    }

    @Test
    void rejectsGarbage() throws Exception {
        assertThat(push("{nope", Duration.ofSeconds(5)).statusCode()).isEqualTo(400);
        assertThat(push("{\"store\":\"a\"}", Duration.ofSeconds(5)).statusCode())
                .isEqualTo(400);
        assertThat(sim.totalPushes()).isZero();
        assertThat(sim.requests()).hasSize(2);
    }

    @Test
    void injectsFaults() throws Exception {
        sim.failNext(2, 429);
        HttpResponse<String> r = push("a", "r", 5, 1);
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.headers().firstValue("Retry-After")).contains("1");
        assertThat(push("a", "r", 5, 1).statusCode()).isEqualTo(429);
        assertThat(push("a", "r", 5, 1).statusCode()).isEqualTo(200);
        assertThat(sim.attempts("a", "r")).isEqualTo(3);
        assertThat(sim.pushCount("a", "r")).isEqualTo(1);

        sim.failAlways(500);
        assertThat(push("a", "r", 6, 2).statusCode()).isEqualTo(500);
        assertThat(push("a", "r", 6, 2).statusCode()).isEqualTo(500);
        assertThat(sim.level("a", "r")).isEqualTo(5);
        sim.recover();
        assertThat(push("a", "r", 6, 2).statusCode()).isEqualTo(200);
        assertThat(sim.level("a", "r")).isEqualTo(6);
    }

    @Test
    void delaysAnswers() throws Exception {
        sim.delay(Duration.ofMillis(300));
        long t = System.nanoTime();
        assertThat(push("a", "r", 1, 1).statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - t)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        sim.recover();

        sim.delayNext(1, Duration.ofMillis(1500));
        assertThatThrownBy(() ->
                        push("{\"store\":\"a\",\"ref\":\"r\",\"available\":7,\"version\":2}", Duration.ofMillis(300)))
                .isInstanceOf(HttpTimeoutException.class);
        assertThat(push("a", "r", 7, 2).statusCode()).isEqualTo(200);
        assertThat(sim.level("a", "r")).isEqualTo(7);
        assertThat(sim.attempts("a", "r")).isEqualTo(3);
    }

    @Test
    void isThreadSafe() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> fs = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                int v = i;
                fs.add(pool.submit(() -> push("a", "r" + (v % 4), v, v).statusCode()));
            }
            for (Future<Integer> f : fs) {
                assertThat(f.get()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(sim.totalPushes()).isEqualTo(400);
        for (int k = 0; k < 4; k++) {
            assertThat(sim.level("a", "r" + k)).isEqualTo(396 + k);
        }
    }
}
