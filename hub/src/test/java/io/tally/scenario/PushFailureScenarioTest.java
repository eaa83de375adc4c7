package io.tally.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.sandbox.GenericChannelSimulator;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Push (C2) failures: retries, dead letters, redrive, 429 with Retry-After, timeouts. Store {@code flaky} → FAULT_SIM. */
class PushFailureScenarioTest extends ScenarioBase {

    @org.springframework.beans.factory.annotation.Autowired
    io.micrometer.core.instrument.MeterRegistry meters;

    @AfterEach
    void healChannel() {
        FAULT_SIM.recover();
    }

    private JsonNode deadLetterFor(String ref) {
        JsonNode found = null;
        for (JsonNode d : api.deadLetters()) {
            if ("flaky".equals(d.path("store").asText())
                    && ref.equals(d.path("ref").asText())) {
                found = d;
            }
        }
        return found;
    }

    /** Declares a listing on the flaky store and waits until it is in sync; returns the attempts so far. */
    private int flakyListing(String sku, String ref, int level) {
        declare("flaky", ref, "sku", sku, "level", level);
        awaitOnHand(sku, level);
        eventually(() ->
                assertThat(api.listing("flaky", ref).path("state").asText()).isEqualTo("in_sync"));
        return FAULT_SIM.attempts("flaky", ref);
    }

    @Test
    void serverErrorsAreRetriedThenDeadLetteredAndRedriveDeliversTheLevel() {
        String sku = "pf-dead";
        String ref = "pf-dead-1";
        int before = flakyListing(sku, ref, 50);
        FAULT_SIM.failAlways(500);

        api.accepted(Ev.sale("flaky").ref(ref).qty(5).order("pf-o1", "l1"));
        awaitOnHand(sku, 45);
        eventually(() -> {
            JsonNode d = deadLetterFor(ref);
            assertThat(d).as("dead letter for %s", ref).isNotNull();
            assertThat(d.path("status").asText()).isEqualTo("open");
            assertThat(d.path("level").asLong()).isEqualTo(45);
            assertThat(d.path("sku").asText()).isEqualTo(sku);
            assertThat(d.path("error").asText()).isNotBlank();
            assertThat(d.path("id").asText()).isNotBlank();
        });
        int attempts = FAULT_SIM.attempts("flaky", ref) - before;
        assertThat(attempts).as("500 is retried").isGreaterThan(1);
        assertThat(attempts).as("at most 1 + max-retries(3) attempts").isLessThanOrEqualTo(4);
        assertThat(deadLetterFor(ref).path("attempts").asInt()).isGreaterThan(1);
        assertThat(FAULT_SIM.level("flaky", ref))
                .as("the channel never took 45")
                .isNotEqualTo(Integer.valueOf(45));
        JsonNode listing = api.listing("flaky", ref);
        assertThat(listing.path("target").asLong()).isEqualTo(45);
        assertThat(listing.path("state").asText()).as("its dead letter is open").isEqualTo("dead_letter");

        FAULT_SIM.recover();
        String id = deadLetterFor(ref).path("id").asText();
        TallyClient.Resp r = api.post("/api/dead-letters/" + id + "/redrive", null);
        assertThat(r.status()).as("%s", r).isEqualTo(202);
        awaitPushed(FAULT_SIM, "flaky", ref, 45);
        eventually(() -> assertThat(deadLetterFor(ref).path("status").asText()).isIn("redriven", "resolved"));
    }

    @Test
    void redriveSendsTheCurrentTargetNotTheDeadLevel() {
        String sku = "pf-current";
        String ref = "pf-current-1";
        flakyListing(sku, ref, 30);
        FAULT_SIM.failAlways(503);
        api.accepted(Ev.sale("flaky").ref(ref).qty(1).order("pfc-o1", "l1"));
        eventually(() -> assertThat(deadLetterFor(ref)).isNotNull());
        api.accepted(Ev.sale("flaky").ref(ref).qty(2).order("pfc-o2", "l1"));
        awaitOnHand(sku, 27);
        FAULT_SIM.recover();
        // the second change may or may not have been dead-lettered too; redrive the newest
        eventually(() ->
                assertThat(api.listing("flaky", ref).path("target").asLong()).isEqualTo(27));
        String id = deadLetterFor(ref).path("id").asText();
        assertThat(api.post("/api/dead-letters/" + id + "/redrive", null).status())
                .isEqualTo(202);
        awaitPushed(FAULT_SIM, "flaky", ref, 27);
    }

    @Test
    void tooManyRequestsWithRetryAfterIsRetriedAndConverges() {
        String sku = "pf-429";
        String ref = "pf-429-1";
        int before = flakyListing(sku, ref, 40);
        double rateLimitedBefore = rateLimitedPushes();
        FAULT_SIM.failNext(2, 429);

        long start = System.nanoTime();
        api.accepted(Ev.sale("flaky").ref(ref).qty(4).order("pf429-o1", "l1"));
        awaitPushed(FAULT_SIM, "flaky", ref, 36);
        List<GenericChannelSimulator.Request> all = FAULT_SIM.requests("flaky", ref);
        List<GenericChannelSimulator.Request> reqs = all.subList(before, all.size());
        assertThat(reqs)
                .extracting(GenericChannelSimulator.Request::status)
                .startsWith(429, 429)
                .contains(200);
        // Retry-After: 1 twice → the success cannot come before ~2 s
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
        assertThat(deadLetterFor(ref)).isNull();
        // Each refused attempt is counted for operators (tally_pushes_total{result="throttled"}).
        assertThat(rateLimitedPushes() - rateLimitedBefore)
                .as(
                        "rate-limited pushes counted; counters: %s",
                        meters.find("tally.pushes").counters().stream()
                                .map(c -> c.getId().getTags() + "=" + c.count())
                                .toList())
                .isEqualTo(2.0);
    }

    private double rateLimitedPushes() {
        var counter = meters.find("tally.pushes")
                .tags("store", "flaky", "channel", "http", "result", "throttled")
                .counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void otherClientErrorsAreDeadLetteredWithoutRetry() {
        String sku = "pf-400";
        String ref = "pf-400-1";
        int before = flakyListing(sku, ref, 40);
        FAULT_SIM.failNext(1, 422);

        api.accepted(Ev.sale("flaky").ref(ref).qty(1).order("pf400-o1", "l1"));
        eventually(() -> assertThat(deadLetterFor(ref)).isNotNull());
        stays(
                Duration.ofSeconds(1),
                () -> assertThat(FAULT_SIM.attempts("flaky", ref) - before).isEqualTo(1));
        TallyClient.Resp r =
                api.post("/api/dead-letters/" + deadLetterFor(ref).path("id").asText() + "/redrive", null);
        assertThat(r.status()).isEqualTo(202);
        awaitPushed(FAULT_SIM, "flaky", ref, 39);
    }

    @Test
    void aTimedOutPushIsRetried() {
        String sku = "pf-timeout";
        String ref = "pf-timeout-1";
        int before = flakyListing(sku, ref, 40);
        FAULT_SIM.delayNext(1, Duration.ofMillis(2500)); // tally.push.timeout-ms = 1000

        api.accepted(Ev.sale("flaky").ref(ref).qty(2).order("pft-o1", "l1"));
        awaitPushed(FAULT_SIM, "flaky", ref, 38);
        assertThat(FAULT_SIM.attempts("flaky", ref) - before).isGreaterThanOrEqualTo(2);
        assertThat(deadLetterFor(ref)).isNull();
    }
}
