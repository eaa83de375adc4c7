package io.tally.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.TallyApplication;
import io.tally.sandbox.GenericChannelSimulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Crash safety: events accepted (202) while the ledger apply is disabled are stored in the inbox;
 * after a restart on the same data directory with apply enabled, each is applied exactly once.
 */
class RestartTest {

    private static final String TOKEN = "restart-token";
    private static final GenericChannelSimulator SIM = new GenericChannelSimulator().start();

    @AfterAll
    static void stopSimulator() {
        SIM.stop();
    }

    private static ConfigurableApplicationContext start(Path dataDir, boolean apply) {
        String[] args = {
            "--server.port=0",
            "--management.server.port=0",
            "--tally.embedded-db.data-dir=" + dataDir,
            "--tally.admin-token=" + TOKEN,
            "--tally.ledger.apply-enabled=" + apply,
            "--tally.push.initial-backoff-ms=100",
            "--tally.push.max-backoff-ms=1000",
            "--tally.stores.r1.channel=http",
            "--tally.stores.r1.role=peer",
            "--tally.stores.r1.push-url=" + SIM.url("/push"),
            "--tally.stores.r2.channel=http",
            "--tally.stores.r2.role=peer",
            "--tally.stores.r2.push-url=" + SIM.url("/push"),
        };
        return new SpringApplicationBuilder(TallyApplication.class).run(args);
    }

    private static TallyClient client(ConfigurableApplicationContext ctx) {
        int port = ((WebServerApplicationContext) ctx).getWebServer().getPort();
        return new TallyClient("http://127.0.0.1:" + port, TOKEN);
    }

