package io.tally.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.sandbox.GenericChannelSimulator;
import io.tally.sandbox.amazon.AmazonSimulator;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, deliverable 5: two hubs (JVMs of their own) on one real PostgreSQL, events spread over both by a balancer
 * stand-in, one hub killed with SIGKILL mid-load. Checked: the ledger is exact (every acknowledged event booked once,
 * the ledger sums to on-hand, every listing on target), an Amazon store's order poll runs once per interval in the
 * cluster (not once per replica) and goes on after the kill, every listing's pushes reach the channel in version
 * order, and each store's push limit holds for both replicas together.
 */
class ClusterReplicaKillTest {

    private static final String TOKEN = "cluster-kill-token";
    private static final long POLL_MS = 1000;
    private static final int PUSH_LIMIT = 10;
    private static final long CHECKIN_MS = 1000;
    /** Quartz's fixed grace before a silent scheduler counts as failed (ClusterManager, 7.5 s). */
    private static final long QUARTZ_GRACE_MS = 7500;

    private static final String AMAZON_STORE = "amz-c";
    private static final String SELLER = "AAMZCSELLER";

    @Test
    void twoReplicasUnderLoadWithOneKilledKeepTheLedgerExactPollOncePushInOrderAndHoldTheLimit() throws Exception {
        Path dataDir = ScenarioBase.freshDataDir("cluster-kill");
        AmazonSimulator amazon = new AmazonSimulator()
                .addSeller(SELLER, "client-c", "secret-c", "Atzr|refresh-c")
                .rateLimit(AmazonSimulator.GET_ORDERS, 20, 20)
                .start();
        List<Long> pollTimes = new CopyOnWriteArrayList<>();
        try (GenericChannelSimulator sim = new GenericChannelSimulator().start();
                KillablePostgres postgres = new KillablePostgres(dataDir);
                HubProcess a =
                        HubProcess.start(postgres, TOKEN, dataDir.resolveSibling("replica-a.log"), args(sim, amazon));
                HubProcess b =
                        HubProcess.start(postgres, TOKEN, dataDir.resolveSibling("replica-b.log"), args(sim, amazon))) {
            a.awaitUp();
            b.awaitUp();
            TallyClient apiA = a.client(TOKEN);
            TallyClient apiB = b.client(TOKEN);
            FaultLoad load = new FaultLoad(List.of(apiA, apiB), sim, "ck", 20);
            load.declareItems();
            Thread pollWatch = watchPolls(amazon, pollTimes);

            load.startSenders(6);
            long bothFrom = System.nanoTime();
            FaultLoad.sleep(8000);
            long killedAt = System.nanoTime();
            long ackedByBoth = load.acknowledged.size();
            a.kill();
            FaultLoad.sleep(2000); // the balancer's health check notices; until then its retries go to b
            load.dropReplica(apiA, apiB);
            FaultLoad.sleep(10_000);
            load.stopSenders();
            long stoppedAt = System.nanoTime();
            load.assertEverythingBookedOnce(Duration.ofSeconds(90));
            long settled = System.nanoTime();
            pollWatch.interrupt();

            // Polls: once per interval while both run, and on after the kill.
            long bothPolls = pollTimes.stream()
                    .filter(t -> t >= bothFrom && t < killedAt)
                    .count();
            long bothIntervals = (killedAt - bothFrom) / 1_000_000 / POLL_MS;
            long maxGapAcrossKillMs = maxGapMs(pollTimes, killedAt - 2 * POLL_MS * 1_000_000, stoppedAt);
            long afterKillPolls = pollTimes.stream()
                    .filter(t -> t >= killedAt && t < stoppedAt)
                    .count();

            // Pushes: version order per listing, and each store's rate against its limit.
            List<GenericChannelSimulator.Request> pushes = sim.requests().stream()
                    .filter(r -> r.ref() != null && r.version() != null)
                    .toList();
            List<String> orderViolations = versionOrderViolations(pushes);
            Map<String, Rates> rates = new HashMap<>();
            for (String store : FaultLoad.STORES) {
                rates.put(store, rates(pushes, store));
            }

            System.out.printf(
                    "ClusterReplicaKillTest: %d events acknowledged (%d while both replicas ran), %d retried"
                            + " (%d without connection, %d 5xx); booked %d ms after the senders stopped.%n"
                            + "  getOrders: %d calls in %d intervals of %d ms with both replicas (one replica each"
                            + " would be ~%d); %d calls in the %d ms after the kill; longest gap across the kill %d ms"
                            + " (check-in %d ms + Quartz grace %d ms bound a hand-over).%n"
                            + "  pushes: %d, version-order violations %d; per store (limit %d/s): %s%n",
                    load.acknowledged.size(),
                    ackedByBoth,
                    load.retried.get(),
                    load.noConnection.get(),
                    load.serverErrors.get(),
                    (settled - stoppedAt) / 1_000_000,
                    bothPolls,
                    bothIntervals,
                    POLL_MS,
                    2 * bothIntervals,
                    afterKillPolls,
                    (stoppedAt - killedAt) / 1_000_000,
                    maxGapAcrossKillMs,
                    CHECKIN_MS,
                    QUARTZ_GRACE_MS,
                    pushes.size(),
                    orderViolations.size(),
                    PUSH_LIMIT,
                    rates);

            assertThat(ackedByBoth).as("load while both replicas ran").isGreaterThan(50);
            assertThat(load.acknowledgedBetween(killedAt, Long.MAX_VALUE))
                    .as("load after the kill")
                    .isPositive();
            assertThat(bothPolls)
                    .as("getOrders calls in %d intervals with two replicas", bothIntervals)
                    .isBetween(bothIntervals / 2, bothIntervals + 2);
            assertThat(maxGapAcrossKillMs)
                    .as("longest pause of the poller across the kill")
                    .isLessThanOrEqualTo(CHECKIN_MS + QUARTZ_GRACE_MS + 3 * POLL_MS);
            assertThat(orderViolations)
                    .as("pushes older than one already received")
                    .isEmpty();
            for (String store : FaultLoad.STORES) {
                Rates r = rates.get(store);
                // The bucket holds one second's pushes (burst = limit), so the pushes granted in any w seconds are at
                // most (w + 1) x limit; summed per replica it would be twice that. They are counted where they arrive,
                // and on two shared cores a granted push can arrive up to about a second late (CI once saw 62 in 5 s
                // against a grant bound of 60), so the check allows one second of delivery jitter over 10 s.
                assertThat(r.maxIn10s())
                        .as("most pushes to %s in any 10 s (limit %d/s)", store, PUSH_LIMIT)
                        .isLessThanOrEqualTo((10 + 1 + 1) * PUSH_LIMIT);
            }
        } finally {
            amazon.close();
        }
    }

