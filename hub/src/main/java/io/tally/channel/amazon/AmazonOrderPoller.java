package io.tally.channel.amazon;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tally.channel.amazon.AmazonOrderMapper.Item;
import io.tally.channel.amazon.AmazonOrderMapper.Mapped;
import io.tally.event.CanonicalEvent;
import io.tally.event.EventIntake;
import io.tally.event.InboxRepository.PendingEvent;
import io.tally.event.IntakeResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
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
 * the inbox stores each fact once).
 */
@Component("amazonOrderPoller")
public class AmazonOrderPoller {

    private static final Logger log = LoggerFactory.getLogger(AmazonOrderPoller.class);
    static final String FEED = "orders";
    private static final TypeReference<List<Item>> ITEMS = new TypeReference<>() {
    };

    private final SpApiClient client;
    private final AmazonStores stores;
    private final AmazonProperties properties;
    private final EventIntake intake;
    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper objectMapper;
    private final MeterRegistry meters;
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final Map<String, Boolean> failing = new ConcurrentHashMap<>();

    public AmazonOrderPoller(SpApiClient client, AmazonStores stores, AmazonProperties properties,
            EventIntake intake, NamedParameterJdbcTemplate jdbc, ObjectMapper objectMapper, MeterRegistry meters) {
        this.client = client;
        this.stores = stores;
        this.properties = properties;
        this.intake = intake;
        this.jdbc = jdbc;
        this.objectMapper = objectMapper;
        this.meters = meters;
    }

    private record Known(String status, Instant lastUpdate, String saleStage, List<Item> items) {
    }

    private record OrderState(String orderId, String status, Instant lastUpdate, String saleStage, String items,
            String payload) {
    }

    /**
     * Reads what changed since the cursor. A failure (Amazon down, throttled beyond the wait) is recorded on the
     * cursor and logged; what was stored before it stays stored, and the next poll goes on from the same cursor.
     *
     * @return the stored events for the ledger
     */
    public List<PendingEvent> poll(String store) {
        ReentrantLock lock = locks.computeIfAbsent(store, s -> new ReentrantLock());
        lock.lock();
        try {
            return pollLocked(store);
        } finally {
            lock.unlock();
        }
    }

