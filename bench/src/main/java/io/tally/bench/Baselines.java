package io.tally.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the hub has to beat, on its own PostgreSQL: the one-transaction-per-event JDBC baseline (hot key and spread
 * keys) and, when pgbench is on the PATH, pgbench's simple-update.
 */
record Baselines(
        JdbcBaseline.ServerInfo server,
        JdbcBaseline.Result hot,
        JdbcBaseline.Result spread,
        PgBench.Result pgbench,
        List<String> problems) {
    static final Baselines SKIPPED = new Baselines(null, null, null, null, List.of("baseline skipped (--no-baseline)"));

    /** Baseline failures are reported, not fatal: the ingest figures already measured are still worth printing. */
    static Baselines run(BenchOptions options) {
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
}
