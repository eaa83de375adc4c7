package io.tally.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Tally ingest benchmark (bench/README.md). Against a running hub: closed-loop HTTP senders post
 * single sale events for one hot SKU, then for 1,000 SKUs; for each phase it reports events/s
 * acknowledged, events/s applied to the ledger and the acknowledgement latency. In the same run, on
 * the hub's PostgreSQL, it measures the one-transaction-per-event baseline the hub has to beat.
 */
public final class IngestBenchmark {

    /** Above this share of busy CPU before the run, the figures are flagged as measured on a busy machine. */
    private static final double BUSY_BEFORE_RUN_LIMIT = 0.20;
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
            idleMachineBusyShare = machineBusyShare(Duration.ofSeconds(2));

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

            Baselines baselines = options.runBaseline ? runBaselines() : Baselines.SKIPPED;
            long pushes = sink == null ? -1 : sink.pushesReceived();
            String deadLetters = deadLettersOfThisRun(hub);
            System.out.println();
            System.out.print(summary(ingest, baselines, pushes, deadLetters));
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

    // ---- baselines ------------------------------------------------------------------------------

    private record Baselines(
            JdbcBaseline.ServerInfo server,
            JdbcBaseline.Result hot,
            JdbcBaseline.Result spread,
            PgBench.Result pgbench,
            List<String> problems) {
        static final Baselines SKIPPED =
                new Baselines(null, null, null, null, List.of("baseline skipped (--no-baseline)"));
    }

    /** Baseline failures are reported, not fatal: the ingest figures already measured are still worth printing. */
    private Baselines runBaselines() {
        List<String> problems = new ArrayList<>();
        JdbcBaseline.ServerInfo server = null;
        JdbcBaseline.Result hot = null;
        JdbcBaseline.Result spread = null;
        try (JdbcBaseline baseline = new JdbcBaseline(options)) {
            server = baseline.serverInfo();
            System.out.printf(
                    "baseline on %s (synchronous_commit=%s, fsync=%s)%n",
                    server.version(), server.synchronousCommit(), server.fsync());
            if (options.runHotPhase) {
                hot = reportBaseline(baseline.run("baseline-hot", 1, options.events));
            }
            if (options.runSpreadPhase) {
                spread = reportBaseline(baseline.run("baseline-spread", options.skus, options.events));
            }
        } catch (Exception e) {
            problems.add("JDBC baseline failed: " + e.getMessage());
            System.out.println("JDBC baseline failed: " + e.getMessage());
        }

        PgBench.Result pgbench = null;
        Optional<String> pgbenchPath = PgBench.findOnPath();
        if ("off".equals(options.pgbenchMode)) {
            problems.add("pgbench skipped (--pgbench=off)");
        } else if (pgbenchPath.isEmpty()) {
            problems.add("pgbench not on PATH: its baseline was skipped");
        } else if (server != null) {
            try {
                System.out.printf(
                        "pgbench simple-update, %d clients, %d s ...%n",
                        options.pgbenchClients, options.pgbenchSeconds);
                pgbench = new PgBench(options).run(pgbenchPath.get());
            } catch (Exception e) {
                problems.add("pgbench failed: " + e.getMessage());
                System.out.println("pgbench failed: " + e.getMessage());
            }
        }
        if ("on".equals(options.pgbenchMode) && pgbench == null) {
            throw new IllegalStateException("--pgbench=on but pgbench did not run: " + problems);
        }
        return new Baselines(server, hot, spread, pgbench, problems);
    }

    private static JdbcBaseline.Result reportBaseline(JdbcBaseline.Result result) {
        System.out.printf(
                "%s: %s transactions over %s keys in %.2f s = %s tps (p99 %s ms)%n",
                result.name(),
                MarkdownReport.count(result.transactions()),
                MarkdownReport.count(result.keys()),
                result.seconds(),
                MarkdownReport.rate(result.transactionsPerSecond()),
                MarkdownReport.millis(result.transactionLatency().p99Millis()));
        result.warnings().forEach(warning -> System.out.println("  warning: " + warning));
        return result;
    }

    // ---- summary ----------------------------------------------------------------------------------