    private List<PendingEvent> pollLocked(String store) {
        List<PendingEvent> stored = new ArrayList<>();
        Instant started = Instant.now();
        Instant cursor = cursor(store);
        Instant from = cursor == null ? started.minusMillis(properties.initialLookbackMs())
                : cursor.minusMillis(properties.overlapMs());
        if (from.isAfter(started)) {
            from = started;
        }
        int orders = 0;
        try {
            // getOrders refills slowly (one a minute by default): when its bucket is empty, this poll is skipped.
            if (!client.tryReserve(store, AmazonProperties.GET_ORDERS, 0)) {
                count(store, "skipped_rate_limit");
                return stored;
            }
            Map<String, String> query = new LinkedHashMap<>();
            query.put("MarketplaceIds", stores.marketplaceId(store));
            query.put("LastUpdatedAfter", from.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
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
                payload = client.get(store, AmazonProperties.GET_ORDERS, "/orders/v0/orders",
                        Map.of("MarketplaceIds", stores.marketplaceId(store), "NextToken", next)).path("payload");
            }
            count(store, "ok");
            if (failing.remove(store) != null) {
                log.info("Amazon store {}: order polls succeed again", store);
            }
            log.debug("Amazon store {}: polled {} order(s) since {}, {} new event(s), cursor {}", store, orders, from,
                    stored.size(), newCursor);
        } catch (RuntimeException e) {
            if (e instanceof PartialPollException partial) {
                stored.addAll(partial.stored);
            }
            count(store, "failed");
            if (failing.put(store, Boolean.TRUE) == null) {
                log.warn("Amazon store {}: order poll failed after {} order(s) ({} event(s) stored); polls go on from "
                        + "the same cursor (further failures are logged at debug level): {}", store, orders,
                        stored.size(), e.getMessage());
            } else {
                log.debug("Amazon store {}: order poll failed again: {}", store, e.getMessage());
            }
            jdbc.update("""
                    INSERT INTO poll_cursor (store, feed, position, polled_at, error)
                    VALUES (:store, :feed, :position, now(), :error)
                    ON CONFLICT (store, feed) DO UPDATE SET polled_at = now(), error = EXCLUDED.error
                    """, new MapSqlParameterSource("store", store).addValue("feed", FEED)
                    .addValue("position", from.toString()).addValue("error", abbreviate(e.getMessage())));
        }
        return stored;
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
        Map<String, Known> known = known(store, ids);
        List<CanonicalEvent> events = new ArrayList<>();
        List<OrderState> states = new ArrayList<>();
        var bookOn = stores.store(store).bookOn();
        RuntimeException failure = null;
        for (JsonNode order : orders) {
            String id = AmazonOrderMapper.text(order, "AmazonOrderId");
            String status = AmazonOrderMapper.text(order, "OrderStatus");
            Instant updated = AmazonOrderMapper.time(order, "LastUpdateDate");
            if (id == null || status == null || updated == null) {
                reject(store, "an order without AmazonOrderId, OrderStatus or LastUpdateDate: " + abbreviate(
                        order.toString()));
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
            states.add(new OrderState(id, status, updated, mapped.saleStage(), json(items), order.toString()));
        }
        if (events.isEmpty() && states.isEmpty() && moveCursorTo == null) {
            if (failure != null) {
                throw failure;
            }
            return List.of();
        }
        Instant cursorTo = moveCursorTo;
        IntakeResult result = intake.storeWith(events, () -> {
            saveStates(store, states);
            if (cursorTo != null) {
                moveCursor(store, cursorTo);
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
            JsonNode payload = client.get(store, AmazonProperties.GET_ORDER_ITEMS,
                    "/orders/v0/orders/" + SpApiClient.enc(orderId) + "/orderItems", query).path("payload");
            for (JsonNode item : payload.path("OrderItems")) {
                Item line = AmazonOrderMapper.item(item);
                if (line == null) {
                    reject(store, "order " + orderId + ": a line without OrderItemId, SellerSKU or a QuantityOrdered "
                            + ">= 0 is not booked: " + abbreviate(item.toString()));
                    continue;
                }
                items.add(line);
            }
            next = AmazonOrderMapper.text(payload, "NextToken");
        } while (next != null);
        return items;
    }

    private Map<String, Known> known(String store, List<String> ids) {
        Map<String, Known> known = new HashMap<>();
        if (ids.isEmpty()) {
            return known;
        }
        jdbc.query("""
                SELECT order_id, status, last_update, sale_stage, items::text AS items FROM amazon_order
                WHERE store = :store AND order_id IN (:ids)
                """, new MapSqlParameterSource("store", store).addValue("ids", ids), rs -> {
                    try {
                        known.put(rs.getString("order_id"), new Known(rs.getString("status"),
                                rs.getTimestamp("last_update").toInstant(), rs.getString("sale_stage"),
                                objectMapper.readValue(rs.getString("items"), ITEMS)));
                    } catch (JsonProcessingException e) {
                        throw new IllegalStateException("amazon_order items of " + rs.getString("order_id"), e);
                    }
                });
        return known;
    }

    private void saveStates(String store, List<OrderState> states) {
        for (OrderState s : states) {
            jdbc.update("""
                    INSERT INTO amazon_order (store, order_id, status, last_update, sale_stage, items, payload)
                    VALUES (:store, :order, :status, :updated, :stage, CAST(:items AS jsonb), CAST(:payload AS jsonb))
                    ON CONFLICT (store, order_id) DO UPDATE SET status = EXCLUDED.status,
                        last_update = EXCLUDED.last_update, sale_stage = EXCLUDED.sale_stage,
                        payload = EXCLUDED.payload, updated_at = now()
                    """, new MapSqlParameterSource("store", store).addValue("order", s.orderId())
                    .addValue("status", s.status()).addValue("updated", Timestamp.from(s.lastUpdate()))
                    .addValue("stage", s.saleStage()).addValue("items", s.items()).addValue("payload", s.payload()));
        }
    }

    private void moveCursor(String store, Instant position) {
        jdbc.update("""
                INSERT INTO poll_cursor (store, feed, position, polled_at, succeeded_at, error)
                VALUES (:store, :feed, :position, now(), now(), NULL)
                ON CONFLICT (store, feed) DO UPDATE SET position = EXCLUDED.position, polled_at = now(),
                    succeeded_at = now(), error = NULL
                """, new MapSqlParameterSource("store", store).addValue("feed", FEED)
                .addValue("position", position.toString()));
    }

    /** Where the next window starts, or null before the first successful poll. */
    Instant cursor(String store) {
        List<String> position = jdbc.queryForList("""
                SELECT position FROM poll_cursor WHERE store = :store AND feed = :feed AND succeeded_at IS NOT NULL
                """, Map.of("store", store, "feed", FEED), String.class);
        return position.isEmpty() ? null : Instant.parse(position.get(0));
    }

    private String json(List<Item> items) {
        try {
            return objectMapper.writeValueAsString(items);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void reject(String store, String what) {
        Counter.builder("tally.amazon.rejected")
                .description("Amazon order data Tally could not book (logged, kept in amazon_order)")
                .tag("store", store).register(meters).increment();
        log.warn("Amazon store {}: rejected {}", store, what);
    }

    private void count(String store, String result) {
        Counter.builder("tally.amazon.polls")
                .description("Amazon order polls, by outcome")
                .tags("store", store, "result", result)
                .register(meters).increment();
    }

    /** A page failed part-way: what was read before the failure is stored and must still reach the ledger. */
    private static final class PartialPollException extends RuntimeException {
        final List<PendingEvent> stored;

        PartialPollException(RuntimeException cause, List<PendingEvent> stored) {
            super(cause.getMessage(), cause);
            this.stored = stored;
        }
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 500 ? s.substring(0, 500) + "…" : s;
    }
}
