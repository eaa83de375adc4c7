package io.tally.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/** The waiting half of a phase: watches the hub's on-hand figures until every acknowledged event is in the ledger. */
final class LedgerWatch {

    /** Watching 1,000 items one GET at a time would add a second or so to the apply time; spread the watching. */
    private static final int MAX_WATCHERS = 16;

    private final HubClient hub;
    private final BenchOptions options;

    LedgerWatch(HubClient hub, BenchOptions options) {
        this.hub = hub;
        this.options = options;
    }

    /** What the watchers saw of each item, and when the last one was seen complete. */
    static final class WatchOutcome {
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
    WatchOutcome awaitApplied(List<String> skus, long[] expectedOnHand) throws InterruptedException, IOException {
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
        BenchTasks.runAll(watchers, watchers.size());
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
    double rereadAll(List<String> skus, long[] onHandOut) throws IOException, InterruptedException {
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
        BenchTasks.runAll(readers, readers.size());
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
}
