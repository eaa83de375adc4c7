package io.tally.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The summary printed at the end of a run: header, phase and baseline tables, goals (bench/README.md). */
final class BenchSummary {

    /** Above this share of busy CPU before the run, the figures are flagged as measured on a busy machine. */
    private static final double BUSY_BEFORE_RUN_LIMIT = 0.20;

    private final BenchOptions options;
    private final String runId;
    private final double idleMachineBusyShare;
    private final int warmupRoundsRun;
    private final double warmupLastJitBusy;
    private final Map<String, Double> jitBusyByPhase;

    /**
     * @param idleMachineBusyShare how busy the CPUs were just before the run, NaN when not known
     * @param warmupLastJitBusy the hub's JIT activity in the last warm-up round, NaN when not known
     * @param jitBusyByPhase the hub's JIT compile seconds per second while each phase ran, by phase name
     */
    BenchSummary(
            BenchOptions options,
            String runId,
            double idleMachineBusyShare,
            int warmupRoundsRun,
            double warmupLastJitBusy,
            Map<String, Double> jitBusyByPhase) {
        this.options = options;
        this.runId = runId;
        this.idleMachineBusyShare = idleMachineBusyShare;
        this.warmupRoundsRun = warmupRoundsRun;
        this.warmupLastJitBusy = warmupLastJitBusy;
        this.jitBusyByPhase = jitBusyByPhase;
    }

    String render(List<IngestPhase.Result> ingest, Baselines baselines, long pushes, String deadLetters) {
        MarkdownReport report = new MarkdownReport();
        report.line("### Tally ingest benchmark, run " + runId).line("");
        report.line("- Machine: " + MachineInfo.describe());
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
        report.line("- Hub: " + options.hubUrl
                + (options.eventUrls.size() > 1
                        ? " (events spread over " + options.eventUrls.size() + " replicas: " + options.eventUrls + ")"
                        : "")
                + ", store `" + options.store + "`, " + options.senders
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

    private static String firstWords(String text, int words) {
        String[] parts = text.split(" ");
        return String.join(" ", java.util.Arrays.copyOf(parts, Math.min(words, parts.length)));
    }
}
