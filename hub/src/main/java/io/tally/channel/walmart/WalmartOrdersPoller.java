package io.tally.channel.walmart;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tally.channel.walmart.WalmartApiClient.Operation;
import io.tally.event.CanonicalEvent;
import io.tally.event.EventIntake;
import io.tally.event.InboxRepository.PendingEvent;
import io.tally.event.IntakeResult;
import io.tally.event.InvalidEventException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The backup to Walmart's webhooks: reads the store's orders with {@code GET /v3/orders} (following
 * {@code nextCursor}) over a window that starts {@code poll-overlap-ms} before the previous poll started, and stores
 * their events together with the new cursor in one transaction ({@code poll_cursor}, feed {@code orders}). Orders
 * already told by a webhook or an earlier poll are deduped by their business-key event ids.
 *
 * <p>The first poll of a store only sets the cursor: orders from before Tally watched the store are already in the
 * levels its listings were seeded from.
 */
@Component("walmartOrdersPoller")
public class WalmartOrdersPoller {

    private static final Logger log = LoggerFactory.getLogger(WalmartOrdersPoller.class);
    static final String FEED = "orders";

    private final WalmartApiClient api;
    private final EventIntake intake;
    private final NamedParameterJdbcTemplate jdbc;
    private final MeterRegistry meters;
    private final WalmartProperties properties;

    public WalmartOrdersPoller(WalmartApiClient api, EventIntake intake, NamedParameterJdbcTemplate jdbc,
            MeterRegistry meters, WalmartProperties properties) {
        this.api = api;
        this.intake = intake;
        this.jdbc = jdbc;
        this.meters = meters;
        this.properties = properties;
    }

    /**
     * One poll's outcome.
     *
     * @param stored events new to the inbox, for the ledger
     * @param error  why the poll failed (nothing stored, cursor unchanged), else null
     */
    public record PollReport(String store, Instant from, int orders, int pages, int events, List<PendingEvent> stored,
            int rejectedOrders, boolean truncated, String error) {
    }

    public PollReport poll(String store) {
        Instant started = Instant.now();
        String position = position(store);
        if (position == null) {
            saveCursor(store, started);
            log.info("Walmart store {}: orders poller starts from {}", store, started);
            return new PollReport(store, started, 0, 0, 0, List.of(), 0, false, null);
        }
        Instant from = Instant.parse(position).minusMillis(properties.pollOverlapMs());
        try {
            return read(store, from, started);
        } catch (RuntimeException e) {
            String error = e.getClass().getSimpleName() + ": " + e.getMessage();
            recordFailure(store, error);
            count(store, "failed");
            log.warn("Walmart store {}: orders poll failed, cursor kept at {}: {}", store, position, error);
            return new PollReport(store, from, 0, 0, 0, List.of(), 0, false, error);
        }
    }

    private PollReport read(String store, Instant from, Instant started) {
        String window = "modified".equals(properties.pollWindow()) ? "lastModifiedStartDate" : "createdStartDate";
        String next = "/v3/orders?" + window + "=" + URLEncoder.encode(from.toString(), StandardCharsets.UTF_8)
                + "&limit=" + properties.pollPageSize();
        List<CanonicalEvent> events = new ArrayList<>();
        int orders = 0;
        int pages = 0;
        int rejected = 0;
        boolean truncated = false;
        String source = "{\"source\":\"orders-poll\"}";
        while (next != null) {
            if (pages == properties.pollMaxPages()) {
                truncated = true;
                break;
            }
            JsonNode page;
            try {
                page = api.get(store, Operation.GET_ORDERS, next);
            } catch (WalmartNotFoundException e) {
                if (!e.isEmptyOrderSearch()) {
                    throw e;
                }
                // Walmart answers a search without results 404 CONTENT_NOT_FOUND instead of an empty list: an empty
                // page, and the poll succeeded (the window was read in full).
                pages++;
                break;
            }
            pages++;
            for (JsonNode order : WalmartEventMapper.orders(page)) {
                orders++;
                try {
                    for (WalmartEventMapper.Line line : WalmartEventMapper.lines(order)) {
                        events.addAll(WalmartEventMapper.lineEvents(store, line, source));
                    }
                } catch (InvalidEventException e) {
                    // Walmart's own data: reading it again will not help. Logged and counted for review.
                    rejected++;
                    count(store, "rejected_order");
                    log.warn("Walmart store {}: order skipped by the poller: {}", store, e.getMessage());
                }
            }
            String cursor = WalmartEventMapper.text(page.path("list").path("meta"), "nextCursor");
            next = cursor == null ? null : "/v3/orders" + (cursor.startsWith("?") ? cursor : "?" + cursor);
        }
        // A window with more orders than a poll may read keeps its start: the next poll reads it again (deduped)
        // rather than skip the oldest orders, which come last.
        Instant newPosition = truncated ? null : started;
        IntakeResult result = intake.storeWith(events, () -> saveCursor(store, newPosition));
        if (truncated) {
            log.warn("Walmart store {}: more than {} pages of orders since {}; the window is read again next time"
                    + " (raise tally.walmart.poll-max-pages)", store, properties.pollMaxPages(), from);
        }
        count(store, "succeeded");
        if (!result.stored().isEmpty()) {
            log.info("Walmart store {}: poll read {} order(s), {} new event(s)", store, orders, result.stored().size());
        }
        return new PollReport(store, from, orders, pages, events.size(), result.stored(), rejected, truncated, null);
    }

    private String position(String store) {
        List<String> rows = jdbc.queryForList("SELECT position FROM poll_cursor WHERE store = :store AND feed = :feed",
                Map.of("store", store, "feed", FEED), String.class);
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** @param position the new start of the window, or null to keep the current one */
    private void saveCursor(String store, Instant position) {
        jdbc.update("""
                INSERT INTO poll_cursor (store, feed, position, polled_at, succeeded_at, error)
                VALUES (:store, :feed, :position, now(), now(), NULL)
                ON CONFLICT (store, feed) DO UPDATE SET
                    position = COALESCE(CAST(:newPosition AS text), poll_cursor.position),
                    polled_at = now(), succeeded_at = now(), error = NULL
                """, new MapSqlParameterSource("store", store).addValue("feed", FEED)
                .addValue("position", position == null ? Instant.now().toString() : position.toString())
                .addValue("newPosition", position == null ? null : position.toString()));
    }

    private void recordFailure(String store, String error) {
        jdbc.update("""
                UPDATE poll_cursor SET polled_at = now(), error = :error WHERE store = :store AND feed = :feed
                """, new MapSqlParameterSource("store", store).addValue("feed", FEED)
                .addValue("error", error.length() > 2000 ? error.substring(0, 2000) : error));
    }

    private void count(String store, String result) {
        Counter.builder("tally.walmart.polls")
                .description("Walmart orders polls, by outcome")
                .tags("store", store, "result", result)
                .register(meters).increment();
    }
}
