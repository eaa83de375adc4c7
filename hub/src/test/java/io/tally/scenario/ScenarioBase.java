package io.tally.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.TallyApplication;
import io.tally.sandbox.GenericChannelSimulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.awaitility.core.ConditionFactory;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One Spring context (one store configuration) shared by the scenario test classes: real embedded
 * PostgreSQL in a fresh directory, real HTTP on loopback, generic {@code http} stores pushing to
 * {@link #SIM} (and the {@code flaky} store to {@link #FAULT_SIM}). Tests use distinct SKUs.
 */
@SpringBootTest(classes = TallyApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class ScenarioBase {

    static final String TOKEN = "scenario-admin-token";

    /** Far end of every http store except {@code flaky}. */
    static final GenericChannelSimulator SIM = new GenericChannelSimulator().start();
    /** Far end of the {@code flaky} store, for fault injection. */
    static final GenericChannelSimulator FAULT_SIM = new GenericChannelSimulator().start();

    /** The operator's alert endpoint (tally.alerts.url). */
    static final AlertReceiver ALERTS = new AlertReceiver();

    static final String ALERTS_TOKEN = "scenario-alerts-token";

    static final Duration WAIT = Duration.ofSeconds(20);

    @DynamicPropertySource
    static void tallyProperties(DynamicPropertyRegistry r) {
        Path dataDir = freshDataDir("scenario");
        r.add("tally.embedded-db.data-dir", dataDir::toString);
        r.add("tally.admin-token", () -> TOKEN);
        r.add("tally.push.max-retries", () -> "3");
        r.add("tally.push.initial-backoff-ms", () -> "100");
        r.add("tally.push.max-backoff-ms", () -> "1000");
        r.add("tally.push.timeout-ms", () -> "1000");
        r.add("tally.push.sweep-interval-ms", () -> "60000");
        r.add("tally.alerts.url", ALERTS::url);
        r.add("tally.alerts.token", () -> ALERTS_TOKEN);
        r.add("tally.alerts.interval-ms", () -> "500");
        r.add("tally.alerts.reconciliation-corrections", () -> "2");

        store(r, "main", Map.of("max-pushes-per-second", "200"));
        store(r, "bc", Map.of("match-by", "barcode"));
        store(r, "hnd-a", Map.of("match-by", "handle"));
        store(r, "hnd-b", Map.of("match-by", "handle"));
        store(r, "src", Map.of("role", "source"));
        store(r, "dst-ignore", Map.of("role", "destination"));
        store(r, "dst-revert", Map.of("role", "destination", "adjustments", "revert"));
        store(r, "dst-apply", Map.of("role", "destination", "adjustments", "apply"));
        store(r, "early", Map.of("book-on", "created"));
        store(r, "ret", Map.of("restock-on", "return"));
        store(r, "capped", Map.of("safety-stock", "3", "max-available", "40", "share-percent", "50"));
        store(r, "flaky", Map.of("max-pushes-per-second", "50", "push-url", FAULT_SIM.url("/push")));
        for (String s : new String[] {"inv-a", "inv-b", "inv-c"}) {
            store(r, s, Map.of("max-pushes-per-second", "1000"));
        }
    }

    private static void store(DynamicPropertyRegistry r, String id, Map<String, String> extra) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("channel", "http");
        p.put("role", "peer");
        p.put("push-url", SIM.url("/push"));
        p.putAll(extra);
        p.forEach((k, v) -> r.add("tally.stores." + id + "." + k, () -> v));
    }

    /** A new, not yet existing directory under target/test-data for an embedded PostgreSQL. */
    static Path freshDataDir(String prefix) {
        try {
            Path root = Path.of("target", "test-data").toAbsolutePath();
            Files.createDirectories(root);
            return Files.createTempDirectory(root, prefix + "-").resolve("pg");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @LocalServerPort
    int port;

    TallyClient api;

    @BeforeEach
    void client() {
        api = new TallyClient("http://127.0.0.1:" + port, TOKEN);
    }

    // ------------------------------------------------------------------ helpers

    static ConditionFactory waiting() {
        return await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).ignoreExceptions();
    }

    static void eventually(ThrowingRunnable assertion) {
        waiting().untilAsserted(assertion);
    }

    /** Asserts that the condition holds continuously for {@code d} (negative checks). */
    static void stays(Duration d, ThrowingRunnable assertion) {
        await().during(d)
                .atMost(d.plusSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(assertion);
    }

    /**
     * The ledger has dealt with every event accepted so far: none is pending any more (each is applied, waiting for
     * its sale, parked or rejected). Between the ledger and these stores nothing else moves on-hand, so after this
     * signal "that event changed nothing" is a plain assertion, with no quiet window to sit out.
     */
    void awaitLedgerCaughtUp() {
        eventually(() -> assertThat(api.events("pending"))
                .as("events the ledger has not applied yet")
                .isEmpty());
    }

    static Map<String, Object> fields(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    JsonNode declare(String store, String ref, Object... kv) {
        return api.declare(store, ref, fields(kv));
    }

    void awaitOnHand(String key, long expected) {
        eventually(() -> assertThat(api.onHand(key)).as("onHand of %s", key).isEqualTo(expected));
    }

    /** The listing's target is {@code level}, it was pushed (lastPushed, in_sync) and the channel shows it. */
    void awaitPushed(String store, String ref, long level) {
        awaitPushed(SIM, store, ref, level);
    }

    void awaitPushed(GenericChannelSimulator sim, String store, String ref, long level) {
        eventually(() -> {
            JsonNode l = api.listing(store, ref);
            assertThat(l).as("listing %s/%s", store, ref).isNotNull();
            assertThat(l.path("target").asLong())
                    .as("target of %s/%s: %s", store, ref, l)
                    .isEqualTo(level);
            assertThat(
                            l.path("lastPushed").isNull()
                                    ? null
                                    : l.path("lastPushed").asLong())
                    .as("lastPushed of %s/%s: %s", store, ref, l)
                    .isEqualTo(level);
            assertThat(l.path("state").asText())
                    .as("state of %s/%s: %s", store, ref, l)
                    .isEqualTo("in_sync");
            assertThat(sim.level(store, ref))
                    .as("channel level of %s/%s", store, ref)
                    .isEqualTo((int) level);
        });
    }

    /** The listing's target (no statement about pushes). */
    void awaitTarget(String store, String ref, long target) {
        eventually(() -> {
            JsonNode l = api.listing(store, ref);
            assertThat(l).as("listing %s/%s", store, ref).isNotNull();
            assertThat(l.path("target").asLong())
                    .as("target of %s/%s: %s", store, ref, l)
                    .isEqualTo(target);
        });
    }

    void assertLedgerConsistent(String key) {
        assertThat(api.ledgerSum(key)).as("ledger of %s sums to onHand", key).isEqualTo(api.onHand(key));
    }

    long countLedger(String key, String kind) {
        long n = 0;
        for (JsonNode e : api.ledger(key)) {
            if (kind.equals(e.path("kind").asText())) {
                n++;
            }
        }
        return n;
    }

    long sumLedger(String key, String kind) {
        return api.ledgerSum(key, kind);
    }
}
