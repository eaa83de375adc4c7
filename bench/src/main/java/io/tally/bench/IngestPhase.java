package io.tally.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * One measured phase: declare the phase's listings, let {@code senders} threads post single sale
 * events as fast as the hub acknowledges them (closed loop), then watch the hub's on-hand figures
 * until every acknowledged event is in the ledger.
 */
final class IngestPhase {

    /** Initial on-hand of every declared listing; large enough that no phase can oversell it. */
    static final long INITIAL_LEVEL = 1_000_000;

    /** Watching 1,000 items one GET at a time would add a second or so to the apply time; spread the watching. */
    private static final int MAX_WATCHERS = 16;

    /** A run whose first events are all refused is a setup problem: stop instead of sending thousands more. */
    private static final int FAILURES_BEFORE_GIVING_UP = 100;

    record Result(
            String name,
            int skuCount,
            int planned,
            int accepted,
            int duplicates,
            int failed,
            double sendSeconds,
            LatencyStats ackLatency,
            boolean allApplied,
            long appliedEvents,
            double firstSendToAllAppliedSeconds,
            double checkSweepMillis,
            double clientCpuShare,
            List<String> errorSamples,
            List<String> warnings,
            boolean backlog,
            double resumeToAllAppliedSeconds) {

        double ackPerSecond() {
            return (accepted + duplicates) / sendSeconds;
        }

        /**
         * Acknowledged events over the time from the first send until the ledger held them all; for a backlog
         * phase, over the time from resuming the paused ledger until it held them all (the ledger's own rate).
         */
        double appliedPerSecond() {
            if (!allApplied) {
                return Double.NaN;
            }
            return accepted / (backlog ? resumeToAllAppliedSeconds : firstSendToAllAppliedSeconds);
        }

        /** How long after the last acknowledgement the ledger caught up. */
        double applyLagSeconds() {
            return allApplied ? Math.max(0, firstSendToAllAppliedSeconds - sendSeconds) : Double.NaN;
        }
    }

    /** The canonical event of design.md §5 C1; field names are the contract's. */
    record SaleEvent(String id, String channel, String store, String type, String sku, int quantity, String orderId) {}

    private final HubClient hub;
    private final BenchOptions options;

    IngestPhase(HubClient hub, BenchOptions options) {
        this.hub = hub;
        this.options = options;
    }

    Result run(String name, String eventIdPrefix, List<String> skus, int events)
            throws IOException, InterruptedException {
        return run(name, eventIdPrefix, skus, events, false);
    }

    /**
     * With {@code backlog}, the hub's ledger is paused while the events are sent and resumed afterwards, so the
     * time to apply them measures the ledger alone, without the HTTP front end in the way.
     */
    Result run(String name, String eventIdPrefix, List<String> skus, int events, boolean backlog)
            throws IOException, InterruptedException {
        long[] initialOnHand = declareListings(skus);

        if (backlog) {
            hub.ledger("pause");
        }
        SendOutcome sent;
        long resumeNanos = 0;
        try {
            sent = sendEvents(eventIdPrefix, skus, events);
        } finally {
            if (backlog) {
                resumeNanos = System.nanoTime();
                hub.ledger("resume");
            }
        }

        long[] expectedOnHand = new long[skus.size()];
        for (int i = 0; i < skus.size(); i++) {
            expectedOnHand[i] = initialOnHand[i] - sent.acceptedPerSku.get(i);
        }
        WatchOutcome applied = awaitLedger(skus, expectedOnHand);
        double checkSweepMillis = applied.complete ? rereadAll(skus, applied.lastSeenOnHand) : Double.NaN;

        List<String> warnings = new ArrayList<>(applied.warnings);
        long appliedEvents = 0;
        for (int i = 0; i < skus.size(); i++) {
            long appliedToSku = initialOnHand[i] - applied.lastSeenOnHand[i];
            appliedEvents += appliedToSku;
            // An event whose request failed may still have been stored; more than that is double booking.
            long mostThatCouldApply = sent.acceptedPerSku.get(i) + (long) sent.failedPerSku.get(i);
            if (appliedToSku > mostThatCouldApply) {
                warnings.add(skus.get(i) + ": ledger booked " + appliedToSku + " units for "
                        + sent.acceptedPerSku.get(i) + " accepted events (double booking?)");
            }
        }
        double sendSeconds = (sent.lastAckNanos - sent.startNanos) / 1e9;
        double firstSendToAllApplied = (applied.allAppliedNanos - sent.startNanos) / 1e9;
        return new Result(
                name,
                skus.size(),
                events,
                sent.accepted.get(),
                sent.duplicates.get(),
                sent.failed.get(),
                sendSeconds,
                LatencyStats.ofNanos(sent.ackLatencyNanos, sent.acknowledged.get()),
                applied.complete,
                appliedEvents,
                firstSendToAllApplied,
                checkSweepMillis,
                sent.clientCpuShare(),
                List.copyOf(sent.errorSamples),
                warnings,
                backlog,
                backlog ? (applied.allAppliedNanos - resumeNanos) / 1e9 : Double.NaN);
    }