    private String summary(List<IngestPhase.Result> ingest, Baselines baselines, long pushes, String deadLetters) {
        MarkdownReport report = new MarkdownReport();
        report.line("### Tally ingest benchmark, run " + runId).line("");
        report.line("- Machine: " + machine());
        if (!Double.isNaN(idleMachineBusyShare)) {
            report.line("- CPU busy in the 2 s before the first event (hub included, no load yet): "
                    + MarkdownReport.percent(idleMachineBusyShare)
                    + (idleMachineBusyShare > BUSY_BEFORE_RUN_LIMIT
                            ? " — something else (or a hub still starting up) was using the CPUs: treat these figures as suspect"
                            : ""));
        }
        if (warmupRoundsRun > 0) {
            report.line("- Warm-up: " + warmupRoundsRun + " round(s) of " + MarkdownReport.count(options.warmupEvents)
                    + (options.runSpreadPhase ? " events (hot SKU and 100 SKUs in turn)" : " hot-SKU events")
                    + " before measuring"
                    + (Double.isNaN(warmupLastJitBusy)
                            ? ""
                            : String.format(
                                    Locale.ROOT,
                                    "; the hub's JIT was busy %.2f s/s in the last round (warm below %.2f)",
                                    warmupLastJitBusy,
                                    options.warmupJitBusy)));
        }
        report.line("- Hub: " + options.hubUrl + ", store `" + options.store + "`, " + options.senders
                + " closed-loop HTTP senders, one sale event (quantity 1) per request");
        if (baselines.server() != null) {
            report.line("- PostgreSQL (hub's, and the baseline's): "
                    + firstWords(baselines.server().version(), 2)
                    + ", synchronous_commit=" + baselines.server().synchronousCommit() + ", fsync="
                    + baselines.server().fsync()
                    + ("server".equals(options.baselineSyncCommit)
                            ? ""
                            : "; the JDBC baseline sessions set synchronous_commit=" + options.baselineSyncCommit));
        }
        if (pushes >= 0) {
            report.line("- Pushes received by the bench sink during the run: " + MarkdownReport.count(pushes));
        }
        report.line("- Dead letters for this run's listings: " + deadLetters);
        report.line("");

        List<List<String>> rows = new ArrayList<>();
        for (IngestPhase.Result phase : ingest) {
            JdbcBaseline.Result baseline = phase.skuCount() == 1 ? baselines.hot() : baselines.spread();
            double baselineTps = baseline == null ? Double.NaN : baseline.transactionsPerSecond();
            rows.add(List.of(
                    phase.name(),
                    MarkdownReport.count(phase.accepted()),
                    MarkdownReport.rate(phase.ackPerSecond()),
                    MarkdownReport.rate(phase.appliedPerSecond()),
                    MarkdownReport.millis(phase.ackLatency().p50Millis()),
                    MarkdownReport.millis(phase.ackLatency().p99Millis()),
                    MarkdownReport.rate(baselineTps),
                    MarkdownReport.ratio(phase.appliedPerSecond() / baselineTps)));
        }
        report.table(
                List.of(
                        "Phase",
                        "Events",
                        "Ack events/s",
                        "Applied events/s",
                        "Ack p50 ms",
                        "Ack p99 ms",
                        "Baseline tps (1 txn/event)",
                        "Applied ÷ baseline"),
                rows);

        List<List<String>> details = new ArrayList<>();
        for (IngestPhase.Result phase : ingest) {
            details.add(List.of(
                    phase.name(),
                    MarkdownReport.count(phase.failed()),
                    MarkdownReport.millis(phase.ackLatency().p999Millis()),
                    MarkdownReport.millis(phase.ackLatency().maxMillis()),
                    String.format(Locale.ROOT, "%.2f", phase.sendSeconds()),
                    phase.allApplied()
                            ? String.format(Locale.ROOT, "%.2f", phase.firstSendToAllAppliedSeconds())
                            : "incomplete",
                    phase.allApplied() ? MarkdownReport.millis(phase.applyLagSeconds() * 1000) : "n/a",
                    MarkdownReport.millis(phase.checkSweepMillis()),
                    MarkdownReport.percent(phase.clientCpuShare()),
                    jitBusyByPhase.containsKey(phase.name())
                            ? String.format(Locale.ROOT, "%.2f", jitBusyByPhase.get(phase.name()))
                            : "-"));
        }
        report.table(
                List.of(
                        "Phase",
                        "Failed requests",
                        "Ack p99.9 ms",
                        "Ack max ms",
                        "Sending s",
                        "First send → all applied s",
                        "Apply lag after last ack ms",
                        "Ledger check sweep ms",
                        "Bench client CPU while sending",
                        "Hub JIT busy s/s"),
                details);

        List<List<String>> baselineRows = new ArrayList<>();
        for (JdbcBaseline.Result baseline : new JdbcBaseline.Result[] {baselines.hot(), baselines.spread()}) {
            if (baseline != null) {
                baselineRows.add(List.of(
                        "JDBC, 1 txn/event (insert ledger row + update on-hand)",
                        MarkdownReport.count(baseline.keys()),
                        MarkdownReport.count(baseline.transactions()),
                        MarkdownReport.rate(baseline.transactionsPerSecond()),
                        MarkdownReport.millis(baseline.transactionLatency().p50Millis()),
                        MarkdownReport.millis(baseline.transactionLatency().p99Millis())));
            }
        }
        if (baselines.pgbench() != null) {
            PgBench.Result pgbench = baselines.pgbench();
            baselineRows.add(List.of(
                    "pgbench " + pgbench.pgbenchVersion() + " simple-update, scale 1",
                    "100,000",
                    "-",
                    MarkdownReport.rate(pgbench.transactionsPerSecond()),
                    "-",
                    "-"));
        }
        if (!baselineRows.isEmpty()) {
            report.table(
                    List.of(
                            "Baseline, " + options.senders + " sessions",
                            "Keys",
                            "Transactions",
                            "tps",
                            "Txn p50 ms",
                            "Txn p99 ms"),
                    baselineRows);
        }

        goals(report, ingest, baselines);
        baselines.problems().forEach(problem -> report.line("- Note: " + problem));
        return report.toString();
    }

