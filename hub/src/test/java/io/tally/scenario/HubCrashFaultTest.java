package io.tally.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.sandbox.GenericChannelSimulator;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 17 fault test: the hub, a JVM of its own, is killed with SIGKILL under load and started again on the same
 * database (a PostgreSQL the test owns). Senders retry what was not answered with the same event id. Every acknowledged
 * event is booked exactly once, the ledger sums to on-hand and every listing ends on target.
 */
class HubCrashFaultTest {

    private static final String TOKEN = "hub-crash-token";

    @Test
    void aHubKilledUnderLoadAndRestartedOnTheSameDatabaseLosesAndDoublesNothing() throws Exception {
        Path dataDir = ScenarioBase.freshDataDir("hub-crash");
        int port = KillablePostgres.freePort();
        int managementPort = KillablePostgres.freePort();
        HubProcess hub = null;
        try (GenericChannelSimulator sim = new GenericChannelSimulator().start();
                KillablePostgres postgres = new KillablePostgres(dataDir)) {
            long started = System.nanoTime();
            hub = startHub(postgres, sim, port, managementPort, dataDir.resolveSibling("hub-1.log"));
            hub.awaitUp();
            long firstUp = System.nanoTime();
            TallyClient api = new TallyClient("http://127.0.0.1:" + port, TOKEN);
            FaultLoad load = new FaultLoad(api, sim, "hcr", 6);
            load.declareItems();
            load.startSenders(6);

            FaultLoad.sleep(3000);
            long killedAt = System.nanoTime();
            hub.kill(); // SIGKILL: no shutdown hook, nothing drained
            long ackedBeforeKill = load.acknowledged.size();
            hub = startHub(postgres, sim, port, managementPort, dataDir.resolveSibling("hub-2.log"));
            hub.awaitUp();
            long upAgain = System.nanoTime();
            FaultLoad.sleep(2000);
            load.stopSenders();
            long stoppedAt = System.nanoTime();

            load.assertEverythingBookedOnce(Duration.ofSeconds(30));
            System.out.printf(
                    "HubCrashFaultTest: %d events acknowledged (%d before the kill -9, %d while the hub was"
                            + " down or starting), %d answers 5xx, %d without connection and %d 404 of a starting hub retried; first start %d ms,"
                            + " restart after the kill %d ms; everything booked %d ms after the senders stopped%n",
                    load.acknowledged.size(),
                    ackedBeforeKill,
                    load.acknowledgedBetween(killedAt, upAgain),
                    load.serverErrors.get(),
                    load.noConnection.get(),
                    load.startingAnswers.get(),
                    (firstUp - started) / 1_000_000,
                    (upAgain - killedAt) / 1_000_000,
                    (System.nanoTime() - stoppedAt) / 1_000_000);
            assertThat(ackedBeforeKill).as("load before the kill").isGreaterThan(5);
            assertThat(load.acknowledgedBetween(upAgain, Long.MAX_VALUE))
                    .as("load after the restart")
                    .isPositive();
        } finally {
            if (hub != null) {
                hub.close();
            }
        }
    }

    private static HubProcess startHub(
            KillablePostgres postgres, GenericChannelSimulator sim, int port, int managementPort, Path log)
            throws IOException {
        List<String> args = new ArrayList<>(List.of(
                "--tally.ledger.recovery-interval-ms=2000",
                "--tally.push.initial-backoff-ms=100",
                "--tally.push.max-backoff-ms=1000",
                "--tally.push.sweep-interval-ms=2000",
                "--tally.reconcile.interval-ms=3600000"));
        for (String store : FaultLoad.STORES) {
            args.add("--tally.stores." + store + ".channel=http");
            args.add("--tally.stores." + store + ".role=peer");
            args.add("--tally.stores." + store + ".push-url=" + sim.url("/push"));
        }
        return HubProcess.start(postgres, TOKEN, port, managementPort, log, args);
    }
}
