package io.tally.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tally.TallyApplication;
import io.tally.connector.PushCommand;
import io.tally.connector.PushOutcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.EndpointInject;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The push routes (push-request, push-listing, push-attempt, push-dead-letter and the push-errors configuration)
 * with the channel replaced by a mock at step {@code push-via-channel}: what each answer of a channel leads to, and
 * how many attempts it takes. And one channel's route, push-http, with its far end a mock at step {@code post-level}:
 * the outcome or failure it leaves for push-attempt. The planner and dead letters are the real beans on an embedded PostgreSQL; the
 * listings are rows inserted here, so no ledger or channel is involved. A push claims its listing (a lease, released
 * when the push ends) and leaves one that another hub holds alone.
 */
@CamelSpringBootTest
@SpringBootTest(classes = TallyApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PushRoutesTest {

    static final int MAX_RETRIES = 2;

    @DynamicPropertySource
    static void hub(DynamicPropertyRegistry r) throws IOException {
        Path root = Path.of("target", "test-data").toAbsolutePath();
        Files.createDirectories(root);
        String dataDir =
                Files.createTempDirectory(root, "push-routes-").resolve("pg").toString();
        r.add("tally.embedded-db.data-dir", () -> dataDir);
        r.add("tally.admin-token", () -> "push-routes-token");
        r.add("tally.push.max-retries", () -> String.valueOf(MAX_RETRIES));
        r.add("tally.push.initial-backoff-ms", () -> "10");
        r.add("tally.push.max-backoff-ms", () -> "50");
        r.add("tally.push.sweep-interval-ms", () -> "3600000");
        r.add("tally.reconcile.interval-ms", () -> "3600000");
        r.add("tally.stores.rt.channel", () -> "http");
        // Never called: the channel is the mock.
        r.add("tally.stores.rt.push-url", () -> "http://127.0.0.1:9/push");
        r.add("tally.stores.rt.max-pushes-per-second", () -> "1000");
    }

    private static boolean advised;

    @Autowired
    CamelContext camel;

    @Autowired
    ProducerTemplate producer;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    PushCoalescer coalescer;

    @EndpointInject("mock:channel")
    MockEndpoint channel;

    @EndpointInject("mock:http-store")
    MockEndpoint httpStore;

    @BeforeEach
    void replaceTheChannelByAMock() throws Exception {
        if (!advised) {
            // One hub for the class: the route is advised once, the mock is reset per test.
            AdviceWith.adviceWith(
                    camel,
                    "push-attempt",
                    route -> route.weaveById("push-via-channel").replace().to("mock:channel"));
            // The http channel's own route, reached directly in the tests below: its far end is a mock too.
            AdviceWith.adviceWith(
                    camel,
                    "push-http",
                    route -> route.weaveById("post-level").replace().to("mock:http-store"));
            advised = true;
        }
        channel.reset();
        httpStore.reset();
    }

    @Test
    void aConfirmedPushMakesTheListingHoldItsTarget() throws Exception {
        long id = listing("confirmed", 7);
        Instant channelTime = Instant.parse("2026-01-02T03:04:05Z");
        channel.whenAnyExchangeReceived(answer(PushOutcome.confirmed(channelTime)));

        pushAndWait(id, 1);

        assertThat(channel.getReceivedCounter()).isEqualTo(1);
        Map<String, Object> row = row(id);
        assertThat(row)
                .containsEntry("synced_level", 7L)
                .containsEntry("last_pushed", 7L)
                .containsEntry("inflight_level", null)
                .containsEntry("push_failed", false)
                .containsEntry("last_pushed_version", 1L)
                .containsEntry("push_lease_owner", null);
        assertThat(((java.sql.Timestamp) row.get("known_at")).toInstant()).isEqualTo(channelTime);
        assertThat(openDeadLetters(id)).isZero();
    }

    @Test
    void aStaleCompareAndSetIsAbandonedNotRetried() throws Exception {
        long id = listing("stale", 5);
        channel.whenAnyExchangeReceived(answer(PushOutcome.stale(3L, Instant.now())));

        pushAndWait(id, 1);

        assertThat(channel.getReceivedCounter()).isEqualTo(1);
        // Nothing was written: nothing in flight, still out of sync (the level read re-plans it via the ledger).
        assertThat(row(id))
                .containsEntry("synced_level", null)
                .containsEntry("last_pushed", null)
                .containsEntry("inflight_level", null)
                .containsEntry("push_failed", false);
        assertThat(openDeadLetters(id)).isZero();
    }

    @Test
    void aListingAnotherLiveHubHoldsIsLeftToThatHub() throws Exception {
        long id = listing("leased-elsewhere", 3);
        UUID otherHub = UUID.randomUUID();
        jdbc.update(
                "UPDATE listing SET push_lease_owner = ?, push_lease_until = now() + INTERVAL '1 minute' WHERE id = ?",
                otherHub,
                id);
        channel.whenAnyExchangeReceived(answer(PushOutcome.confirmed()));

        pushAndWait(id, 1);

        assertThat(channel.getReceivedCounter()).isZero();
        assertThat(row(id))
                .containsEntry("synced_level", null)
                .containsEntry("inflight_level", null)
                .containsEntry("push_lease_owner", otherHub);
        assertThat(openDeadLetters(id)).isZero();
    }

    @Test
    void aStaleOutcomeAndADeadLetterReleaseTheLease() throws Exception {
        long stale = listing("stale-lease", 5);
        long rejected = listing("rejected-lease", 5);
        channel.whenAnyExchangeReceived(exchange -> {
            if (exchange.getProperty("listingId", Long.class) == stale) {
                exchange.setProperty(PushOutcome.PROPERTY, PushOutcome.stale(1L, Instant.now()));
            } else {
                throw new RejectedPushException("HTTP 404");
            }
        });

        pushAndWait(stale, 1);
        pushAndWait(rejected, 1);

        // pushAndWait counts any push series that ends (a previous test's requeue may end meanwhile): the rows decide.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(row(stale)).containsEntry("push_lease_owner", null);
            assertThat(row(rejected)).containsEntry("push_lease_owner", null).containsEntry("push_failed", true);
        });
    }

    @Test
    void aRetryableFailureIsRetriedAndThenConfirmed() throws Exception {
        long id = listing("retry-once", 4);
        AtomicInteger attempts = new AtomicInteger();
        channel.whenAnyExchangeReceived(exchange -> {
            if (attempts.incrementAndGet() == 1) {
                throw new RetryablePushException("HTTP 503");
            }
            exchange.setProperty(PushOutcome.PROPERTY, PushOutcome.confirmed());
        });

        pushAndWait(id, 1);

        assertThat(channel.getReceivedCounter()).isEqualTo(2);
        assertThat(row(id)).containsEntry("synced_level", 4L).containsEntry("push_failed", false);
        assertThat(openDeadLetters(id)).isZero();
    }

    @Test
    void aFailureThatOutlastsTheRetriesIsDeadLettered() throws Exception {
        long id = listing("retry-exhausted", 9);
        channel.whenAnyExchangeReceived(exchange -> {
            throw new ThrottledPushException("HTTP 429");
        });

        pushAndWait(id, 1);

        assertThat(channel.getReceivedCounter()).isEqualTo(1 + MAX_RETRIES);
        assertThat(row(id))
                .containsEntry("synced_level", null)
                .containsEntry("inflight_level", null)
                .containsEntry("push_failed", true);
        assertThat(deadLetter(id))
                .containsEntry("attempts", 1 + MAX_RETRIES)
                .containsEntry("level", 9L)
                .containsEntry("error", "HTTP 429");
    }

    @Test
    void aRejectedPushIsDeadLetteredAtOnce() throws Exception {
        long id = listing("rejected", 2);
        channel.whenAnyExchangeReceived(exchange -> {
            throw new RejectedPushException("HTTP 422 \"unknown sku\"");
        });

        pushAndWait(id, 1);

        assertThat(channel.getReceivedCounter()).isEqualTo(1);
        assertThat(row(id)).containsEntry("push_failed", true);
        assertThat(deadLetter(id)).containsEntry("attempts", 1).containsEntry("error", "HTTP 422 \"unknown sku\"");
    }

    @Test
    void aTargetThatChangedWhileThePushFailedGetsItsOwnSeriesAfterTheDeadLetter() throws Exception {
        long id = listing("changed-while-failing", 6);
        AtomicInteger attempts = new AtomicInteger();
        channel.whenAnyExchangeReceived(exchange -> {
            if (attempts.incrementAndGet() == 1) {
                // A newer target arrives while this push is in flight, then the channel refuses the push.
                jdbc.update("UPDATE listing SET target = 8, target_version = 2 WHERE id = ?", id);
                coalescer.offer(id);
                throw new RejectedPushException("HTTP 400");
            }
            exchange.setProperty(PushOutcome.PROPERTY, PushOutcome.confirmed());
        });

        pushAndWait(id, 2);

        assertThat(channel.getReceivedCounter()).isEqualTo(2);
        assertThat(row(id)).containsEntry("synced_level", 8L).containsEntry("push_failed", false);
        // The confirmed push resolved the dead letter the refusal had opened.
        assertThat(openDeadLetters(id)).isZero();
        assertThat(jdbc.queryForObject("SELECT status FROM dead_letter WHERE listing_id = ?", String.class, id))
                .isEqualTo("resolved");
    }

    @Test
    void theHttpChannelRouteSendsTheLevelAndLeavesAConfirmedOutcome() throws Exception {
        httpStore.expectedBodiesReceived(
                "{\"store\":\"rt\",\"ref\":\"h-1\",\"sku\":\"H-1\",\"available\":3,\"version\":1}");
        httpStore.expectedHeaderReceived("CamelHttpMethod", "POST");
        httpStore.whenAnyExchangeReceived(
                exchange -> exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 204));

        Exchange pushed = pushOverHttp();

        httpStore.assertIsSatisfied();
        assertThat(pushed.getException()).isNull();
        assertThat(pushed.getProperty(PushOutcome.PROPERTY)).isEqualTo(PushOutcome.confirmed());
    }

    @Test
    void theHttpChannelRouteTurnsA429IntoAThrottledFailureWithTheStoresDelay() {
        httpStore.whenAnyExchangeReceived(exchange -> {
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 429);
            exchange.getMessage().setHeader("Retry-After", "0.03");
            exchange.getMessage().setBody("slow down");
        });

        Exchange pushed = pushOverHttp();

        assertThat(pushed.getException())
                .isInstanceOf(ThrottledPushException.class)
                .hasMessage("HTTP 429 \"slow down\"");
        assertThat(pushed.getIn().getHeader(Exchange.REDELIVERY_DELAY)).isEqualTo(30L);
        assertThat(pushed.getProperty(PushOutcome.PROPERTY)).isNull();
    }

    // ------------------------------------------------------------------ helpers

    private Exchange pushOverHttp() {
        PushCommand command = new PushCommand(
                1, "rt", "http", "h-1", "H-1", 3, 1, "http://127.0.0.1:9/push", 1000, null, null, null, false);
        return producer.send("direct:push-http", exchange -> exchange.setProperty("pushCommand", command));
    }

    private static Processor answer(PushOutcome outcome) {
        return exchange -> exchange.setProperty(PushOutcome.PROPERTY, outcome);
    }

    /** A listing of store rt whose target the channel does not hold yet. */
    private long listing(String ref, long target) {
        return jdbc.queryForObject("""
                INSERT INTO listing (store, ref, sku, target, target_version) VALUES ('rt', ?, ?, ?, 1) RETURNING id
                """, Long.class, ref, ref.toUpperCase(), target);
    }

    /** Asks for the listing's push through route push-request and waits until that many push series ended. */
    private void pushAndWait(long id, int series) {
        NotifyBuilder done = new NotifyBuilder(camel)
                .fromRoute("push-listing")
                .whenDone(series)
                .create();
        producer.sendBody("direct:push-request", List.of(id));
        assertThat(done.matches(10, TimeUnit.SECONDS))
                .as("%d push series of listing %d ended", series, id)
                .isTrue();
    }

    private Map<String, Object> row(long id) {
        return jdbc.queryForMap(
                "SELECT synced_level, last_pushed, inflight_level, push_failed, known_at, last_pushed_version,"
                        + " push_lease_owner FROM listing"
                        + " WHERE id = ?",
                id);
    }

    private Map<String, Object> deadLetter(long id) {
        return jdbc.queryForMap(
                "SELECT level, attempts, error FROM dead_letter WHERE listing_id = ? AND status = 'open'", id);
    }

    private int openDeadLetters(long id) {
        return jdbc.queryForObject(
                "SELECT count(*) FROM dead_letter WHERE listing_id = ? AND status = 'open'", Integer.class, id);
    }
}