    // ---- setup --------------------------------------------------------------------------------

    /** Declares one master listing per SKU (ref = SKU) and returns each item's on-hand once seeded. */
    private long[] declareListings(List<String> skus) throws IOException, InterruptedException {
        long[] initial = new long[skus.size()];
        List<Callable<Void>> declarations = new ArrayList<>();
        for (int i = 0; i < skus.size(); i++) {
            int index = i;
            declarations.add(() -> {
                String sku = skus.get(index);
                hub.declareMasterListing(options.store, sku, sku, INITIAL_LEVEL);
                initial[index] = awaitSeededOnHand(sku);
                return null;
            });
        }
        runAll(declarations, Math.min(options.senders, skus.size()));
        return initial;
    }

    /** The hub seeds a new item from its master listing's level; wait briefly in case that is asynchronous. */
    private long awaitSeededOnHand(String sku) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        OptionalLong onHand = OptionalLong.empty();
        while (System.nanoTime() < deadline) {
            onHand = hub.onHand(sku);
            if (onHand.isPresent() && onHand.getAsLong() == INITIAL_LEVEL) {
                return INITIAL_LEVEL;
            }
            Thread.sleep(options.pollMillis);
        }
        if (onHand.isEmpty()) {
            throw new IOException("item " + sku + " still unknown 10 s after declaring its listing");
        }
        System.out.printf(
                "  note: %s was seeded with on-hand %d, not the declared level %d; measuring from %d%n",
                sku, onHand.getAsLong(), INITIAL_LEVEL, onHand.getAsLong());
        return onHand.getAsLong();
    }

    // ---- sending ------------------------------------------------------------------------------

    private static final class SendOutcome {
        final AtomicInteger nextEvent = new AtomicInteger();
        final AtomicInteger accepted = new AtomicInteger();
        final AtomicInteger duplicates = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicInteger acknowledged = new AtomicInteger();
        final AtomicIntegerArray acceptedPerSku;
        final AtomicIntegerArray failedPerSku;
        /** Filled densely up to {@link #acknowledged}; one slot per acknowledged request. */
        final long[] ackLatencyNanos;

        final ConcurrentLinkedQueue<String> errorSamples = new ConcurrentLinkedQueue<>();
        long startNanos;
        long lastAckNanos;
        long clientCpuNanos;

        /** Share of the machine's CPU that this benchmark process used while sending (0..1). */
        double clientCpuShare() {
            long wallNanos = lastAckNanos - startNanos;
            return clientCpuNanos < 0
                    ? Double.NaN
                    : (double) clientCpuNanos / wallNanos / Runtime.getRuntime().availableProcessors();
        }

        SendOutcome(int skus, int events) {
            acceptedPerSku = new AtomicIntegerArray(skus);
            failedPerSku = new AtomicIntegerArray(skus);
            ackLatencyNanos = new long[events];
        }

        void recordError(String message) {
            if (errorSamples.size() < 5) {
                errorSamples.add(message);
            }
        }
    }

    private SendOutcome sendEvents(String eventIdPrefix, List<String> skus, int events)
            throws IOException, InterruptedException {
        SendOutcome outcome = new SendOutcome(skus.size(), events);
        CountDownLatch startGate = new CountDownLatch(1);
        ExecutorService senders = Executors.newFixedThreadPool(options.senders, PushSink.daemonThreads("sender"));
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int s = 0; s < options.senders; s++) {
                running.add(senders.submit(() -> {
                    startGate.await();
                    sendUntilDone(eventIdPrefix, skus, events, outcome);
                    return null;
                }));
            }
            long cpuBefore = processCpuNanos();
            outcome.startNanos = System.nanoTime();
            startGate.countDown();
            awaitAll(running);
            outcome.lastAckNanos = System.nanoTime();
            long cpuAfter = processCpuNanos();
            outcome.clientCpuNanos = cpuBefore < 0 || cpuAfter < 0 ? -1 : cpuAfter - cpuBefore;
        } finally {
            senders.shutdownNow();
        }
        return outcome;
    }

    private void sendUntilDone(String eventIdPrefix, List<String> skus, int events, SendOutcome outcome)
            throws IOException {
        try (EventConnection connection = hub.openEventConnection()) {
            sendUntilDone(connection, eventIdPrefix, skus, events, outcome);
        }
    }

    private void sendUntilDone(
            EventConnection connection, String eventIdPrefix, List<String> skus, int events, SendOutcome outcome)
            throws IOException {
        int eventNumber;
        while ((eventNumber = outcome.nextEvent.getAndIncrement()) < events) {
            if (outcome.failed.get() >= FAILURES_BEFORE_GIVING_UP && outcome.accepted.get() == 0) {
                return;
            }
            // Round-robin over the SKUs: every item keeps receiving events until the very end of the phase.
            int skuIndex = eventNumber % skus.size();
            String eventId = eventIdPrefix + "-" + eventNumber;
            SaleEvent event = new SaleEvent(
                    eventId,
                    "http",
                    options.store,
                    "sale",
                    skus.get(skuIndex),
                    1,
                    eventIdPrefix + "-order-" + eventNumber);
            byte[] body = hub.json().writeValueAsBytes(event);

            long sentAt = System.nanoTime();
            HubClient.PostResult result;
            try {
                result = connection.post(body);
            } catch (IOException e) {
                outcome.failed.incrementAndGet();
                outcome.failedPerSku.incrementAndGet(skuIndex);
                outcome.recordError(eventId + ": " + e);
                continue;
            }
            long latency = System.nanoTime() - sentAt;

            if (result.acknowledged()) {
                outcome.ackLatencyNanos[outcome.acknowledged.getAndIncrement()] = latency;
                if (result.status() == 202) {
                    outcome.accepted.incrementAndGet();
                    outcome.acceptedPerSku.incrementAndGet(skuIndex);
                } else {
                    outcome.duplicates.incrementAndGet(); // unique ids: should never happen
                    outcome.recordError(eventId + ": unexpected duplicate: " + result.body());
                }
            } else {
                outcome.failed.incrementAndGet();
                outcome.failedPerSku.incrementAndGet(skuIndex);
                outcome.recordError(eventId + ": HTTP " + result.status() + " " + result.body());
            }
        }
    }

    // ---- waiting for the ledger ---------------------------------------------------------------

    private static final class WatchOutcome {
        static final long NOT_SEEN = Long.MIN_VALUE;
        final long[] lastSeenOnHand;
        final List<String> warnings = Collections.synchronizedList(new ArrayList<>());
        volatile boolean complete = true;
        long allAppliedNanos;

        WatchOutcome(int skus) {
            lastSeenOnHand = new long[skus];
            Arrays.fill(lastSeenOnHand, NOT_SEEN);
        }
    }

    /**
     * Polls each item until its on-hand reaches the expected figure. Items only move down during a
     * phase, so once every item has been seen at its figure, all events were applied at the latest
     * when the last one was seen: the measured time is an upper bound, off by about one poll interval.
     */
    private WatchOutcome awaitLedger(List<String> skus, long[] expectedOnHand)
            throws InterruptedException, IOException {
        WatchOutcome outcome = new WatchOutcome(skus.size());
        ConcurrentLinkedQueue<Integer> toWatch = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < skus.size(); i++) {
            toWatch.add(i);
        }
        long[] lastDoneNanosPerWatcher = new long[Math.min(MAX_WATCHERS, skus.size())];
        List<Callable<Void>> watchers = new ArrayList<>();
        for (int w = 0; w < lastDoneNanosPerWatcher.length; w++) {
            int watcher = w;
            watchers.add(() -> {
                Integer skuIndex;
                while ((skuIndex = toWatch.poll()) != null && outcome.complete) {
                    if (watchUntilApplied(skus.get(skuIndex), expectedOnHand[skuIndex], skuIndex, outcome)) {
                        lastDoneNanosPerWatcher[watcher] = System.nanoTime();
                    }
                }
                return null;
            });
        }
        runAll(watchers, watchers.size());
        for (long doneNanos : lastDoneNanosPerWatcher) {
            outcome.allAppliedNanos = Math.max(outcome.allAppliedNanos, doneNanos);
        }
        if (!outcome.complete) {
            // The watchers stopped at the first stuck item: read where the others stand, for the applied count.
            for (int i = 0; i < skus.size(); i++) {
                if (outcome.lastSeenOnHand[i] == WatchOutcome.NOT_SEEN) {
                    String sku = skus.get(i);
                    outcome.lastSeenOnHand[i] =
                            hub.onHand(sku).orElseThrow(() -> new IOException("item " + sku + " disappeared"));
                }
            }
        }
        return outcome;
    }

    /**
     * Reads every item once more, the way the watchers do, and returns how long that took. The reread
     * values feed the double-booking check (a failed request may still have been stored and applied
     * late); the time is the order of magnitude of the error in the applied time, since the watchers
     * may have confirmed the last items up to one such sweep after they were actually complete.
     */
    private double rereadAll(List<String> skus, long[] onHandOut) throws IOException, InterruptedException {
        ConcurrentLinkedQueue<Integer> toRead = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < skus.size(); i++) {
            toRead.add(i);
        }
        List<Callable<Void>> readers = new ArrayList<>();
        for (int r = 0; r < Math.min(MAX_WATCHERS, skus.size()); r++) {
            readers.add(() -> {
                Integer skuIndex;
                while ((skuIndex = toRead.poll()) != null) {
                    String sku = skus.get(skuIndex);
                    onHandOut[skuIndex] =
                            hub.onHand(sku).orElseThrow(() -> new IOException("item " + sku + " disappeared"));
                }
                return null;
            });
        }
        long started = System.nanoTime();
        runAll(readers, readers.size());
        return (System.nanoTime() - started) / 1e6;
    }

    private boolean watchUntilApplied(String sku, long expected, int skuIndex, WatchOutcome outcome)
            throws IOException, InterruptedException {
        long stallNanos = TimeUnit.SECONDS.toNanos(options.stallSeconds);
        long lastValue = Long.MIN_VALUE;
        long lastChangeNanos = System.nanoTime();
        while (true) {
            long onHand = hub.onHand(sku).orElseThrow(() -> new IOException("item " + sku + " disappeared"));
            outcome.lastSeenOnHand[skuIndex] = onHand;
            if (onHand <= expected) {
                return true;
            }
            long now = System.nanoTime();
            if (onHand != lastValue) {
                lastValue = onHand;
                lastChangeNanos = now;
            } else if (now - lastChangeNanos > stallNanos) {
                outcome.warnings.add(sku + ": on-hand stuck at " + onHand + " (expected " + expected + ") for "
                        + options.stallSeconds + " s; gave up waiting");
                outcome.complete = false;
                return false;
            }
            Thread.sleep(options.pollMillis);
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    /**
     * CPU time of this process, or -1 where the JVM does not tell. The hub, its database and this
     * benchmark share the machine, so the report shows how much of it the senders themselves took.
     */
    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    private static void runAll(List<Callable<Void>> tasks, int threads) throws IOException, InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(threads, PushSink.daemonThreads("bench-worker"));
        try {
            List<Future<?>> running = new ArrayList<>();
            for (Callable<Void> task : tasks) {
                running.add(pool.submit(task));
            }
            awaitAll(running);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void awaitAll(List<Future<?>> running) throws IOException, InterruptedException {
        for (Future<?> future : running) {
            try {
                future.get();
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof IOException io) {
                    throw io;
                }
                if (cause instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new IllegalStateException(cause);
            }
        }
    }
}