    private static void goals(MarkdownReport report, List<IngestPhase.Result> ingest, Baselines baselines) {
        report.line("Goals:");
        for (IngestPhase.Result phase : ingest) {
            if (phase.skuCount() == 1 && baselines.hot() != null) {
                double ratio = phase.appliedPerSecond() / baselines.hot().transactionsPerSecond();
                report.line("- Hot-SKU applied events/s ≥ " + MarkdownReport.GOAL_APPLIED_OVER_BASELINE
                        + " × baseline (" + phase.name() + "): "
                        + MarkdownReport.verdict(ratio >= MarkdownReport.GOAL_APPLIED_OVER_BASELINE)
                        + " (" + MarkdownReport.ratio(ratio) + ")");
            }
        }
        for (IngestPhase.Result phase : ingest) {
            double p99 = phase.ackLatency().p99Millis();
            report.line("- p99 ack ≤ " + (int) MarkdownReport.GOAL_P99_ACK_MILLIS + " ms, " + phase.name() + ": "
                    + MarkdownReport.verdict(p99 <= MarkdownReport.GOAL_P99_ACK_MILLIS) + " ("
                    + MarkdownReport.millis(p99) + " ms)");
        }
        report.line("");
    }

    private static String machine() {
        String cpu = readProcField("/proc/cpuinfo", "model name");
        String memKb = readProcField("/proc/meminfo", "MemTotal");
        StringBuilder text = new StringBuilder();
        text.append(Runtime.getRuntime().availableProcessors()).append(" cores");
        if (cpu != null) {
            text.append(" (").append(cpu).append(')');
        }
        if (memKb != null) {
            long kb = Long.parseLong(memKb.replaceAll("[^0-9]", ""));
            text.append(", ").append(Math.round(kb / 1024.0 / 1024.0)).append(" GiB RAM");
        }
        text.append(", ")
                .append(System.getProperty("os.name"))
                .append(' ')
                .append(System.getProperty("os.arch"))
                .append(", Java ")
                .append(System.getProperty("java.version"))
                .append("; the hub, its PostgreSQL and this benchmark share the machine");
        return text.toString();
    }

    /**
     * Share of all CPUs that was busy over {@code window} (from Linux /proc/stat), or NaN elsewhere.
     * Taken before the first event is sent, when the hub should be idle.
     */
    private static double machineBusyShare(Duration window) throws InterruptedException {
        long[] before = cpuJiffies();
        Thread.sleep(window.toMillis());
        long[] after = cpuJiffies();
        if (before == null || after == null || after[0] == before[0]) {
            return Double.NaN;
        }
        return (double) (after[1] - before[1]) / (after[0] - before[0]);
    }

    /** {total, busy} jiffies over all CPUs: the first line of /proc/stat, idle and iowait being not busy. */
    private static long[] cpuJiffies() {
        try {
            String[] fields =
                    Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < fields.length; i++) {
                total += Long.parseLong(fields[i]);
            }
            long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
            return new long[] {total, total - idle};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** A "name : value" line of a Linux /proc file, or null elsewhere. */
    private static String readProcField(String file, String name) {
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                if (line.startsWith(name)) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or not readable: the report just leaves the field out.
        }
        return null;
    }

    private static String firstWords(String text, int words) {
        String[] parts = text.split(" ");
        return String.join(" ", java.util.Arrays.copyOf(parts, Math.min(words, parts.length)));
    }
}
