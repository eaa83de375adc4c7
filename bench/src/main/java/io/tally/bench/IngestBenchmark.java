package io.tally.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Tally ingest benchmark (bench/README.md). Against a running hub: closed-loop HTTP senders post
 * single sale events for one hot SKU, then for 1,000 SKUs; for each phase it reports events/s
 * acknowledged, events/s applied to the ledger and the acknowledgement latency. In the same run, on
 * the hub's PostgreSQL, it measures the one-transaction-per-event baseline the hub has to beat.
 */
public final class IngestBenchmark {

    /** SKUs of a spread warm-up round: enough to take the spread code paths, few enough to declare quickly. */
    private static final int WARMUP_SPREAD_SKUS = 100;

    private final BenchOptions options;
    private final String runId;
    /** How busy the machine was just before the run: anything else using the CPUs skews every figure. */
    private double idleMachineBusyShare = Double.NaN;
    /** The hub's JIT activity, when --hub-metrics-url is given; else null. */
    private final HubJitMeter jit;
    /** Warm-up rounds run, and the hub's JIT activity in the last one (NaN when not known). */
    private int warmupRoundsRun;

    private double warmupLastJitBusy = Double.NaN;
    /** The hub's JIT compile seconds per second while each phase ran, by phase name. */
    private final Map<String, Double> jitBusyByPhase = new HashMap<>();

    private IngestBenchmark(BenchOptions options) {
        this.options = options;
        this.jit = options.hubMetricsUrl == null ? null : new HubJitMeter(options.hubMetricsUrl);
        // Unique per run, so SKUs and event ids never collide with an earlier run on the same hub.
        this.runId = "r" + Long.toString(System.currentTimeMillis(), 36);
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.print(BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options == null) {
            System.out.print(BenchOptions.USAGE);
            return;
        }
        try {
            new IngestBenchmark(options).run();
        } catch (IOException | IllegalStateException e) {
            System.err.println("benchmark failed: " + e.getMessage());
            System.exit(1);
        }
    }

    private void run() throws Exception {
        System.out.printf(
                "Tally ingest benchmark, run %s: hub %s, store '%s', %d senders, %s events per phase%n",
                runId, options.hubUrl, options.store, options.senders, MarkdownReport.count(options.events));

        PushSink sink = options.startSink ? PushSink.start(options.sinkPort) : null;
        try {
            if (sink != null) {
                System.out.printf(
                        "push sink listening on http://127.0.0.1:%d/ (the store's push-url must point here)%n",
                        sink.port());
            }
            HubClient hub = new HubClient(options.hubUrl, options.token);
            hub.checkReady(options.store);
            idleMachineBusyShare = MachineInfo.busyShare(Duration.ofSeconds(2));

            IngestPhase phase = new IngestPhase(hub, options);
            warmUp(phase);

            List<IngestPhase.Result> ingest = new ArrayList<>();
            if (options.runHotPhase) {
                ingest.add(measured(
                        "hot SKU", () -> phase.run("hot SKU", runId + "-hot", List.of(sku("hot")), options.events)));
            }
            if (options.runSpreadPhase) {
                List<String> skus = new ArrayList<>();
                for (int i = 0; i < options.skus; i++) {
                    skus.add(sku(String.format(Locale.ROOT, "s%04d", i)));
                }
                String name = MarkdownReport.count(options.skus) + " SKUs";
                ingest.add(measured(name, () -> phase.run(name, runId + "-spread", skus, options.events)));
            }
            if (options.runBacklogPhases) {
                // The same loads with the ledger paused while sending: applied/s is then the ledger's own rate.
                if (options.runHotPhase) {
                    ingest.add(measured(
                            "hot SKU, backlog",
                            () -> phase.run(
                                    "hot SKU, backlog", runId + "-hotb", List.of(sku("hotb")), options.events, true)));
                }
                if (options.runSpreadPhase) {
                    List<String> skus = new ArrayList<>();
                    for (int i = 0; i < options.skus; i++) {
                        skus.add(sku(String.format(Locale.ROOT, "b%04d", i)));
                    }
                    String name = MarkdownReport.count(options.skus) + " SKUs, backlog";
                    ingest.add(measured(name, () -> phase.run(name, runId + "-spreadb", skus, options.events, true)));
                }
            }

            Baselines baselines = options.runBaseline ? Baselines.run(options) : Baselines.SKIPPED;
            long pushes = sink == null ? -1 : sink.pushesReceived();
            String deadLetters = deadLettersOfThisRun(hub);
            System.out.println();
            BenchSummary summary = new BenchSummary(
                    options, runId, idleMachineBusyShare, warmupRoundsRun, warmupLastJitBusy, jitBusyByPhase);
            System.out.print(summary.render(ingest, baselines, pushes, deadLetters));
        } finally {
            if (sink != null) {
                sink.close();
            }
        }
    }