    private static List<String> args(GenericChannelSimulator sim, AmazonSimulator amazon) {
        List<String> args = new ArrayList<>(List.of(
                "--tally.cluster.checkin-interval-ms=" + CHECKIN_MS,
                "--tally.ledger.recovery-interval-ms=2000",
                "--tally.push.initial-backoff-ms=100",
                "--tally.push.max-backoff-ms=1000",
                "--tally.push.sweep-interval-ms=2000",
                "--tally.reconcile.interval-ms=3600000",
                "--tally.amazon.lwa-url=" + amazon.baseUrl(),
                "--tally.amazon.poll-interval-ms=" + POLL_MS,
                // Amazon's getOrders allows one call a minute (burst 20); the test polls each second, so the
                // simulator and the hub both allow 20/s.
                "--tally.amazon.rate-limits.get-orders.rate=20",
                "--tally.amazon.rate-limits.get-orders.burst=20",
                "--tally.stores." + AMAZON_STORE + ".channel=amazon",
                "--tally.stores." + AMAZON_STORE + ".api-url=" + amazon.baseUrl(),
                "--tally.stores." + AMAZON_STORE + ".credentials.client-id=client-c",
                "--tally.stores." + AMAZON_STORE + ".credentials.client-secret=secret-c",
                "--tally.stores." + AMAZON_STORE + ".credentials.refresh-token=Atzr|refresh-c",
                "--tally.stores." + AMAZON_STORE + ".credentials.seller-id=" + SELLER));
        for (String store : FaultLoad.STORES) {
            args.add("--tally.stores." + store + ".channel=http");
            args.add("--tally.stores." + store + ".role=peer");
            args.add("--tally.stores." + store + ".push-url=" + sim.url("/push"));
            args.add("--tally.stores." + store + ".max-pushes-per-second=" + PUSH_LIMIT);
        }
        return args;
    }

