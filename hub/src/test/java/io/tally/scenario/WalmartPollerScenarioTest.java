package io.tally.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.channel.polling.PollCursors;
import io.tally.sandbox.walmart.WalmartSimulator;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The orders poller: the backup that books what webhooks lost, and never books twice what they told. */
class WalmartPollerScenarioTest extends WalmartScenarioBase {

    static final String FEED = "forward-only-test";

    @Autowired
    PollCursors cursors;

    @Test
    void aCursorOnlyMovesForward() {
        // Two hubs polling one store: the one that finishes last with an older window must not move the cursor back.
        // A store and feed of their own (removed at the end): the base class counts the stores' order cursors.
        String store = "cursor-only-forward";
        Instant second = Instant.parse("2026-03-01T10:00:05Z");
        Instant halfASecondLater = Instant.parse("2026-03-01T10:00:05.500Z"); // sorts before it as text
        try {
            cursors.failed(store, FEED, "first poll failed", Instant.parse("2026-03-01T11:00:00Z"));
            assertThat(cursors.position(store, FEED))
                    .as("a failed first poll is no cursor yet")
                    .isNull();
            cursors.advance(store, FEED, second);
            assertThat(cursors.position(store, FEED))
                    .as("replaces the failed poll's window")
                    .isEqualTo(second);
            cursors.advance(store, FEED, second.minusSeconds(60));
            assertThat(cursors.position(store, FEED))
                    .as("an older window keeps the cursor")
                    .isEqualTo(second);
            cursors.advance(store, FEED, halfASecondLater);
            assertThat(cursors.position(store, FEED)).isEqualTo(halfASecondLater);
            cursors.failed(store, FEED, "HTTP 503", null);
            assertThat(cursors.position(store, FEED))
                    .as("a failure keeps the cursor")
                    .isEqualTo(halfASecondLater);
            assertThat(cursorError(store)).isEqualTo("HTTP 503");
            cursors.advance(store, FEED, null);
            assertThat(cursors.position(store, FEED))
                    .as("null keeps the position")
                    .isEqualTo(halfASecondLater);
            assertThat(cursorError(store)).as("a success clears the error").isNull();
        } finally {
            jdbc.update("DELETE FROM poll_cursor WHERE store = :s", Map.of("s", store));
        }
    }

    private String cursorError(String store) {
        return jdbc.queryForObject(
                "SELECT error FROM poll_cursor WHERE store = :s AND feed = :f",
                Map.of("s", store, "f", FEED),
                String.class);
    }

    @Test
    void thePollerAloneBooksAnOrderWhoseNotificationWasLost() {
        item("wm-quiet", "WM-LAMP-P1", 12);
        awaitOnHand("wm-lamp-p1", 12);
        Instant placed = Instant.now();
        String po = placeOrder("wm-quiet", line("WM-LAMP-P1", 5));
        assertThat(WALMART.deliveries()).noneMatch(d -> d.body().contains(po));
        awaitOnHand("wm-lamp-p1", 7);
        awaitWalmartLevel("wm-quiet", "WM-LAMP-P1", 7);
        staysOnHand("wm-lamp-p1", 7);
        assertThat(sumLedger("wm-lamp-p1", "sale")).isEqualTo(-5);
        Map<String, Object> cursor = jdbc.queryForMap(
                "SELECT position, succeeded_at, error FROM poll_cursor WHERE store = 'wm-quiet' AND feed = 'orders'",
                Map.of());
        assertThat(Instant.parse((String) cursor.get("position"))).isAfter(placed);
        assertThat(((Timestamp) cursor.get("succeeded_at")).toInstant()).isAfter(placed);
        assertThat(cursor.get("error")).isNull();
    }

    @Test
    void anOrderSearchWithoutResultsIsASuccessfulPollThatMovesTheCursor() {
        // Walmart answers a search that finds nothing 404 CONTENT_NOT_FOUND (the simulator does too): that is an
        // empty window read in full, not a failed poll that keeps the cursor and logs a warning every time.
        Instant start = Instant.now();
        long searches = WALMART.stats(WalmartSimulator.GET_ALL_ORDERS).calls();
        eventually(() -> {
            Map<String, Object> cursor = jdbc.queryForMap(
                    "SELECT position, succeeded_at, error FROM poll_cursor"
                            + " WHERE store = 'wm-idle' AND feed = 'orders'",
                    Map.of());
            assertThat(cursor.get("error")).as("poll error of the idle store").isNull();
            assertThat(Instant.parse((String) cursor.get("position"))).isAfter(start);
            assertThat(((Timestamp) cursor.get("succeeded_at")).toInstant()).isAfter(start);
        });
        assertThat(WALMART.stats(WalmartSimulator.GET_ALL_ORDERS).calls()).isGreaterThan(searches);
        assertThat(api.events("applied"))
                .noneMatch(e -> e.path("store").asText().equals("wm-idle"));
    }

    @Test
    void thePollerReleasesALineCancelledWithoutANotification() {
        item("wm-quiet", "WM-RUG-P2", 8);
        awaitOnHand("wm-rug-p2", 8);
        String po = placeOrder("wm-quiet", line("WM-RUG-P2", 3));
        awaitOnHand("wm-rug-p2", 5);
        WALMART.cancelLine(po, "1");
        awaitOnHand("wm-rug-p2", 8);
        awaitWalmartLevel("wm-quiet", "WM-RUG-P2", 8);
        staysOnHand("wm-rug-p2", 8);
        assertThat(sumLedger("wm-rug-p2", "sale")).isEqualTo(-3);
        assertThat(sumLedger("wm-rug-p2", "cancel")).isEqualTo(3);
    }

    @Test
    void anOrderToldByTheWebhookAndReadByThePollerBooksOnce() {
        item("wm", "WM-CLOCK-P3", 40);
        awaitOnHand("wm-clock-p3", 40);
        String po = placeOrder("wm", line("WM-CLOCK-P3", 6));
        awaitOnHand("wm-clock-p3", 34);
        // Wait for two polls that started after the order: both read it (the overlap covers it) and store nothing.
        long before = WALMART.stats(WalmartSimulator.GET_ALL_ORDERS).calls();
        eventually(
                () -> assertThat(WALMART.stats(WalmartSimulator.GET_ALL_ORDERS).calls())
                        .isGreaterThan(before + 2L * STORES.size()));
        awaitWalmartLevel("wm", "WM-CLOCK-P3", 34);
        staysOnHand("wm-clock-p3", 34);
        assertThat(sumLedger("wm-clock-p3", "sale")).isEqualTo(-6);
        assertThat(api.events("applied"))
                .as("the line's sale is stored once per stage")
                .filteredOn(e -> e.path("id").asText().startsWith("order/" + po + "/line/1/"))
                .hasSize(2);
    }
}
