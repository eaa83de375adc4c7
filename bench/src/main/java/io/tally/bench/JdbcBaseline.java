package io.tally.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The naive design the hub is compared with: every event is its own transaction on the same
 * PostgreSQL (insert a ledger row with a unique event id, decrement the item's on-hand, commit),
 * run by as many concurrent JDBC sessions as the hub has HTTP senders. With one hot item every
 * transaction queues on the same row lock, which is the case the hub's batching exists for.
 * The tables are the benchmark's own ({@code bench_baseline_*}), created here and dropped after.
 */
final class JdbcBaseline implements AutoCloseable {

    record Result(
            String name,
            int keys,
            int transactions,
            int failed,
            double seconds,
            LatencyStats transactionLatency,
            List<String> warnings) {
        double transactionsPerSecond() {
            return transactions / seconds;
        }
    }

    record ServerInfo(String version, String synchronousCommit, String fsync) {}

    private static final int WARMUP_TRANSACTIONS = 1_000;

    private final BenchOptions options;
    private boolean tablesCreated;

    JdbcBaseline(BenchOptions options) {
        this.options = options;
    }

    ServerInfo serverInfo() throws SQLException {
        try (Connection connection = connect();
                Statement statement = connection.createStatement()) {
            return new ServerInfo(
                    queryString(statement, "select version()"),
                    queryString(statement, "show synchronous_commit"),
                    queryString(statement, "show fsync"));
        }
    }

    /** Runs {@code transactions} one-event transactions spread round-robin over {@code keys} items. */
    Result run(String name, int keys, int transactions) throws SQLException, InterruptedException {
        resetTables(keys);
        execute(keys, WARMUP_TRANSACTIONS, "warmup");
        resetTables(keys);
        return execute(keys, transactions, name);
    }

    private Result execute(int keys, int transactions, String name) throws SQLException, InterruptedException {
        AtomicInteger nextTransaction = new AtomicInteger();
        AtomicInteger committed = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        long[] latencyNanos = new long[transactions];
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();

        // Connections are opened before the clock starts: the hub's pool is warm too.
        List<Connection> connections = new ArrayList<>();
        try {
            for (int i = 0; i < options.senders; i++) {
                connections.add(openSession());
            }
            CountDownLatch startGate = new CountDownLatch(1);
            ExecutorService workers = Executors.newFixedThreadPool(options.senders, PushSink.daemonThreads("baseline"));
            List<Future<?>> running = new ArrayList<>();
            long startNanos;
            try {
                for (Connection connection : connections) {
                    running.add(workers.submit(() -> {
                        startGate.await();
                        runTransactions(
                                connection,
                                name,
                                keys,
                                transactions,
                                nextTransaction,
                                committed,
                                failed,
                                latencyNanos,
                                errors);
                        return null;
                    }));
                }
                startNanos = System.nanoTime();
                startGate.countDown();
                for (Future<?> future : running) {
                    future.get();
                }
            } catch (ExecutionException e) {
                throw new SQLException("baseline worker failed: " + e.getCause(), e.getCause());
            } finally {
                workers.shutdownNow();
            }
            double seconds = (System.nanoTime() - startNanos) / 1e9;

            List<String> warnings = new ArrayList<>(errors);
            String check = checkBookkeeping(committed.get());
            if (check != null) {
                warnings.add(check);
            }
            return new Result(
                    name,
                    keys,
                    committed.get(),
                    failed.get(),
                    seconds,
                    LatencyStats.ofNanos(latencyNanos, committed.get()),
                    warnings);
        } finally {
            for (Connection connection : connections) {
                connection.close();
            }
        }
    }

    private static void runTransactions(
            Connection connection,
            String name,
            int keys,
            int transactions,
            AtomicInteger nextTransaction,
            AtomicInteger committed,
            AtomicInteger failed,
            long[] latencyNanos,
            ConcurrentLinkedQueue<String> errors)
            throws SQLException {
        try (PreparedStatement insertLedger = connection.prepareStatement(
                        "insert into bench_baseline_ledger (item_key, delta, event_id) values (?, -1, ?)");
                PreparedStatement decrementOnHand = connection.prepareStatement(
                        "update bench_baseline_item set on_hand = on_hand - 1 where item_key = ?")) {
            int number;
            while ((number = nextTransaction.getAndIncrement()) < transactions) {
                String key = itemKey(number % keys);
                long startedAt = System.nanoTime();
                try {
                    // Ledger row first, on-hand last: the row lock on a hot item is then held only for
                    // the update and the commit, the most favourable order for the baseline.
                    insertLedger.setString(1, key);
                    insertLedger.setString(2, name + "-" + number);
                    insertLedger.executeUpdate();
                    decrementOnHand.setString(1, key);
                    decrementOnHand.executeUpdate();
                    connection.commit();
                    latencyNanos[committed.getAndIncrement()] = System.nanoTime() - startedAt;
                } catch (SQLException e) {
                    connection.rollback();
                    failed.incrementAndGet();
                    if (errors.size() < 5) {
                        errors.add("transaction " + number + ": " + e.getMessage());
                    }
                }
            }
        }
    }

    /** Every committed transaction must show as exactly one ledger row and one unit off the items. */
    private String checkBookkeeping(int committed) throws SQLException {
        try (Connection connection = connect();
                Statement statement = connection.createStatement()) {
            long ledgerRows = queryLong(statement, "select count(*) from bench_baseline_ledger");
            long unitsTaken = queryLong(
                    statement,
                    "select coalesce(sum(" + IngestPhase.INITIAL_LEVEL + " - on_hand), 0) from bench_baseline_item");
            if (ledgerRows != committed || unitsTaken != committed) {
                return "bookkeeping mismatch: " + committed + " commits, " + ledgerRows + " ledger rows, " + unitsTaken
                        + " units taken";
            }
            return null;
        }
    }

    private void resetTables(int keys) throws SQLException {
        try (Connection connection = connect();
                Statement statement = connection.createStatement()) {
            if (!tablesCreated) {
                statement.execute("drop table if exists bench_baseline_ledger, bench_baseline_item");
                statement.execute(
                        "create table bench_baseline_item (item_key text primary key, on_hand bigint not null)");
                statement.execute(
                        "create table bench_baseline_ledger (id bigserial primary key, item_key text not null,"
                                + " delta integer not null, event_id text not null unique, at timestamptz not null default now())");
                tablesCreated = true;
            }
            statement.execute("truncate bench_baseline_ledger, bench_baseline_item");
            try (PreparedStatement insert =
                    connection.prepareStatement("insert into bench_baseline_item (item_key, on_hand) values (?, ?)")) {
                for (int i = 0; i < keys; i++) {
                    insert.setString(1, itemKey(i));
                    insert.setLong(2, IngestPhase.INITIAL_LEVEL);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            statement.execute("vacuum analyze bench_baseline_item");
        }
    }

    @Override
    public void close() throws SQLException {
        if (tablesCreated) {
            try (Connection connection = connect();
                    Statement statement = connection.createStatement()) {
                statement.execute("drop table if exists bench_baseline_ledger, bench_baseline_item");
            }
        }
    }

    private Connection openSession() throws SQLException {
        Connection connection = connect();
        connection.setAutoCommit(false);
        if (!"server".equals(options.baselineSyncCommit)) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("set synchronous_commit = " + options.baselineSyncCommit);
            }
            connection.commit();
        }
        return connection;
    }

    private Connection connect() throws SQLException {
        try {
            return DriverManager.getConnection(options.jdbcUrl, options.dbUser, options.dbPassword);
        } catch (SQLException e) {
            throw new SQLException(
                    "cannot connect to " + options.jdbcUrl + " as " + options.dbUser + " (" + e.getMessage()
                            + "); pass the hub's database with --jdbc-url/--db-user/--db-password",
                    e.getSQLState(),
                    e);
        }
    }

    private static String itemKey(int index) {
        return "baseline-" + index;
    }

    private static String queryString(Statement statement, String sql) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }

    private static long queryLong(Statement statement, String sql) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
