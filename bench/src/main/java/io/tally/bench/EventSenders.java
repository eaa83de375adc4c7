package io.tally.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The sending half of a phase: {@code senders} threads post single sale events as fast as the hub acknowledges
 * them (closed loop), round-robin over the phase's SKUs, counting and timing every answer.
 */
final class EventSenders {

    /** A run whose first events are all refused is a setup problem: stop instead of sending thousands more. */
    private static final int FAILURES_BEFORE_GIVING_UP = 100;

    private final HubClient hub;
    private final BenchOptions options;

    EventSenders(HubClient hub, BenchOptions options) {
        this.hub = hub;
        this.options = options;
    }

    /** Counts and timings of one phase's sending, filled by the sender threads. */
    static final class SendOutcome {
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

    SendOutcome send(String eventIdPrefix, List<String> skus, int events) throws IOException, InterruptedException {
        SendOutcome outcome = new SendOutcome(skus.size(), events);
        CountDownLatch startGate = new CountDownLatch(1);
        ExecutorService senders = Executors.newFixedThreadPool(options.senders, PushSink.daemonThreads("sender"));
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int s = 0; s < options.senders; s++) {
                java.net.URI replica = options.eventUrls.get(s % options.eventUrls.size());
                running.add(senders.submit(() -> {
                    startGate.await();
                    sendUntilDone(replica, eventIdPrefix, skus, events, outcome);
                    return null;
                }));
            }
            long cpuBefore = processCpuNanos();
            outcome.startNanos = System.nanoTime();
            startGate.countDown();
            BenchTasks.awaitAll(running);
            outcome.lastAckNanos = System.nanoTime();
            long cpuAfter = processCpuNanos();
            outcome.clientCpuNanos = cpuBefore < 0 || cpuAfter < 0 ? -1 : cpuAfter - cpuBefore;
        } finally {
            senders.shutdownNow();
        }
        return outcome;
    }

    private void sendUntilDone(
            java.net.URI replica, String eventIdPrefix, List<String> skus, int events, SendOutcome outcome)
            throws IOException {
        try (EventConnection connection = hub.openEventConnection(replica)) {
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
            IngestPhase.SaleEvent event = new IngestPhase.SaleEvent(
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
}
