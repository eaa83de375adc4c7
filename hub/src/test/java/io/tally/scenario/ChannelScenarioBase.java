package io.tally.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * What the end-to-end tests against channel simulators share: the hub's settings for fast tests, its admin client,
 * waiting for an outcome, and checking that on-hand stays put (nothing booked a second time) with the item's ledger
 * in the failure message.
 */
abstract class ChannelScenarioBase {

    static final String TOKEN = "channel-scenario-token";
    static final Duration WAIT = Duration.ofSeconds(45);
    static final long SETTLE_MS = 600;

    @LocalServerPort
    int port;

    TallyClient api;

    /** How long on-hand must stay unchanged: long enough for every re-read (polls, settle windows) to have happened. */
    abstract Duration quietWindow();

    @BeforeEach
    void connectHub() {
        api = new TallyClient("http://127.0.0.1:" + port, TOKEN);
    }

    /** Embedded PostgreSQL in a fresh folder, short settle windows, quick retries and sweeps, no scheduled reconcile. */
    static void hubDefaults(DynamicPropertyRegistry r, String dataDirPrefix, int maxPushRetries) {
        String dataDir = ScenarioBase.freshDataDir(dataDirPrefix).toString();
        r.add("tally.embedded-db.data-dir", () -> dataDir);
        r.add("tally.admin-token", () -> TOKEN);
        r.add("tally.ledger.observation-settle-ms", () -> String.valueOf(SETTLE_MS));
        r.add("tally.push.max-retries", () -> String.valueOf(maxPushRetries));
        r.add("tally.push.initial-backoff-ms", () -> "200");
        r.add("tally.push.max-backoff-ms", () -> "2000");
        r.add("tally.push.sweep-interval-ms", () -> "5000");
        r.add("tally.reconcile.interval-ms", () -> "3600000");
    }

    static void eventually(ThrowingRunnable assertion) {
        await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptions()
                .untilAsserted(assertion);
    }

    static void stays(Duration d, ThrowingRunnable assertion) {
        await().during(d)
                .atMost(d.plusSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(assertion);
    }

    void awaitOnHand(String key, long expected) {
        eventually(() -> assertThat(api.onHand(key))
                .as(() -> "onHand of " + key + "; ledger " + api.ledger(key))
                .isEqualTo(expected));
    }

    /** Nothing more changes for the quiet window and the ledger sums to on-hand. */
    void staysOnHand(String key, long expected) {
        stays(
                quietWindow(),
                () -> assertThat(api.onHand(key))
                        .as(() -> "onHand of " + key + "; ledger " + api.ledger(key))
                        .isEqualTo(expected));
        assertThat(api.ledgerSum(key)).as("ledger of %s sums to onHand", key).isEqualTo(expected);
    }

    long sumLedger(String key, String kind) {
        return api.ledgerSum(key, kind);
    }
}
