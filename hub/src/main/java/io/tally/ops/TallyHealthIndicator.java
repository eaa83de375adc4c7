package io.tally.ops;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * The {@code tally} health component: per store, the last successful push, listings out of sync, open dead letters
 * and the inbox backlog. It is DOWN only when the figures cannot be read; a backlog or dead letters are shown, not
 * turned into DOWN (a probe restarting the hub would not clear them). Alert on the Prometheus metrics instead.
 * When the database does not answer the {@link DatabaseProbe}, it is DOWN at once and reads nothing (a read would
 * wait for the pool's connection-timeout).
 */
final class TallyHealthIndicator implements HealthIndicator {

    private final StoreOpsReader reader;
    private final DatabaseProbe database;
    private final Clock clock;

    TallyHealthIndicator(StoreOpsReader reader, DatabaseProbe database, Clock clock) {
        this.reader = reader;
        this.database = database;
        this.clock = clock;
    }

    @Override
    public Health health() {
        DatabaseProbe.Result db = database.check();
        if (!db.reachable()) {
            return Health.down()
                    .withDetail("error", "database unreachable: " + db.error())
                    .build();
        }
        StoreOpsReader.Snapshot s = reader.snapshot();
        Health.Builder health = s.error() == null ? Health.up() : Health.down().withDetail("error", s.error());
        Map<String, Object> stores = new LinkedHashMap<>();
        s.stores().values().forEach(f -> stores.put(f.store(), store(f)));
        return health.withDetail("stores", stores)
                .withDetail("oversoldItems", s.oversoldItems())
                .withDetail("readAt", s.at().toString())
                .build();
    }

    private Map<String, Object> store(StoreOpsReader.StoreFigures f) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("lastPushAt", f.lastPushAt() == null ? null : f.lastPushAt().toString());
        d.put(
                "secondsSinceLastPush",
                f.lastPushAt() == null
                        ? null
                        : Duration.between(f.lastPushAt(), clock.instant()).toSeconds());
        if (f.lastPollAt() != null || f.pollError() != null) {
            d.put("lastPollAt", f.lastPollAt() == null ? null : f.lastPollAt().toString());
            d.put(
                    "secondsSinceLastPoll",
                    f.lastPollAt() == null
                            ? null
                            : Duration.between(f.lastPollAt(), clock.instant()).toSeconds());
            d.put("pollError", f.pollError());
        }
        d.put("listings", f.listings());
        d.put("listingsOutOfSync", f.outOfSync());
        d.put("deadLettersOpen", f.deadLettersOpen());
        Map<String, Object> inbox = new LinkedHashMap<>();
        inbox.put("pending", f.pending());
        inbox.put("waiting", f.waiting());
        inbox.put("parked", f.parked());
        inbox.put("rejected", f.rejected());
        d.put("inbox", inbox);
        return d;
    }
}
