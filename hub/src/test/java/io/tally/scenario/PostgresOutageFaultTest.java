package io.tally.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tally.TallyApplication;
import io.tally.sandbox.GenericChannelSimulator;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Issue 17 fault test: PostgreSQL is killed hard (SIGKILL of the postmaster) for 10 s under load while the hub keeps
 * running, then started again on the same data and port. Every event answered 202 is booked exactly once, nothing is
 * rejected for the outage, the ledger sums to on-hand, every listing ends on target, and health goes DOWN during the
 * outage and back UP by itself.
 */
class PostgresOutageFaultTest {

    private static final String TOKEN = "pg-outage-token";
    private static final Duration OUTAGE = Duration.ofSeconds(10);

    @Test
    void aTenSecondPostgresOutageUnderLoadLosesAndDoublesNothing() throws Exception {
        Path dataDir = ScenarioBase.freshDataDir("pg-outage");
        try (GenericChannelSimulator sim = new GenericChannelSimulator().start();
                KillablePostgres postgres = new KillablePostgres(dataDir);
                ConfigurableApplicationContext hub = start(postgres, sim)) {
            int port = ((WebServerApplicationContext) hub).getWebServer().getPort();
            int managementPort = Integer.parseInt(hub.getEnvironment().getProperty("local.management.port"));
            TallyClient api = new TallyClient("http://127.0.0.1:" + port, TOKEN);
            FaultLoad load = new FaultLoad(api, sim, "pgo", 6);
            load.declareItems();
            load.pollHealth(() -> managementPort);
            load.startSenders(6);

            FaultLoad.sleep(3000);
            long killedAt = System.nanoTime();
            postgres.kill();
            FaultLoad.sleep(OUTAGE.toMillis());
            long restartAt = System.nanoTime();
            postgres.restart();
            long restartedAt = System.nanoTime();
            FaultLoad.sleep(3000);
            load.stopSenders();
            long stoppedAt = System.nanoTime();

            // Health first (its figures are printed even when the books are wrong), then the books.
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> load.firstHealth("UP", restartedAt) > 0);
            long down = load.firstHealth("DOWN", killedAt);
            long upAgain = load.firstHealth("UP", restartedAt);
            System.out.printf(
                    "PostgresOutageFaultTest: %d events acknowledged (%d while PostgreSQL was down or"
                            + " restarting), %d answers 5xx and %d without connection retried; health DOWN %d ms after"
                            + " the kill, UP %d ms after PostgreSQL was back (restart took %d ms)%n",
                    load.acknowledged.size(),
                    load.acknowledgedBetween(killedAt, restartedAt),
                    load.serverErrors.get(),
                    load.noConnection.get(),
                    ms(down - killedAt),
                    ms(upAgain - restartedAt),
                    ms(restartedAt - restartAt));
            System.out.println(
                    "PostgresOutageFaultTest: health over time (ms from the kill): " + load.healthChanges(killedAt));
            // The defect: health said UP (db UP) one second into the outage. A probe that gets no answer in time (ERR)
            // fails like DOWN does; UP must not be seen again until PostgreSQL is back.
            assertThat(load.health.stream()
                            .filter(h -> h.atNanos() > killedAt + 1_000_000_000L && h.atNanos() < restartAt)
                            .map(FaultLoad.HealthSample::status)
                            .toList())
                    .as("health from 1 s into the outage until the restart")
                    .isNotEmpty()
                    .doesNotContain("UP");
            assertThat(down)
                    .as("health went DOWN during the outage")
                    .isPositive()
                    .isLessThan(restartAt);
            assertThat(upAgain).as("health came back UP by itself").isPositive();

            load.assertEverythingBookedOnce(Duration.ofSeconds(30));
            System.out.printf(
                    "PostgresOutageFaultTest: everything booked and on target %d ms after the senders" + " stopped%n",
                    ms(System.nanoTime() - stoppedAt));
            load.stopHealth();
            // The load ran across the outage: events were acknowledged before the kill and after the restart.
            assertThat(load.acknowledgedBetween(0, killedAt))
                    .as("acknowledged before the kill")
                    .isGreaterThan(10);
            assertThat(load.acknowledgedBetween(restartedAt, Long.MAX_VALUE))
                    .as("acknowledged after the restart")
                    .isPositive();
        }
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    private static ConfigurableApplicationContext start(KillablePostgres postgres, GenericChannelSimulator sim) {
        return new SpringApplicationBuilder(TallyApplication.class)
                .run(
                        "--server.port=0",
                        "--management.server.port=0",
                        "--spring.datasource.url=" + postgres.jdbcUrl(),
                        "--spring.datasource.username=postgres",
                        "--spring.datasource.password=",
                        "--tally.admin-token=" + TOKEN,
                        "--tally.ledger.recovery-interval-ms=2000",
                        "--tally.push.initial-backoff-ms=100",
                        "--tally.push.max-backoff-ms=1000",
                        "--tally.push.sweep-interval-ms=2000",
                        "--tally.stores.f1.channel=http",
                        "--tally.stores.f1.role=peer",
                        "--tally.stores.f1.push-url=" + sim.url("/push"),
                        "--tally.stores.f2.channel=http",
                        "--tally.stores.f2.role=peer",
                        "--tally.stores.f2.push-url=" + sim.url("/push"));
    }
}
