package io.tally.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tally.TallyApplication;
import io.tally.sandbox.GenericChannelSimulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
        Process hub = null;
        try (GenericChannelSimulator sim = new GenericChannelSimulator().start();
                KillablePostgres postgres = new KillablePostgres(dataDir)) {
            long started = System.nanoTime();
            hub = startHub(postgres, sim, port, managementPort, dataDir.resolveSibling("hub-1.log"));
            awaitUp(hub, managementPort, dataDir.resolveSibling("hub-1.log"));
            long firstUp = System.nanoTime();
            TallyClient api = new TallyClient("http://127.0.0.1:" + port, TOKEN);
            FaultLoad load = new FaultLoad(api, sim, "hcr", 6);
            load.declareItems();
            load.startSenders(6);

            FaultLoad.sleep(3000);
            long killedAt = System.nanoTime();
            hub.destroyForcibly(); // SIGKILL: no shutdown hook, nothing drained
            assertThat(hub.waitFor(10, TimeUnit.SECONDS)).isTrue();
            long ackedBeforeKill = load.acknowledged.size();
            hub = startHub(postgres, sim, port, managementPort, dataDir.resolveSibling("hub-2.log"));
            awaitUp(hub, managementPort, dataDir.resolveSibling("hub-2.log"));
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
                hub.destroyForcibly();
                hub.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** The hub as production runs it: its own JVM, from the project folder (config/, routes/), on fixed ports. */
    private static Process startHub(
            KillablePostgres postgres, GenericChannelSimulator sim, int port, int managementPort, Path log)
            throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-Xmx512m",
                "-cp",
                classpath,
                TallyApplication.class.getName(),
                "--server.port=" + port,
                "--management.server.port=" + managementPort,
                "--spring.datasource.url=" + postgres.jdbcUrl(),
                "--spring.datasource.username=postgres",
                "--spring.datasource.password=",
                "--tally.admin-token=" + TOKEN,
                "--tally.ledger.recovery-interval-ms=2000",
                "--tally.push.initial-backoff-ms=100",
                "--tally.push.max-backoff-ms=1000",
                "--tally.push.sweep-interval-ms=2000",
                "--tally.reconcile.interval-ms=3600000"));
        for (String store : FaultLoad.STORES) {
            command.add("--tally.stores." + store + ".channel=http");
            command.add("--tally.stores." + store + ".role=peer");
            command.add("--tally.stores." + store + ".push-url=" + sim.url("/push"));
        }
        return new ProcessBuilder(command)
                .directory(Path.of("").toAbsolutePath().toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    private static void awaitUp(Process hub, int managementPort, Path log) {
        try {
            await().atMost(Duration.ofSeconds(360))
                    .pollInterval(Duration.ofMillis(250))
                    .ignoreExceptions()
                    .untilAsserted(() -> {
                        assertThat(hub.isAlive()).as("hub process alive").isTrue();
                        TallyClient probe = new TallyClient("http://127.0.0.1:" + managementPort, null);
                        assertThat(probe.get("/actuator/health").status()).isEqualTo(200);
                    });
        } catch (AssertionError e) {
            try {
                List<String> lines = Files.readAllLines(log);
                System.out.println("HubCrashFaultTest: hub log tail\n"
                        + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size())));
            } catch (IOException io) {
                throw new UncheckedIOException(io);
            }
            throw e;
        }
    }
}
