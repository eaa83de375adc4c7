package io.tally.channel.amazon;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tally.channel.amazon.AmazonOrderMapper.Item;
import io.tally.channel.amazon.AmazonOrderMapper.Mapped;
import io.tally.channel.amazon.AmazonOrderStates.Known;
import io.tally.channel.amazon.AmazonOrderStates.OrderState;
import io.tally.channel.polling.ChannelPoller;
import io.tally.channel.polling.PollCursors;
import io.tally.channel.polling.PollingProperties;
import io.tally.event.CanonicalEvent;
import io.tally.event.EventIntake;
import io.tally.event.InboxRepository.PendingEvent;
import io.tally.event.IntakeResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Polls one seller's orders (Orders v0 {@code getOrders} by {@code LastUpdatedAfter}, {@code NextToken} paging,
 * {@code getOrderItems} per new order) and stores them as canonical events.
 *
 * <p>The cursor ({@code poll_cursor}, feed {@code orders}) is where the next window starts. It never passes
 * {@code now − visibility-lag} (the 2-minute rule: Amazon may list a change that recent only later), and each poll
 * re-reads {@code overlap} before it, so a late-listed order is still read. Re-read orders are cheap: an order whose
 * status has not changed since it was stored ({@code amazon_order}) is skipped, and a status change reuses the items
 * it stored. Every page's events are committed with the orders' new state; the last page's transaction also moves the
 * cursor, so a crash keeps both or neither, and the next poll reads the window again (event ids are business keys:
 * the inbox stores each fact once). Locking, failure logging and the poll metrics are {@link ChannelPoller}'s.
 */
@Component("amazonOrderPoller")
public class AmazonOrderPoller extends ChannelPoller<List<PendingEvent>> {

    private static final Logger log = LoggerFactory.getLogger(AmazonOrderPoller.class);
    static final String FEED = "orders";

    private final SpApiClient client;
    private final AmazonStores stores;
    private final AmazonProperties properties;
    private final EventIntake intake;
    private final AmazonOrderStates orderStates;
    private final MeterRegistry meters;

    public AmazonOrderPoller(
            SpApiClient client,
            AmazonStores stores,
            AmazonProperties properties,
            EventIntake intake,
            AmazonOrderStates orderStates,
            MeterRegistry meters,
            PollCursors cursors,
            PollingProperties polling) {
        super(
                new Identity("Amazon", FEED, "tally.amazon.polls", "Amazon order polls, by outcome", "ok"),
                cursors,
                meters,
                polling);
        this.client = client;
        this.stores = stores;
        this.properties = properties;
        this.intake = intake;
        this.orderStates = orderStates;
        this.meters = meters;
    }