    @Test
    void eventsStoredBeforeARestartAreAppliedExactlyOnceAfterIt() {
        Path dataDir = ScenarioBase.freshDataDir("restart");
        List<Ev> effective = new ArrayList<>();
        Map<String, Long> expected = new HashMap<>();

        ConfigurableApplicationContext first = start(dataDir, false);
        try {
            TallyClient api = client(first);
            api.declare("r1", "rs-1a", Map.of("sku", "rst-1", "master", true, "level", 100));
            api.declare("r2", "rs-1b", Map.of("sku", "rst-1"));
            api.declare("r1", "rs-2a", Map.of("sku", "rst-2", "level", 50));
            api.declare("r2", "rs-2b", Map.of("sku", "rst-2"));
            expected.put("rst-1", 100L);
            expected.put("rst-2", 50L);

            List<Ev> events = List.of(
                    Ev.sale("r1").ref("rs-1a").qty(3).order("rs-o1", "l1"),
                    Ev.sale("r2").ref("rs-1b").qty(2).order("rs-o2", "l1"),
                    Ev.cancel("r1").ref("rs-2a").qty(1).order("rs-o3", "l1"), // before its sale
                    Ev.sale("r1").ref("rs-2a").qty(4).order("rs-o3", "l1"),
                    Ev.restock("r2").ref("rs-2b").qty(6),
                    Ev.adjust("r1").ref("rs-1a").qty(-7),
                    Ev.sale("r2").ref("rs-2b").qty(1).order("rs-o4", "l1"),
                    Ev.restock("r2").ref("rs-2b").qty(5).order("rs-o4", "l1")); // capped at 1
            for (Ev e : events) {
                api.accepted(e);
            }
            for (Ev e : events) {
                TallyClient.Resp dup = api.postEvent(e);
                assertThat(dup.status()).as("%s", dup).isEqualTo(200);
            }
            List<Ev> batch = List.of(
                    Ev.sale("r1").ref("rs-2a").qty(2).order("rs-o5", "l1"),
                    Ev.restock("r1").ref("rs-1a").qty(9));
            TallyClient.Resp array = api.postEvent(batch);
            assertThat(array.status()).as("%s", array).isEqualTo(202);
            assertThat(array.json().path("accepted").asInt()).isEqualTo(2);
            effective.addAll(events);
            effective.addAll(batch);

            expected.merge("rst-1", -3L - 2 - 7 + 9, Long::sum);
            expected.merge("rst-2", -4L + 1 + 6 - 1 + 1 - 2, Long::sum);

            // stored, not applied
            long pending = 0;
            for (JsonNode e : api.events("pending")) {
                if (e.path("store").asText().startsWith("r")) {
                    pending++;
                }
            }
            for (JsonNode e : api.events("waiting")) {
                if (e.path("store").asText().startsWith("r")) {
                    pending++;
                }
            }
            assertThat(pending).as("events waiting in the inbox").isEqualTo(10);
            JsonNode item = api.item("rst-1");
            assertThat(item == null ? 100 : item.path("onHand").asLong())
                    .as("nothing applied")
                    .isEqualTo(100);
        } finally {
            first.close();
        }

        ConfigurableApplicationContext second = start(dataDir, true);
        try {
            TallyClient api = client(second);
            try {
                await().atMost(Duration.ofSeconds(20))
                        .pollInterval(Duration.ofMillis(200))
                        .ignoreExceptions()
                        .untilAsserted(() -> {
                            assertThat(api.onHand("rst-1")).isEqualTo(expected.get("rst-1"));
                            assertThat(api.onHand("rst-2")).isEqualTo(expected.get("rst-2"));
                            assertThat(api.events("pending")).isEmpty();
                            assertThat(api.events("waiting")).isEmpty();
                        });
            } catch (AssertionError | RuntimeException e) {
                System.out.println("RestartTest diagnostics: ledger rst-1 " + api.ledger("rst-1"));
                System.out.println("RestartTest diagnostics: ledger rst-2 " + api.ledger("rst-2"));
                for (String status : List.of("pending", "waiting", "applied", "parked", "rejected")) {
                    System.out.println("RestartTest diagnostics: " + status + " " + api.events(status));
                }
                throw e;
            }
            // exactly once: stays, each event has at most one ledger entry, the ledger sums to onHand
            await().during(Duration.ofMillis(1500))
                    .atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> {
                        assertThat(api.onHand("rst-1")).isEqualTo(expected.get("rst-1"));
                        assertThat(api.onHand("rst-2")).isEqualTo(expected.get("rst-2"));
                    });
            for (String sku : List.of("rst-1", "rst-2")) {
                long sum = 0;
                Map<String, Integer> perEvent = new HashMap<>();
                for (JsonNode e : api.ledger(sku)) {
                    sum += e.path("delta").asLong();
                    if (!e.path("eventId").isNull()
                            && !e.path("eventId").asText().isEmpty()) {
                        perEvent.merge(e.path("eventId").asText(), 1, Integer::sum);
                    }
                }
                assertThat(sum).as("ledger of %s", sku).isEqualTo(expected.get(sku));
                assertThat(perEvent.values())
                        .as("entries per event of %s: %s", sku, perEvent)
                        .allMatch(n -> n == 1);
            }
            for (Ev e : effective) {
                // every event here has a non-zero effect (the capped restock still returns 1): one entry each
                String sku = String.valueOf(e.map().get("ref")).startsWith("rs-1") ? "rst-1" : "rst-2";
                long n = 0;
                for (JsonNode l : api.ledger(sku)) {
                    n += e.id().equals(l.path("eventId").asText()) ? 1 : 0;
                }
                assertThat(n).as("ledger entries for %s", e).isEqualTo(1);
            }
            // duplicates are still recognised after the restart
            TallyClient.Resp dup = api.postEvent(effective.get(0));
            assertThat(dup.status()).as("%s", dup).isEqualTo(200);
            // and the channels get the result
            await().atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> {
                        assertThat(SIM.level("r2", "rs-1b"))
                                .isEqualTo(expected.get("rst-1").intValue());
                        assertThat(SIM.level("r2", "rs-2b"))
                                .isEqualTo(expected.get("rst-2").intValue());
                        assertThat(SIM.level("r1", "rs-1a"))
                                .isEqualTo(expected.get("rst-1").intValue());
                    });
        } finally {
            second.close();
        }
    }
}
