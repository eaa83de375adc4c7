package io.tally.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.tally.TallyApplication;
import io.tally.sandbox.GenericChannelSimulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issue 17 fault test: the push receiver of two generic http stores is down (its port closed: connection refused)
 * while sales keep coming in. After it is back, every listing is on target within 60 s, each affected listing had
 * exactly one dead letter for the whole outage (the sweeps' retries are added to it) and it is resolved, and the log
 * holds at most two WARN lines per listing (one when it starts failing, one when it is dead-lettered), each naming
 * store and ref, and no Camel redelivery WARN at all.
 *
 * <p>The outage lasts {@code tally.test.receiver-outage-seconds} (system property or env
 * {@code TALLY_TEST_RECEIVER_OUTAGE_SECONDS}), by default {@link #DEFAULT_OUTAGE_SECONDS}. The hub retries a push
 * 3 times (200 ms doubling) and sweeps every 5 s, so every listing is dead-lettered within about 2 s and then
 * retried by many sweeps: the outage is long against everything that decides the outcome.
 */
@SpringBootTest(classes = TallyApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PushReceiverOutageScenarioTest extends ChannelScenarioBase {

    static final int DEFAULT_OUTAGE_SECONDS = 45;
    static final Duration ON_TARGET_BOUND = Duration.ofSeconds(60);
    static final List<String> STORES = List.of("rx-a", "rx-b");
    static final int SKUS = 6;
    static final int INITIAL = 500;
    static final int WARN_LINES_PER_LISTING = 2;

    static final GenericChannelSimulator RECEIVER = new GenericChannelSimulator(freePort()).start();

    @DynamicPropertySource
    static void tallyProperties(DynamicPropertyRegistry r) {
        hubDefaults(r, "outage", 3);
        for (String store : STORES) {
            r.add("tally.stores." + store + ".channel", () -> "http");
            r.add("tally.stores." + store + ".role", () -> "peer");
            r.add("tally.stores." + store + ".push-url", () -> RECEIVER.url("/push"));
            r.add("tally.stores." + store + ".max-pushes-per-second", () -> "100");
        }
    }

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    MeterRegistry meters;

    @AfterAll
    static void stopReceiver() {
        RECEIVER.stop();
    }

    @Override
    Duration quietWindow() {
        return Duration.ofSeconds(2);
    }

    @Test
    void aReceiverDownUnderASalesStreamEndsOnTargetWithOneDeadLetterAndAFewLinesPerListing() throws Exception {
        Duration outage = Duration.ofSeconds(outageSeconds());
        List<String> skus = new ArrayList<>();
        for (int i = 0; i < SKUS; i++) {
            String sku = "rx-item-" + i;
            skus.add(sku);
            api.declare("rx-a", sku, Map.of("sku", sku, "level", INITIAL));
            awaitOnHand(sku, INITIAL);
            api.declare("rx-b", sku, Map.of("sku", sku));
        }
        for (String sku : skus) {
            for (String store : STORES) {
                // rx-a was declared at its level (nothing to push), rx-b is pushed its target.
                eventually(
                        () -> assertThat(api.listing(store, sku).path("state").asText())
                                .isEqualTo("in_sync"));
            }
        }
        long firstDeadLetter = jdbc.queryForObject("SELECT coalesce(max(id), 0) + 1 FROM dead_letter", Long.class);
        double attemptsBefore = pushAttempts();

        CapturedLog captured = CapturedLog.attach();
        Map<String, Integer> sold = new LinkedHashMap<>();
        long downAt = System.nanoTime();
        RECEIVER.stop();
        int sales = 0;
        try {
            // A stream of sales on rx-a, one every 250 ms round the SKUs, for the whole outage.
            while (System.nanoTime() - downAt < outage.toNanos()) {
                String sku = skus.get(sales % SKUS);
                api.accepted(Ev.sale("rx-a").ref(sku).qty(1).order("rx-o-" + sales, "l1"));
                sold.merge(sku, 1, Integer::sum);
                sales++;
                Thread.sleep(250);
            }
            for (String sku : skus) {
                awaitOnHand(sku, INITIAL - sold.get(sku));
            }
        } finally {
            RECEIVER.start();
        }
        long upAt = System.nanoTime();
        // Sales go on after the receiver is back.
        for (int i = 0; i < SKUS; i++) {
            api.accepted(Ev.sale("rx-a").ref(skus.get(i)).qty(1).order("rx-after-" + i, "l1"));
            sold.merge(skus.get(i), 1, Integer::sum);
            sales++;
        }
        for (String sku : skus) {
            for (String store : STORES) {
                awaitOnTarget(store, sku, ON_TARGET_BOUND.minusNanos(System.nanoTime() - upAt));
            }
        }
        double onTargetSeconds = (System.nanoTime() - upAt) / 1e9;
        for (String sku : skus) {
            assertThat(api.onHand(sku)).isEqualTo(INITIAL - sold.get(sku));
            assertThat(api.ledgerSum(sku)).isEqualTo(INITIAL - sold.get(sku));
            for (String store : STORES) {
                assertThat(RECEIVER.level(store, sku))
                        .as("receiver's level of %s/%s", store, sku)
                        .isEqualTo(INITIAL - sold.get(sku));
            }
        }

        // Exactly one dead letter per listing for the whole outage, resolved by the push that got through.
        List<Map<String, Object>> letters = jdbc.queryForList("""
                SELECT d.store, d.ref, d.status, d.attempts FROM dead_letter d
                WHERE d.id >= ? AND d.store IN ('rx-a', 'rx-b') ORDER BY d.store, d.ref
                """, firstDeadLetter);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(jdbc.queryForObject(
                                "SELECT count(*) FROM dead_letter WHERE id >= ? AND status = 'open'",
                                Integer.class,
                                firstDeadLetter))
                        .isZero());
        letters = jdbc.queryForList(
                "SELECT store, ref, status, attempts FROM dead_letter WHERE id >= ?"
                        + " AND store IN ('rx-a', 'rx-b') ORDER BY store, ref",
                firstDeadLetter);
        Map<String, Integer> lettersPerListing = new LinkedHashMap<>();
        for (Map<String, Object> l : letters) {
            lettersPerListing.merge(l.get("store") + "/" + l.get("ref"), 1, Integer::sum);
            assertThat(l.get("status")).as("dead letter %s", l).isEqualTo("resolved");
        }
        Map<String, Integer> expectedOnePerListing = new LinkedHashMap<>();
        for (String store : STORES) {
            for (String sku : skus) {
                expectedOnePerListing.put(store + "/" + sku, 1);
            }
        }
        assertThat(lettersPerListing)
                .as("dead letters per listing: %s", letters)
                .isEqualTo(expectedOnePerListing);
        int maxAttempts = letters.stream()
                .mapToInt(l -> ((Number) l.get("attempts")).intValue())
                .max()
                .orElse(0);
        assertThat(maxAttempts)
                .as("the sweeps' retries are added to the open dead letter")
                .isGreaterThan(4);

        // The log: a few actionable lines per listing, none of Camel's per-attempt lines.
        captured.stop();
        List<String> warnings = captured.lines(Level.WARN);
        List<String> camelWarnings =
                warnings.stream().filter(l -> l.contains(" org.apache.camel")).toList();
        assertThat(camelWarnings).as("Camel WARN lines").isEmpty();
        for (String line :
                warnings.stream().filter(l -> l.contains(" io.tally")).toList()) {
            assertThat(line)
                    .as("a WARN line names the store and the ref")
                    .containsPattern("store=rx-[ab] ")
                    .contains(" ref=");
        }
        int listings = STORES.size() * SKUS;
        assertThat(warnings)
                .as("WARN lines during the outage:%n%s", String.join("\n", warnings))
                .hasSizeLessThanOrEqualTo(WARN_LINES_PER_LISTING * listings);
        for (String store : STORES) {
            for (String sku : skus) {
                String who = "store=" + store + " sku=" + sku + " ref=" + sku + " ";
                assertThat(warnings.stream().filter(l -> l.contains(who)).count())
                        .as("WARN lines of %s", who)
                        .isBetween(1L, (long) WARN_LINES_PER_LISTING);
                assertThat(captured.lines(Level.INFO).stream()
                                .filter(l -> l.contains(who) && l.contains("recovered"))
                                .count())
                        .as("recovery line of %s", who)
                        .isEqualTo(1);
            }
        }
        double attempts = pushAttempts() - attemptsBefore;
        System.out.printf(
                "push receiver down %d s under %d sales: %d listings, %d WARN lines (%d from Camel), %.0f"
                        + " push attempts (%d reached the receiver), every listing on target %.1f s after it came back;"
                        + " %d dead letters (one per listing, up to %d attempts each), all resolved%n",
                outage.toSeconds(),
                sales,
                listings,
                warnings.size(),
                camelWarnings.size(),
                attempts,
                RECEIVER.requests().size(),
                onTargetSeconds,
                letters.size(),
                maxAttempts);
        warnings.stream().limit(4).forEach(l -> System.out.println("  e.g. " + l));
        captured.lines(Level.INFO).stream()
                .filter(l -> l.contains("recovered"))
                .limit(1)
                .forEach(l -> System.out.println("  e.g. " + l));
    }

    private void awaitOnTarget(String store, String sku, Duration within) {
        await().atMost(within.isNegative() ? Duration.ZERO : within)
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptions()
                .untilAsserted(() -> {
                    JsonNode l = api.listing(store, sku);
                    assertThat(l.path("state").asText())
                            .as("state of %s/%s: %s", store, sku, l)
                            .isEqualTo("in_sync");
                    assertThat(RECEIVER.level(store, sku))
                            .as("receiver's level of %s/%s: %s", store, sku, l)
                            .isEqualTo(l.path("target").asInt());
                    assertThat(l.path("target").asLong()).isEqualTo(api.onHand(sku));
                });
    }

    private double pushAttempts() {
        return STORES.stream()
                .mapToDouble(s -> meters.find("tally.pushes").tag("store", s).counters().stream()
                        .mapToDouble(c -> c.count())
                        .sum())
                .sum();
    }

    static long outageSeconds() {
        String value = System.getProperty(
                "tally.test.receiver-outage-seconds",
                System.getenv().getOrDefault("TALLY_TEST_RECEIVER_OUTAGE_SECONDS", ""));
        return value.isBlank() ? DEFAULT_OUTAGE_SECONDS : Long.parseLong(value.trim());
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every log event of the hub while it runs, as "LEVEL logger message" lines. */
    static final class CapturedLog extends AppenderBase<ILoggingEvent> {

        private final Queue<ILoggingEvent> events = new ConcurrentLinkedQueue<>();

        static CapturedLog attach() {
            LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
            CapturedLog log = new CapturedLog();
            log.setContext(context);
            log.setName("push-outage-test");
            log.start();
            context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(log);
            return log;
        }

        @Override
        protected void append(ILoggingEvent event) {
            events.add(event);
        }

        @Override
        public void stop() {
            ((LoggerContext) getContext()).getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(this);
            super.stop();
        }

        List<String> lines(Level level) {
            return events.stream()
                    .filter(e -> e.getLevel().equals(level))
                    .map(e -> e.getLevel() + " " + e.getLoggerName() + " " + e.getFormattedMessage())
                    .toList();
        }
    }
}
