package io.tally.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Alerts reach the operator's endpoint once per episode (an oversold item, a store's pushes failing, a poller that
 * stopped, a reconciliation that corrected more than the threshold), and an endpoint that is down gets them later.
 */
class AlertsScenarioTest extends ScenarioBase {

    @Autowired
    JdbcTemplate jdbc;

    List<JsonNode> listed(String kind, String subject) {
        List<JsonNode> found = new ArrayList<>();
        api.get("/api/alerts?limit=1000").json().forEach(a -> {
            if (kind.equals(a.path("kind").asText())
                    && subject.equals(a.path("subject").asText())) {
                found.add(a);
            }
        });
        return found;
    }

    @Test
    void anOversoldItemIsReportedOnceWithTheTokenAndTheApiShowsItDelivered() {
        declare("main", "al-over", "sku", "al-over", "level", 1);
        awaitOnHand("al-over", 1);
        api.accepted(Ev.sale("main").sku("al-over").qty(3).order("al-o1", "l1"));
        awaitOnHand("al-over", -2);

        eventually(() -> assertThat(ALERTS.received("oversold", "al-over")).hasSize(1));
        JsonNode alert = ALERTS.received("oversold", "al-over").get(0);
        assertThat(alert.path("detail").asText()).contains("on-hand -2");
        assertThat(alert.path("source").asText()).isEqualTo("tally");
        assertThat(ALERTS.authorizations()).contains("Bearer " + ALERTS_TOKEN);
        eventually(() -> assertThat(
                        listed("oversold", "al-over").get(0).path("sentAt").isNull())
                .isFalse());
        // Later scans find the same episode: no second alert.
        stays(
                Duration.ofMillis(1500),
                () -> assertThat(ALERTS.received("oversold", "al-over")).hasSize(1));
        assertThat(listed("oversold", "al-over")).hasSize(1);
    }

    @Test
    void anEndpointThatIsDownGetsTheAlertOnceItIsBack() {
        ALERTS.failWith(503);
        try {
            declare("main", "al-down", "sku", "al-down", "level", 0);
            api.accepted(Ev.sale("main").sku("al-down").qty(1).order("al-o2", "l1"));
            eventually(() -> {
                JsonNode a = listed("oversold", "al-down").get(0);
                assertThat(a.path("attempts").asInt()).isPositive();
                assertThat(a.path("lastError").asText()).isEqualTo("HTTP 503");
                assertThat(a.path("sentAt").isNull()).isTrue();
            });
        } finally {
            ALERTS.failWith(0);
        }
        eventually(() -> assertThat(ALERTS.received("oversold", "al-down")).hasSize(1));
        eventually(() -> assertThat(
                        listed("oversold", "al-down").get(0).path("lastError").isNull())
                .isTrue());
    }

    @Test
    void failingPushesAreReportedPerStore() {
        declare("flaky", "al-flaky", "sku", "al-flaky", "level", 5);
        FAULT_SIM.failAlways(500);
        try {
            api.post("/api/items/al-flaky/adjustments", Map.of("delta", 2, "reason", "alert test"));
            eventually(() -> {
                List<JsonNode> alerts = ALERTS.received("push-failing", "flaky");
                assertThat(alerts).isNotEmpty();
                assertThat(alerts.get(alerts.size() - 1).path("detail").asText())
                        .contains("pushes to store flaky are failing")
                        .contains("dead-lettered");
            });
        } finally {
            FAULT_SIM.recover();
        }
        api.post("/api/stores/flaky/redrive", null);
        awaitPushed(FAULT_SIM, "flaky", "al-flaky", 7);
    }

    @Test
    void aStoppedPollerAndALargeReconciliationAreReported() {
        // What the Amazon and Walmart pollers and the reconciler write, as they would write it.
        jdbc.update("""
                INSERT INTO poll_cursor (store, feed, position, polled_at, succeeded_at, error)
                VALUES ('main', 'alert-test-feed', 'x', now() - interval '2 hours', now() - interval '2 hours', 'HTTP 403')
                """);
        long run = jdbc.queryForObject("""
                INSERT INTO reconciliation (store, trigger, finished_at, checked, corrections)
                VALUES ('main', 'alert-test', now(), 40, 7) RETURNING id
                """, Long.class);
        long small = jdbc.queryForObject("""
                INSERT INTO reconciliation (store, trigger, finished_at, checked, corrections)
                VALUES ('bc', 'alert-test', now(), 40, 2) RETURNING id
                """, Long.class);
        try {
            eventually(() -> {
                List<JsonNode> stopped = ALERTS.received("poller-stopped", "main/alert-test-feed");
                assertThat(stopped).hasSize(1);
                assertThat(stopped.get(0).path("detail").asText())
                        .contains("has not polled successfully since")
                        .contains("last error: HTTP 403");
                List<JsonNode> corrected = ALERTS.received("reconciliation-corrected", "main");
                assertThat(corrected).isNotEmpty();
                assertThat(corrected.get(corrected.size() - 1).path("detail").asText())
                        .isEqualTo("reconciliation " + run + " of store main corrected 7 listing(s) of 40"
                                + " (alert threshold 2)");
            });
            assertThat(ALERTS.received("reconciliation-corrected", "bc"))
                    .as("2 corrections are not above the threshold of 2 (run %d)", small)
                    .isEmpty();
        } finally {
            jdbc.update("DELETE FROM poll_cursor WHERE feed = 'alert-test-feed'");
            jdbc.update("DELETE FROM reconciliation WHERE trigger = 'alert-test'");
        }
    }
}