    /**
     * Reads what changed since the cursor. A failure (Amazon down, throttled beyond the wait) is recorded on the
     * cursor and logged; what was stored before it stays stored, and the next poll goes on from the same cursor.
     * The result is the stored events, for the ledger.
     */
    @Override
    protected Polled<List<PendingEvent>> read(String store) {
        List<PendingEvent> stored = new ArrayList<>();
        Instant started = Instant.now();
        Instant cursor = cursors.position(store, FEED);
        Instant from = cursor == null
                ? started.minusMillis(properties.initialLookbackMs())
                : cursor.minusMillis(properties.overlapMs());
        if (from.isAfter(started)) {
            from = started;
        }
        int orders = 0;
        try {
            // getOrders refills slowly (one a minute by default): when its bucket is empty, this poll is skipped.
            if (!client.tryReserve(store, AmazonProperties.GET_ORDERS, 0)) {
                return Polled.skipped("skipped_rate_limit", stored);
            }
            Map<String, String> query = new LinkedHashMap<>();
            query.put("MarketplaceIds", stores.marketplaceId(store));
            query.put(
                    "LastUpdatedAfter",
                    from.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
            query.put("FulfillmentChannels", String.join(",", properties.fulfillmentChannels()));
            query.put("MaxResultsPerPage", String.valueOf(properties.maxResultsPerPage()));
            JsonNode payload = client.getReserved(store, AmazonProperties.GET_ORDERS, "/orders/v0/orders", query)
                    .path("payload");
            Instant bound = AmazonOrderMapper.time(payload, "LastUpdatedBefore");
            Instant upTo = (bound == null || bound.isAfter(started) ? started : bound)
                    .minusMillis(properties.visibilityLagMs());
            Instant newCursor = cursor != null && cursor.isAfter(upTo) ? cursor : upTo;
            while (true) {
                String next = AmazonOrderMapper.text(payload, "NextToken");
                orders += payload.path("Orders").size();
                stored.addAll(storePage(store, payload.path("Orders"), next == null ? newCursor : null));
                if (next == null) {
                    break;
                }
                payload = client.get(
                                store,
                                AmazonProperties.GET_ORDERS,
                                "/orders/v0/orders",
                                Map.of("MarketplaceIds", stores.marketplaceId(store), "NextToken", next))
                        .path("payload");
            }
            log.debug(
                    "Amazon store {}: polled {} order(s) since {}, {} new event(s), cursor {}",
                    store,
                    orders,
                    from,
                    stored.size(),
                    newCursor);
            return Polled.read(stored);
        } catch (RuntimeException e) {
            if (e instanceof PartialPollException partial) {
                stored.addAll(partial.stored);
            }
            throw new FailedPoll(e, stored, orders, from);
        }
    }

    @Override
    protected Failure<List<PendingEvent>> failure(String store, RuntimeException e) {
        if (!(e instanceof FailedPoll failed)) {
            return new Failure<>(List.of(), abbreviate(e.getMessage()), "", null);
        }
        return new Failure<>(
                failed.stored,
                abbreviate(e.getMessage()),
                " after " + failed.orders + " order(s) (" + failed.stored.size() + " event(s) stored)",
                failed.from);
    }

    @Override
    protected List<PendingEvent> notPolled(String store) {
        return List.of();
    }

    /** One page: events and the orders' new state in one transaction; the cursor too when it is the last page. */
    private List<PendingEvent> storePage(String store, JsonNode orders, Instant moveCursorTo) {
        List<String> ids = new ArrayList<>();
        for (JsonNode order : orders) {
            String id = AmazonOrderMapper.text(order, "AmazonOrderId");
            if (id != null) {
                ids.add(id);
            }
        }
        Map<String, Known> known = orderStates.known(store, ids);
        List<CanonicalEvent> events = new ArrayList<>();
        List<OrderState> states = new ArrayList<>();
        var bookOn = stores.store(store).bookOn();
        RuntimeException failure = null;
        for (JsonNode order : orders) {
            String id = AmazonOrderMapper.text(order, "AmazonOrderId");
            String status = AmazonOrderMapper.text(order, "OrderStatus");
            Instant updated = AmazonOrderMapper.time(order, "LastUpdateDate");
            if (id == null || status == null || updated == null) {
                reject(
                        store,
                        "an order without AmazonOrderId, OrderStatus or LastUpdateDate: "
                                + abbreviate(order.toString()));
                continue;
            }
            Known before = known.get(id);
            if (before != null && before.status().equals(status) && !updated.isAfter(before.lastUpdate())) {
                continue; // read again by the overlapping window: nothing new
            }
            List<Item> items;
            try {
                items = before != null ? before.items() : items(store, id);
            } catch (RuntimeException e) {
                failure = e; // keep what this page read so far; the rest is read again by the next poll
                moveCursorTo = null;
                break;
            }
            String previousStage = before == null ? null : before.saleStage();
            Mapped mapped;
            if (AmazonOrderMapper.isKnownStatus(status)) {
                mapped = AmazonOrderMapper.map(store, bookOn, order, items, previousStage);
            } else {
                log.info("Amazon store {}: order {} has status {}, which Tally does not book", store, id, status);
                mapped = new Mapped(List.of(), previousStage);
            }
            events.addAll(mapped.events());
            states.add(new OrderState(id, status, updated, mapped.saleStage(), items, order.toString()));
        }
        if (events.isEmpty() && states.isEmpty() && moveCursorTo == null) {
            if (failure != null) {
                throw failure;
            }
            return List.of();
        }
        Instant cursorTo = moveCursorTo;
        IntakeResult result = intake.storeWith(events, () -> {
            orderStates.save(store, states);
            if (cursorTo != null) {
                cursors.advance(store, FEED, cursorTo);
            }
        });
        if (failure != null) {
            throw new PartialPollException(failure, result.stored());
        }
        return result.stored();
    }

    /** getOrderItems, every page; lines without a SellerSKU are logged as rejected (kept in amazon_order.payload). */
    private List<Item> items(String store, String orderId) {
        List<Item> items = new ArrayList<>();
        String next = null;
        do {
            Map<String, String> query = next == null ? Map.of() : Map.of("NextToken", next);
            JsonNode payload = client.get(
                            store,
                            AmazonProperties.GET_ORDER_ITEMS,
                            "/orders/v0/orders/" + SpApiClient.enc(orderId) + "/orderItems",
                            query)
                    .path("payload");
            for (JsonNode item : payload.path("OrderItems")) {
                Item line = AmazonOrderMapper.item(item);
                if (line == null) {
                    reject(
                            store,
                            "order " + orderId + ": a line without OrderItemId, SellerSKU or a QuantityOrdered "
                                    + ">= 0 is not booked: " + abbreviate(item.toString()));
                    continue;
                }
                items.add(line);
            }
            next = AmazonOrderMapper.text(payload, "NextToken");
        } while (next != null);
        return items;
    }

    private void reject(String store, String what) {
        Counter.builder("tally.amazon.rejected")
                .description("Amazon order data Tally could not book (logged, kept in amazon_order)")
                .tag("store", store)
                .register(meters)
                .increment();
        log.warn("Amazon store {}: rejected {}", store, what);
    }

    /** A page failed part-way: what was read before the failure is stored and must still reach the ledger. */
    private static final class PartialPollException extends RuntimeException {
        final List<PendingEvent> stored;

        PartialPollException(RuntimeException cause, List<PendingEvent> stored) {
            super(cause.getMessage(), cause);
            this.stored = stored;
        }
    }

    /** The poll failed: how far it got, for the log, the ledger and a first cursor. */
    private static final class FailedPoll extends RuntimeException {
        final List<PendingEvent> stored;
        final int orders;
        final Instant from;

        FailedPoll(RuntimeException cause, List<PendingEvent> stored, int orders, Instant from) {
            super(cause.getMessage(), cause, false, false);
            this.stored = stored;
            this.orders = orders;
            this.from = from;
        }
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 500 ? s.substring(0, 500) + "…" : s;
    }
}
