package io.tally.ops;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * Gauges and counters read from the database through {@link StoreOpsReader} (cached, so a scrape costs at most one
 * set of queries per cache period). Stores are the configured ones plus any store found in the tables.
 *
 * <pre>
 * tally_events_received_total{store}          inbox rows (events stored, duplicates excluded)
 * tally_events_applied_total{store}           inbox rows applied to the ledger
 * tally_inbox_backlog{store,status}           pending | waiting | parked | rejected
 * tally_dead_letters_open{store}
 * tally_listings_out_of_sync{store}           target differs from the level the channel holds
 * tally_push_last_success_age_seconds{store}  time since the newest successful push (NaN: never)
 * tally_items_oversold                        stock items with on_hand below 0
 * </pre>
 */
final class TallyMetrics implements MeterBinder {

    private final StoreOpsReader reader;
    private final Clock clock;
    private final Set<String> bound = ConcurrentHashMap.newKeySet();
    private volatile MeterRegistry registry;

    TallyMetrics(StoreOpsReader reader, Clock clock) {
        this.reader = reader;
        this.clock = clock;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("tally.items.oversold", reader, r -> r.snapshot().oversoldItems())
                .description("Stock items whose on-hand is below zero (a real oversell)")
                .register(registry);
        reader.onRefresh(s -> s.stores().keySet().forEach(this::bindStore));
        reader.snapshot().stores().keySet().forEach(this::bindStore);
    }

    private void bindStore(String store) {
        MeterRegistry r = registry;
        if (r == null || !bound.add(store)) {
            return;
        }
        FunctionCounter.builder("tally.events.received", reader, figure(store, f -> f.received()))
                .description("Events stored in the inbox (duplicates are not stored twice)")
                .tag("store", store)
                .register(r);
        FunctionCounter.builder("tally.events.applied", reader, figure(store, f -> f.applied()))
                .description("Inbox events applied to the ledger")
                .tag("store", store)
                .register(r);
        backlog(r, store, "pending", f -> f.pending());
        backlog(r, store, "waiting", f -> f.waiting());
        backlog(r, store, "parked", f -> f.parked());
        backlog(r, store, "rejected", f -> f.rejected());
        Gauge.builder("tally.dead.letters.open", reader, figure(store, f -> f.deadLettersOpen()))
                .description("Pushes that failed for good and wait for review or redrive")
                .tag("store", store)
                .register(r);
        Gauge.builder("tally.listings.out.of.sync", reader, figure(store, f -> f.outOfSync()))
                .description("Visible listings whose target differs from the level the channel holds")
                .tag("store", store)
                .register(r);
        Gauge.builder(
                        "tally.push.last.success.age",
                        reader,
                        figure(
                                store,
                                f -> f.lastPushAt() == null
                                        ? Double.NaN
                                        : (clock.millis() - f.lastPushAt().toEpochMilli()) / 1000.0))
                .description("Seconds since the newest successful push to this store (NaN: never pushed)")
                .baseUnit("seconds")
                .tag("store", store)
                .register(r);
        Gauge.builder(
                        "tally.poll.last.success.age",
                        reader,
                        figure(
                                store,
                                f -> f.lastPollAt() == null
                                        ? Double.NaN
                                        : (clock.millis() - f.lastPollAt().toEpochMilli()) / 1000.0))
                .description("Seconds since this store's orders were last polled successfully (NaN: not polled)")
                .baseUnit("seconds")
                .tag("store", store)
                .register(r);
    }

    private void backlog(
            MeterRegistry r, String store, String status, ToDoubleFunction<StoreOpsReader.StoreFigures> value) {
        Gauge.builder("tally.inbox.backlog", reader, figure(store, value))
                .description("Inbox events not applied, by status")
                .tags("store", store, "status", status)
                .register(r);
    }

    private static ToDoubleFunction<StoreOpsReader> figure(
            String store, ToDoubleFunction<StoreOpsReader.StoreFigures> value) {
        return r -> value.applyAsDouble(r.snapshot().store(store));
    }
}
