package io.tally.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.TallyApplication;
import io.tally.sandbox.GenericChannelSimulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Issue 17, defect 0 at small scale: a safety-stock change takes effect at a restart, when the start-up recovery
 * moves the target of every listing at once. With a push queue far smaller than the listings (50 for 2,000), the
 * recovery must feed the queue as it drains, and a listing it could not queue must stay eligible for the next sweep:
 * every listing ends on target and holds it at the channel.
 */
class StartupRecoveryBackPressureTest {

    private static final String TOKEN = "back-pressure-token";
    private static final int ITEMS = 1000;
    private static final List<String> STORES = List.of("bp-a", "bp-b");
    private static final GenericChannelSimulator SIM = new GenericChannelSimulator().start();

    @AfterAll
    static void stopSimulator() {
        SIM.stop();
    }

    private static ConfigurableApplicationContext start(Path dataDir, int safetyStock, int queueSize) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--management.server.port=0",
                "--tally.embedded-db.data-dir=" + dataDir,
                "--tally.admin-token=" + TOKEN,
                "--tally.push.queue-size=" + queueSize,
                "--tally.push.sweep-interval-ms=3000",
                "--tally.push.initial-backoff-ms=100",
                "--tally.push.max-backoff-ms=1000",
                "--tally.reconcile.interval-ms=3600000"));
        for (String store : STORES) {
            String p = "--tally.stores." + store + ".";
            args.addAll(List.of(
                    p + "channel=http",
                    p + "role=peer",
                    p + "push-url=" + SIM.url("/push"),
                    p + "max-pushes-per-second=1000",
                    p + "safety-stock=" + safetyStock));
        }
        return new SpringApplicationBuilder(TallyApplication.class).run(args.toArray(String[]::new));
    }

    private static TallyClient client(ConfigurableApplicationContext ctx) {
        int port = ((WebServerApplicationContext) ctx).getWebServer().getPort();
        return new TallyClient("http://127.0.0.1:" + port, TOKEN);
    }

    @Test
    void aSafetyStockChangeAtRestartBringsEveryListingOnTargetThroughASmallQueue() {
        Path dataDir = ScenarioBase.freshDataDir("back-pressure");

        // A catalog as a first run leaves it once every level is pushed: 1,000 items of 10, each on both stores.
        // Written in SQL by the hub's own data source (2,000 declarations over HTTP take minutes on a busy machine).
        try (ConfigurableApplicationContext first = start(dataDir, 0, 100_000)) {
            NamedParameterJdbcTemplate db = first.getBean(NamedParameterJdbcTemplate.class);
            Map<String, Object> n = Map.of("last", ITEMS - 1);
            db.update(
                    "INSERT INTO stock_item (item_key, on_hand, seed_rank)"
                            + " SELECT 'bp-' || g, 10, 3 FROM generate_series(0, :last) g",
                    n);
            db.update(
                    "INSERT INTO ledger_entry (item_key, delta, kind, entry_key, store, ref, reason)"
                            + " SELECT 'bp-' || g, 10, 'count', 'test-seed:bp-' || g, 'bp-a', 'a-' || g, 'test catalog'"
                            + " FROM generate_series(0, :last) g",
                    n);
            db.update(
                    "INSERT INTO listing (store, ref, item_key, sku, master, known_level, synced_level,"
                            + " last_pushed, last_pushed_at, target, target_version)"
                            + " SELECT s.store, s.prefix || g, 'bp-' || g, 'bp-' || g, s.store = 'bp-a', 10, 10, 10, now(),"
                            + " 10, 1 FROM generate_series(0, :last) g, (VALUES ('bp-a', 'a-'), ('bp-b', 'b-')) s(store, prefix)",
                    n);
            TallyClient api = client(first);
            assertThat(api.listings("bp-b"))
                    .hasSize(ITEMS)
                    .allMatch(l -> l.path("target").asLong() == 10
                            && "in_sync".equals(l.path("state").asText()));
        }

        // Safety stock 3 on both stores: every one of the 2,000 targets moves from 10 to 7 at start-up.
        try (ConfigurableApplicationContext second = start(dataDir, 3, 50)) {
            TallyClient api = client(second);
            // 2,000 pushes: seconds on an idle machine; the bound leaves room for a busy one.
            awaitEveryListingAt(api, 7, Duration.ofSeconds(240));
            assertThat(api.deadLetters()).as("no push failed for good").isEmpty();
        }
    }

    /** Every listing of both stores has the target, Tally pushed it, and the channel holds it. */
    private static void awaitEveryListingAt(TallyClient api, long level, Duration within) {
        await().atMost(within)
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .untilAsserted(() -> {
                    for (String store : STORES) {
                        List<String> off = new ArrayList<>();
                        for (JsonNode l : api.listings(store)) {
                            String ref = l.path("ref").asText();
                            Integer atChannel = SIM.level(store, ref);
                            if (l.path("target").asLong() != level
                                    || l.path("lastPushed").asLong() != level
                                    || !"in_sync".equals(l.path("state").asText())
                                    || atChannel == null
                                    || atChannel != level) {
                                off.add(ref);
                            }
                        }
                        assertThat(api.listings(store))
                                .as("listings of %s", store)
                                .hasSize(ITEMS);
                        assertThat(off)
                                .as(
                                        "%s listings of %s off %d (first: %s)",
                                        off.size(),
                                        store,
                                        level,
                                        off.stream().limit(5).toList())
                                .isEmpty();
                    }
                });
    }
}