    /**
     * Pushes for this run's listings that the hub dead-lettered. The sink answers every push 200, so
     * any dead letter means the hub's push path is broken, and the run's figures come with that caveat.
     */
    private String deadLettersOfThisRun(HubClient hub) {
        try {
            int count = 0;
            String firstError = null;
            for (JsonNode deadLetter : hub.deadLetters()) {
                if (options.store.equals(deadLetter.path("store").asText())
                        && deadLetter.path("ref").asText().startsWith(sku(""))) {
                    count++;
                    if (firstError == null) {
                        firstError = deadLetter.path("error").asText();
                    }
                }
            }
            return count == 0 ? "none" : count + " (first: " + firstError + ")";
        } catch (IOException e) {
            return "could not be read: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "not read (interrupted)";
        }
    }

    private String sku(String suffix) {
        return "bench-" + runId + "-" + suffix;
    }

    /**
     * JIT-compiles both sides and proves the whole path (listing, event, ledger) works before measuring. With the
     * hub's metrics URL, rounds go on until the hub's compiler has calmed down (at most --warmup-rounds).
     */
    private void warmUp(IngestPhase phase) throws IOException, InterruptedException {
        if (options.warmupEvents == 0) {
            return;
        }
        int rounds = jit == null ? 1 : options.warmupRounds;
        for (int round = 1; round <= rounds; round++) {
            String name = rounds == 1 ? "warm-up" : "warm-up " + round;
            List<String> skus = warmupSkus(round);
            String eventIdPrefix = runId + "-warm" + round;
            IngestPhase.Result warmup =
                    measured(name, () -> phase.run(name, eventIdPrefix, skus, options.warmupEvents));
            if (warmup.accepted() == 0) {
                throw new IllegalStateException(
                        "the hub accepted none of the warm-up events: " + warmup.errorSamples());
            }
            if (!warmup.allApplied()) {
                throw new IllegalStateException(
                        "the warm-up events never all reached the ledger: " + warmup.warnings());
            }
            warmupRoundsRun = round;
            Double jitBusy = jitBusyByPhase.get(name);
            warmupLastJitBusy = jitBusy == null ? Double.NaN : jitBusy;
            if (jitBusy != null && jitBusy < options.warmupJitBusy) {
                return;
            }
        }
        if (jit != null) {
            System.out.printf(
                    "  note: the hub's JIT was still busy after %d warm-up rounds; see each phase's JIT figure%n",
                    rounds);
        }
    }

    /**
     * Odd rounds load one hot SKU; even rounds, when the spread phase runs, spread over up to 100 SKUs, so that the
     * code paths of both shapes are compiled before either is measured.
     */
    private List<String> warmupSkus(int round) {
        if (round % 2 == 1 || !options.runSpreadPhase) {
            return List.of(sku("warm" + round));
        }
        List<String> skus = new ArrayList<>();
        for (int i = 0; i < Math.min(options.skus, WARMUP_SPREAD_SKUS); i++) {
            skus.add(sku(String.format(Locale.ROOT, "warm%d-%03d", round, i)));
        }
        return skus;
    }

    private interface PhaseRun {
        IngestPhase.Result run() throws IOException, InterruptedException;
    }

    /** Runs a phase, noting how busy the hub's JIT compiler was meanwhile (when its metrics are known). */
    private IngestPhase.Result measured(String name, PhaseRun phaseRun) throws IOException, InterruptedException {
        HubJitMeter.Reading before = jit == null ? null : jit.read();
        IngestPhase.Result result = phaseRun.run();
        if (jit != null) {
            jitBusyByPhase.put(name, HubJitMeter.busyBetween(before, jit.read()));
        }
        return report(result);
    }

    private IngestPhase.Result report(IngestPhase.Result result) {
        Double jitBusy = jitBusyByPhase.get(result.name());
        System.out.printf(
                "%s: %s accepted, %d duplicates, %d failed in %.2f s (%s acks/s, p99 %s ms); %s%s%n",
                result.name(),
                MarkdownReport.count(result.accepted()),
                result.duplicates(),
                result.failed(),
                result.sendSeconds(),
                MarkdownReport.rate(result.ackPerSecond()),
                MarkdownReport.millis(result.ackLatency().p99Millis()),
                result.allApplied()
                        ? String.format(
                                Locale.ROOT,
                                "all in the ledger %.2f s after the first send (%s applied/s)",
                                result.firstSendToAllAppliedSeconds(),
                                MarkdownReport.rate(result.appliedPerSecond()))
                        : "NOT all applied: " + MarkdownReport.count(result.appliedEvents()) + " in the ledger",
                jitBusy == null ? "" : String.format(Locale.ROOT, "; hub JIT busy %.2f s/s", jitBusy));
        result.errorSamples().forEach(error -> System.out.println("  error: " + error));
        result.warnings().forEach(warning -> System.out.println("  warning: " + warning));
        return result;
    }
}
