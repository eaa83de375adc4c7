package io.tally.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.sandbox.GenericChannelSimulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load for the fault tests: sender threads post sales and restocks over the HTTP API, each event until it is
 * acknowledged (202, or 200 for a repeat of one stored by an attempt whose answer was lost): a sender that gets a 5xx
 * or no connection tries again with the same event id, as a webhook sender does. The model is what was acknowledged,
 * and {@link #assertEverythingBookedOnce} checks the hub against it: each acknowledged event booked exactly once, the
 * ledger summing to on-hand, nothing rejected, every listing on target. Two generic http peer stores ({@code f1},
 * {@code f2}) list every item.
 */
final class FaultLoad {

    static final String[] STORES = {"f1", "f2"};
    static final long SEED = 100_000;

    /** An acknowledged event: its item, its effect on on-hand, and when it was acknowledged. */
    record Acked(String id, String sku, long delta, long atNanos) {}

    /** A health probe answer at a time: UP, DOWN, or ERR when the probe got no answer. */
    record HealthSample(long atNanos, String status) {}

    /** Where reads go; the survivor once a replica is killed. */
    private volatile TallyClient api;
    /** Where events go, in turn: a load balancer's pool of replicas (one hub in most fault tests). */
    private final List<TallyClient> replicas = new CopyOnWriteArrayList<>();

    private final AtomicInteger nextReplica = new AtomicInteger();
    private final GenericChannelSimulator sim;
    private final String prefix;
    private final List<String> skus = new ArrayList<>();
    final ConcurrentLinkedQueue<Acked> acknowledged = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
    final AtomicInteger serverErrors = new AtomicInteger();
    final AtomicInteger noConnection = new AtomicInteger();
    final AtomicInteger retried = new AtomicInteger();
    final AtomicInteger startingAnswers = new AtomicInteger();
    final List<HealthSample> health = new CopyOnWriteArrayList<>();
    private final List<Thread> senders = new ArrayList<>();
    private Thread healthPoller;
    private volatile boolean generating;
    private volatile boolean polling;

    FaultLoad(TallyClient api, GenericChannelSimulator sim, String prefix, int items) {
        this(List.of(api), sim, prefix, items);
    }

    /** Load spread over several replicas in turn; a retry goes to the next one, as a balancer's retry does. */
    FaultLoad(List<TallyClient> replicas, GenericChannelSimulator sim, String prefix, int items) {
        this.replicas.addAll(replicas);
        this.api = replicas.get(0);
        this.sim = sim;
        this.prefix = prefix;
        for (int i = 0; i < items; i++) {
            skus.add(prefix + "-sku-" + i);
        }
    }

    String ref(String store, String sku) {
        return store + "-" + sku;
    }

    /** Every item listed in both stores, seeded by f1 (master). Retries while the hub is still starting. */
    void declareItems() {
        for (String sku : skus) {
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions()
                    .untilAsserted(() -> {
                        api.declare("f1", ref("f1", sku), Map.of("sku", sku, "master", true, "level", SEED));
                        api.declare("f2", ref("f2", sku), Map.of("sku", sku));
                    });
        }
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            for (String sku : skus) {
                assertThat(api.onHand(sku)).isEqualTo(SEED);
            }
        });
    }

    void startSenders(int threads) {
        generating = true;
        for (int t = 0; t < threads; t++) {
            Random rnd = new Random(31L * t + prefix.hashCode());
            int thread = t;
            Thread sender = new Thread(
                    () -> {
                        int n = 0;
                        while (generating) {
                            String sku = skus.get(rnd.nextInt(skus.size()));
                            String store = STORES[rnd.nextInt(STORES.length)];
                            long qty = 1 + rnd.nextInt(3);
                            boolean sale = rnd.nextInt(4) != 0;
                            Ev event = sale
                                    ? Ev.sale(store)
                                            .ref(ref(store, sku))
                                            .qty(qty)
                                            .order(prefix + "-o-" + thread + "-" + n++, "l1")
                                    : Ev.restock(store).ref(ref(store, sku)).qty(qty);
                            sendUntilAcknowledged(event, sku, sale ? -qty : qty);
                        }
                    },
                    prefix + "-sender-" + t);
            sender.setDaemon(true);
            sender.start();
            senders.add(sender);
        }
    }

    private void sendUntilAcknowledged(Ev event, String sku, long delta) {
        long giveUpAt = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        for (int attempt = 0; ; attempt++) {
            if (attempt > 0) {
                retried.incrementAndGet();
                sleep(100);
            }
            if (System.nanoTime() > giveUpAt) {
                unexpected.add("never acknowledged: " + event);
                return;
            }
            TallyClient.Resp r;
            try {
                r = replicas.get(Math.floorMod(nextReplica.getAndIncrement(), replicas.size()))
                        .postEvent(event);
            } catch (RuntimeException e) {
                noConnection.incrementAndGet();
                continue;
            }
            if (r.status() == 202 || r.status() == 200) {
                acknowledged.add(new Acked(event.id(), sku, delta, System.nanoTime()));
                return;
            }
            if (r.status() >= 500) {
                serverErrors.incrementAndGet();
                continue;
            }
            if (r.status() == 404
                    && "/api/events"
                            .equals(
                                    r.json() == null
                                            ? null
                                            : r.json().path("instance").asText())) {
                // A hub still starting does not serve the path yet (issue 17 defect 1, the start-up race, fixed on
                // another branch): nothing was stored, so the sender tries again.
                startingAnswers.incrementAndGet();
                continue;
            }
            unexpected.add(r + " for " + event);
            return;
        }
    }

    /** The balancer takes a dead replica out of its pool; reads go to {@code survivor}. */
    void dropReplica(TallyClient dead, TallyClient survivor) {
        replicas.remove(dead);
        api = survivor;
    }

    /** Lets every sender finish (acknowledge) the event it is sending, then stops them. */
    void stopSenders() throws InterruptedException {
        generating = false;
        for (Thread sender : senders) {
            sender.join(90_000);
        }
    }

    /** Polls GET /actuator/health on the management port every 200 ms (probe timeout 3 s). */
    void pollHealth(java.util.function.IntSupplier managementPort) {
        polling = true;
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        healthPoller = new Thread(
                () -> {
                    while (polling) {
                        String status;
                        try {
                            HttpResponse<String> r = http.send(
                                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort.getAsInt()
                                                    + "/actuator/health"))
                                            .timeout(Duration.ofSeconds(3))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
                            JsonNode body = TallyClient.parse(r.body());
                            status = body == null ? "ERR" : body.path("status").asText("ERR");
                        } catch (Exception e) {
                            status = "ERR";
                        }
                        health.add(new HealthSample(System.nanoTime(), status));
                        sleep(200);
                    }
                },
                prefix + "-health");
        healthPoller.setDaemon(true);
        healthPoller.start();
    }

    void stopHealth() throws InterruptedException {
        polling = false;
        if (healthPoller != null) {
            healthPoller.join(10_000);
        }
    }

    /** The first sample at or after {@code from} with this status, or -1. */
    long firstHealth(String status, long fromNanos) {
        for (HealthSample s : health) {
            if (s.atNanos() >= fromNanos && s.status().equals(status)) {
                return s.atNanos();
            }
        }
        return -1;
    }

    /** Each change of the health status, as "status@ms" relative to {@code originNanos}. */
    List<String> healthChanges(long originNanos) {
        List<String> changes = new ArrayList<>();
        String last = null;
        for (HealthSample s : health) {
            if (!s.status().equals(last)) {
                changes.add(s.status() + "@" + (s.atNanos() - originNanos) / 1_000_000);
                last = s.status();
            }
        }
        return changes;
    }

    long acknowledgedBetween(long fromNanos, long toNanos) {
        return acknowledged.stream()
                .filter(a -> a.atNanos() >= fromNanos && a.atNanos() <= toNanos)
                .count();
    }

    /** Expected on-hand per item: the seed plus what every acknowledged event did. */
    Map<String, Long> expected() {
        Map<String, Long> expected = new LinkedHashMap<>();
        skus.forEach(s -> expected.put(s, SEED));
        acknowledged.forEach(a -> expected.merge(a.sku(), a.delta(), Long::sum));
        return expected;
    }

    /** Waits (up to {@code within}) for the hub to book everything, then checks the books against the model. */
    void assertEverythingBookedOnce(Duration within) {
        assertThat(unexpected).as("answers a sender did not expect").isEmpty();
        Map<String, Long> expected = expected();
        List<String> open = new ArrayList<>();
        try {
            await().atMost(within)
                    .pollInterval(Duration.ofMillis(250))
                    .ignoreExceptions()
                    .untilAsserted(() -> {
                        open.clear();
                        for (String status : List.of("pending", "waiting", "parked", "rejected")) {
                            for (JsonNode e : api.events(status)) {
                                if (List.of(STORES).contains(e.path("store").asText())) {
                                    open.add(status + " " + e);
                                }
                            }
                        }
                        assertThat(open).as("events not booked").isEmpty();
                        for (String sku : skus) {
                            assertThat(api.onHand(sku)).as("onHand of %s", sku).isEqualTo(expected.get(sku));
                        }
                    });
        } catch (AssertionError e) {
            System.out.println(prefix + ": open events " + open.size() + ", e.g. "
                    + open.stream().limit(10).toList());
            throw e;
        }
        Map<String, Acked> byId = new HashMap<>();
        acknowledged.forEach(a -> byId.put(a.id(), a));
        Map<String, Integer> entries = new HashMap<>();
        for (String sku : skus) {
            long sum = 0;
            for (JsonNode entry : api.ledger(sku)) {
                sum += entry.path("delta").asLong();
                String eventId = entry.path("eventId").asText("");
                if (!eventId.isEmpty() && !entry.path("eventId").isNull()) {
                    entries.merge(eventId, 1, Integer::sum);
                    Acked acked = byId.get(eventId);
                    assertThat(acked)
                            .as("ledger entry of an event never acknowledged: %s", entry)
                            .isNotNull();
                    assertThat(entry.path("delta").asLong())
                            .as("delta of %s", entry)
                            .isEqualTo(acked.delta());
                }
            }
            assertThat(sum).as("ledger of %s sums to on-hand", sku).isEqualTo(api.onHand(sku));
        }
        List<String> notOnce = new ArrayList<>();
        byId.keySet().forEach(id -> {
            if (entries.getOrDefault(id, 0) != 1) {
                notOnce.add(id + " x" + entries.getOrDefault(id, 0));
            }
        });
        assertThat(notOnce).as("acknowledged events not booked exactly once").isEmpty();
        // Every listing ends on its target, which is the on-hand (peers, no safety stock).
        await().atMost(within)
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptions()
                .untilAsserted(() -> {
                    for (String sku : skus) {
                        for (String store : STORES) {
                            JsonNode listing = api.listing(store, ref(store, sku));
                            assertThat(listing.path("target").asLong())
                                    .as("target of %s", listing)
                                    .isEqualTo(expected.get(sku));
                            assertThat(sim.level(store, ref(store, sku)))
                                    .as("channel level of %s/%s", store, sku)
                                    .isEqualTo(expected.get(sku).intValue());
                        }
                    }
                });
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