    /** Samples the simulator's getOrders count every 20 ms and keeps a time for each new call. */
    private static Thread watchPolls(AmazonSimulator amazon, List<Long> pollTimes) {
        Thread watch = new Thread(
                () -> {
                    long seen = amazon.stats(AmazonSimulator.GET_ORDERS).calls();
                    while (!Thread.currentThread().isInterrupted()) {
                        long calls = amazon.stats(AmazonSimulator.GET_ORDERS).calls();
                        long now = System.nanoTime();
                        for (; seen < calls; seen++) {
                            pollTimes.add(now);
                        }
                        try {
                            Thread.sleep(20);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                },
                "poll-watch");
        watch.setDaemon(true);
        watch.start();
        return watch;
    }

    private static long maxGapMs(List<Long> times, long from, long to) {
        long previous = from;
        long max = 0;
        for (long t : times) {
            if (t < from) {
                continue;
            }
            if (t > to) {
                break;
            }
            max = Math.max(max, t - previous);
            previous = t;
        }
        return Math.max(max, to - previous) / 1_000_000;
    }

    /** Every push that reached the channel after one of a newer version for the same listing. */
    private static List<String> versionOrderViolations(List<GenericChannelSimulator.Request> pushes) {
        Map<String, Long> newest = new HashMap<>();
        List<String> violations = new ArrayList<>();
        for (GenericChannelSimulator.Request r : pushes) {
            String listing = r.store() + "/" + r.ref();
            Long before = newest.get(listing);
            if (before != null && r.version() < before) {
                violations.add(listing + " v" + r.version() + " after v" + before + " at " + r.at());
            }
            newest.merge(listing, r.version(), Math::max);
        }
        return violations;
    }

    record Rates(int maxIn1s, int maxIn5s, int maxIn10s, double meanPerSecondWhileBusy) {
        @Override
        public String toString() {
            return String.format(
                    "max %d in 1 s, max %d in 5 s, max %d in 10 s, %.1f/s over its busy seconds",
                    maxIn1s, maxIn5s, maxIn10s, meanPerSecondWhileBusy);
        }
    }

    /** Largest count of a store's pushes in any 1 s, 5 s and 10 s window, and its mean rate over the seconds it pushed. */
    private static Rates rates(List<GenericChannelSimulator.Request> pushes, String store) {
        List<Instant> at = pushes.stream()
                .filter(r -> store.equals(r.store()))
                .map(GenericChannelSimulator.Request::at)
                .sorted()
                .toList();
        int max1 = 0;
        int max5 = 0;
        int max10 = 0;
        int from1 = 0;
        int from5 = 0;
        int from10 = 0;
        java.util.Set<Long> busySeconds = new java.util.HashSet<>();
        for (int i = 0; i < at.size(); i++) {
            while (Duration.between(at.get(from1), at.get(i)).toMillis() >= 1000) {
                from1++;
            }
            while (Duration.between(at.get(from5), at.get(i)).toMillis() >= 5000) {
                from5++;
            }
            while (Duration.between(at.get(from10), at.get(i)).toMillis() >= 10_000) {
                from10++;
            }
            max1 = Math.max(max1, i - from1 + 1);
            max10 = Math.max(max10, i - from10 + 1);
            max5 = Math.max(max5, i - from5 + 1);
            busySeconds.add(at.get(i).getEpochSecond());
        }
        return new Rates(max1, max5, max10, busySeconds.isEmpty() ? 0 : (double) at.size() / busySeconds.size());
    }
}
