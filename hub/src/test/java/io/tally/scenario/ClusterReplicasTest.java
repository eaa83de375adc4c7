package io.tally.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tally.TallyApplication;
import io.tally.sandbox.amazon.AmazonSimulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.api.management.ManagedCamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.junit.jupiter.api.Test;
import org.quartz.Scheduler;
import org.quartz.impl.jdbcjobstore.JobStoreTX;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Issue 13: several hub replicas on one PostgreSQL. Their quartz: jobs share Quartz's clustered JDBC job store, so a
 * job fires on one replica per interval, not on each; when a replica stops, the others go on running its jobs; a
 * restart with another interval reschedules the stored trigger; a ledger pause through one replica pauses them all.
 */
class ClusterReplicasTest {

    private static final String TOKEN = "cluster-token";
    private static final long SWEEP_MS = 1000;

    private static ConfigurableApplicationContext replica(
            KillablePostgres postgres, long sweepIntervalMs, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--management.server.port=0",
                "--spring.datasource.url=" + postgres.jdbcUrl(),
                "--spring.datasource.username=postgres",
                "--spring.datasource.password=",
                // two Spring contexts in one JVM register their MBeans side by side
                "--spring.jmx.unique-names=true",
                "--tally.admin-token=" + TOKEN,
                "--tally.push.sweep-interval-ms=" + sweepIntervalMs,
                "--tally.reconcile.interval-ms=3600000",
                "--tally.stores.c1.channel=http",
                "--tally.stores.c1.role=peer",
                "--tally.stores.c1.push-url=http://127.0.0.1:9/push"));
        args.addAll(List.of(extra));
        return new SpringApplicationBuilder(TallyApplication.class).run(args.toArray(String[]::new));
    }

    @Test
    void theStoredScheduleOfAStoreTakenOutOfTheConfigIsRemovedAtTheNextStart() throws Exception {
        try (AmazonSimulator amazon = new AmazonSimulator()
                        .addSeller("AGONESELLER", "client-g", "secret-g", "Atzr|refresh-g")
                        .start();
                KillablePostgres postgres = new KillablePostgres(ScenarioBase.freshDataDir("cluster-stale"))) {
            String store = "--tally.stores.amz-gone.";
            ConfigurableApplicationContext withStore = replica(
                    postgres,
                    SWEEP_MS,
                    store + "channel=amazon",
                    store + "api-url=" + amazon.baseUrl(),
                    store + "credentials.client-id=client-g",
                    store + "credentials.client-secret=secret-g",
                    store + "credentials.refresh-token=Atzr|refresh-g",
                    store + "credentials.seller-id=AGONESELLER",
                    "--tally.amazon.lwa-url=" + amazon.baseUrl());
            String triggers = "SELECT trigger_name FROM qrtz_triggers WHERE sched_name = 'tally'";
            assertThat(jdbc(withStore).queryForList(triggers, String.class)).contains("amazon-orders-amz-gone");
            withStore.close();
            ConfigurableApplicationContext without = replica(postgres, SWEEP_MS);
            try {
                await().atMost(Duration.ofSeconds(10))
                        .untilAsserted(() -> assertThat(jdbc(without).queryForList(triggers, String.class))
                                .as("stored triggers after the store left the config")
                                .doesNotContain("amazon-orders-amz-gone")
                                .contains("push-sweep", "ledger-recovery", "reconciliation"));
            } finally {
                without.close();
            }
        }
    }

    @Test
    void aJobFiresOnOneReplicaPerIntervalAndAPauseReachesEveryReplica() throws Exception {
        try (KillablePostgres postgres = new KillablePostgres(ScenarioBase.freshDataDir("cluster"))) {
            ConfigurableApplicationContext a = replica(postgres, SWEEP_MS);
            ConfigurableApplicationContext b = replica(postgres, SWEEP_MS);
            try {
                for (ConfigurableApplicationContext replica : List.of(a, b)) {
                    Scheduler scheduler = camel(replica)
                            .getComponent("quartz", QuartzComponent.class)
                            .getScheduler();
                    assertThat(scheduler.getMetaData().isJobStoreClustered())
                            .as("clustered job store")
                            .isTrue();
                    assertThat(scheduler.getMetaData().getJobStoreClass()).isEqualTo(JobStoreTX.class);
                }
                JdbcTemplate jdbc = a.getBean(JdbcTemplate.class);
                assertThat(jdbc.queryForList(
                                "SELECT trigger_name FROM qrtz_triggers WHERE sched_name = 'tally'", String.class))
                        .as("one stored trigger per job, shared by the replicas")
                        .contains("push-sweep", "ledger-recovery", "reconciliation")
                        .doesNotHaveDuplicates();
                await().atMost(Duration.ofSeconds(20))
                        .untilAsserted(() -> assertThat(jdbc.queryForObject(
                                        "SELECT count(*) FROM qrtz_scheduler_state WHERE sched_name = 'tally'",
                                        Integer.class))
                                .as("replicas checked in")
                                .isEqualTo(2));

                // One sweep per interval in the cluster (each replica sweeping would be about twice as many).
                long before = sweeps(a) + sweeps(b);
                long started = System.nanoTime();
                Thread.sleep(8000);
                long fired = sweeps(a) + sweeps(b) - before;
                long intervals = Duration.ofNanos(System.nanoTime() - started).toMillis() / SWEEP_MS;
                assertThat(fired)
                        .as("push sweeps of both replicas in %d intervals", intervals)
                        .isBetween(intervals / 2, intervals + 2);

                // A pause through replica a pauses b; a resume through b resumes a.
                TallyClient apiA = client(a);
                TallyClient apiB = client(b);
                assertThat(apiA.post("/api/ledger/pause", null).status()).isEqualTo(200);
                await().atMost(Duration.ofSeconds(3))
                        .untilAsserted(() -> assertThat(apiB.get("/api/ledger")
                                        .json()
                                        .path("applying")
                                        .asBoolean())
                                .as("b applying after a paused")
                                .isFalse());
                assertThat(apiB.post("/api/ledger/resume", null).status()).isEqualTo(200);
                await().atMost(Duration.ofSeconds(3))
                        .untilAsserted(() -> assertThat(apiA.get("/api/ledger")
                                        .json()
                                        .path("applying")
                                        .asBoolean())
                                .as("a applying after b resumed")
                                .isTrue());

                // a stops: b runs the sweep on its own, at the same pace.
                a.close();
                long alone = sweeps(b);
                await().atMost(Duration.ofSeconds(20))
                        .untilAsserted(() -> assertThat(sweeps(b) - alone)
                                .as("sweeps by b alone")
                                .isGreaterThanOrEqualTo(3));

                // A replica restarted with another interval reschedules the stored trigger.
                a = replica(postgres, 1500);
                assertThat(jdbc(b).queryForObject(
                                        "SELECT repeat_interval FROM qrtz_simple_triggers"
                                                + " WHERE sched_name = 'tally' AND trigger_name = 'push-sweep'",
                                        Long.class))
                        .isEqualTo(1500L);
            } finally {
                a.close();
                b.close();
            }
        }
    }

    private static CamelContext camel(ConfigurableApplicationContext replica) {
        return replica.getBean(CamelContext.class);
    }

    private static JdbcTemplate jdbc(ConfigurableApplicationContext replica) {
        return replica.getBean(JdbcTemplate.class);
    }

    private static long sweeps(ConfigurableApplicationContext replica) throws Exception {
        CamelContext camel = camel(replica);
        return camel.getCamelContextExtension()
                .getContextPlugin(ManagedCamelContext.class)
                .getManagedRoute("push-sweep")
                .getExchangesTotal();
    }

    private static TallyClient client(ConfigurableApplicationContext replica) {
        int port = ((WebServerApplicationContext) replica).getWebServer().getPort();
        return new TallyClient("http://127.0.0.1:" + port, TOKEN);
    }
}
