package io.tally.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * One measured phase: declare the phase's listings, let {@code senders} threads post single sale
 * events as fast as the hub acknowledges them (closed loop, {@link EventSenders}), then watch the hub's on-hand
 * figures until every acknowledged event is in the ledger ({@link LedgerWatch}).
 */
final class IngestPhase {

    /** Initial on-hand of every declared listing; large enough that no phase can oversell it. */
    static final long INITIAL_LEVEL = 1_000_000;

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
    private final EventSenders senders;
    private final LedgerWatch ledger;

    IngestPhase(HubClient hub, BenchOptions options) {
        this.hub = hub;
        this.options = options;
        this.senders = new EventSenders(hub, options);
        this.ledger = new LedgerWatch(hub, options);
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
        EventSenders.SendOutcome sent;
        long resumeNanos = 0;
        try {
            sent = senders.send(eventIdPrefix, skus, events);
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
        LedgerWatch.WatchOutcome applied = ledger.awaitApplied(skus, expectedOnHand);
        double checkSweepMillis = applied.complete ? ledger.rereadAll(skus, applied.lastSeenOnHand) : Double.NaN;

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
        BenchTasks.runAll(declarations, Math.min(options.senders, skus.size()));
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
}
