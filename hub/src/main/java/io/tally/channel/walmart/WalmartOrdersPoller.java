package io.tally.channel.walmart;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.tally.channel.polling.ChannelPoller;
import io.tally.channel.polling.PollCursors;
import io.tally.channel.polling.PollingProperties;
import io.tally.channel.walmart.WalmartApiClient.Operation;
import io.tally.event.CanonicalEvent;
import io.tally.event.EventIntake;
import io.tally.event.InboxRepository.PendingEvent;
import io.tally.event.IntakeResult;
import io.tally.event.InvalidEventException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The backup to Walmart's webhooks: reads the store's orders with {@code GET /v3/orders} (following
 * {@code nextCursor}) over a window that starts {@code poll-overlap-ms} before the previous poll started, and stores
 * their events together with the new cursor in one transaction ({@code poll_cursor}, feed {@code orders}). Orders
 * already told by a webhook or an earlier poll are deduped by their business-key event ids.
 *
 * <p>The first poll of a store only sets the cursor: orders from before Tally watched the store are already in the
 * levels its listings were seeded from. Locking, failure logging and the poll metrics are {@link ChannelPoller}'s.
 */
@Component("walmartOrdersPoller")
public class WalmartOrdersPoller extends ChannelPoller<WalmartOrdersPoller.PollReport> {

    private static final Logger log = LoggerFactory.getLogger(WalmartOrdersPoller.class);
    static final String FEED = "orders";

    private final WalmartApiClient api;
    private final EventIntake intake;
    private final WalmartProperties properties;

    public WalmartOrdersPoller(
            WalmartApiClient api,
            EventIntake intake,
            MeterRegistry meters,
            WalmartProperties properties,
            PollCursors cursors,
            PollingProperties polling) {
        super(
                new Identity("Walmart", FEED, "tally.walmart.polls", "Walmart orders polls, by outcome", "succeeded"),
                cursors,
                meters,
                polling);
        this.api = api;
        this.intake = intake;
        this.properties = properties;
    }

    /**
     * One poll's outcome.
     *
     * @param stored events new to the inbox, for the ledger
     * @param error  why the poll failed (nothing stored, cursor unchanged), else null
     */
    public record PollReport(
            String store,
            Instant from,
            int orders,
            int pages,
            int events,
            List<PendingEvent> stored,
            int rejectedOrders,
            boolean truncated,
            String error) {}

    @Override
    protected Polled<PollReport> read(String store) {
        Instant started = Instant.now();
        Instant position = cursors.position(store, FEED);
        if (position == null) {
            cursors.advance(store, FEED, started);
            log.info("Walmart store {}: orders poller starts from {}", store, started);
            return Polled.uncounted(new PollReport(store, started, 0, 0, 0, List.of(), 0, false, null));
        }
        Instant from = position.minusMillis(properties.pollOverlapMs());
        try {
            return Polled.read(read(store, from, started));
        } catch (RuntimeException e) {
            throw new FailedPoll(e, position, from);
        }
    }

    @Override
    protected Failure<PollReport> failure(String store, RuntimeException e) {
        Throwable cause = e instanceof FailedPoll ? e.getCause() : e;
        String error = cause.getClass().getSimpleName() + ": " + cause.getMessage();
        Instant from = e instanceof FailedPoll failed ? failed.from : null;
        String context = e instanceof FailedPoll failed ? ", cursor kept at " + failed.position : "";
        return new Failure<>(new PollReport(store, from, 0, 0, 0, List.of(), 0, false, error), error, context, null);
    }

    @Override
    protected PollReport notPolled(String store) {
        return new PollReport(store, null, 0, 0, 0, List.of(), 0, false, null);
    }

    /** The poll failed: where the cursor stays and the window it tried. */
    private static final class FailedPoll extends RuntimeException {
        final Instant position;
        final Instant from;

        FailedPoll(RuntimeException cause, Instant position, Instant from) {
            super(cause.getMessage(), cause, false, false);
            this.position = position;
            this.from = from;
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
            String cursor = WalmartJson.text(page.path("list").path("meta"), "nextCursor");
            next = cursor == null ? null : "/v3/orders" + (cursor.startsWith("?") ? cursor : "?" + cursor);
        }
        // A window with more orders than a poll may read keeps its start: the next poll reads it again (deduped)
        // rather than skip the oldest orders, which come last.
        Instant newPosition = truncated ? null : started;
        IntakeResult result = intake.storeWith(events, () -> cursors.advance(store, FEED, newPosition));
        if (truncated) {
            log.warn(
                    "Walmart store {}: more than {} pages of orders since {}; the window is read again next time"
                            + " (raise tally.walmart.poll-max-pages)",
                    store,
                    properties.pollMaxPages(),
                    from);
        }
        if (!result.stored().isEmpty()) {
            log.info(
                    "Walmart store {}: poll read {} order(s), {} new event(s)",
                    store,
                    orders,
                    result.stored().size());
        }
        return new PollReport(store, from, orders, pages, events.size(), result.stored(), rejected, truncated, null);
    }
}
