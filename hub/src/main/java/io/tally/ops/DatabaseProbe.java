package io.tally.ops;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;

/**
 * Whether PostgreSQL answers now: a {@code SELECT 1} on a pooled connection that must come back within
 * {@code tally.ops.db-timeout-ms}. The check runs on a thread of its own, so a pool waiting for a database that is
 * gone (Hikari waits up to its connection-timeout) cannot hold up a health probe: the probe says DOWN when the answer
 * is late, and while that check is still waiting no second one is started. A result is reused for at most
 * {@code reuse} (the {@code db} and {@code tally} health components of one request share it), never longer.
 */
final class DatabaseProbe implements AutoCloseable {

    /** The outcome of one check: reachable or not, how long it took, and the reason when not. */
    record Result(boolean reachable, Instant at, long millis, String error) {}

    private final DataSource dataSource;
    private final Duration timeout;
    private final Duration reuse;
    private final Clock clock;
    private final ExecutorService checks = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "tally-db-probe");
        t.setDaemon(true);
        return t;
    });
    private Future<Long> inFlight;
    private Instant inFlightSince;
    private Result last;

    DatabaseProbe(DataSource dataSource, Duration timeout, Duration reuse, Clock clock) {
        this.dataSource = dataSource;
        this.timeout = timeout;
        this.reuse = reuse;
        this.clock = clock;
    }

    synchronized Result check() {
        Instant now = clock.instant();
        if (last != null && Duration.between(last.at(), now).compareTo(reuse) < 0) {
            return last;
        }
        if (inFlight != null && !inFlight.isDone()) {
            // The previous check still waits for a connection or an answer: the database is not answering.
            last = new Result(
                    false,
                    now,
                    Duration.between(inFlightSince, now).toMillis(),
                    "no answer from the database for "
                            + Duration.between(inFlightSince, now).toMillis() + " ms");
            return last;
        }
        inFlight = checks.submit(this::selectOne);
        inFlightSince = now;
        long started = System.nanoTime();
        try {
            inFlight.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            last = new Result(true, clock.instant(), (System.nanoTime() - started) / 1_000_000, null);
        } catch (TimeoutException e) {
            last = new Result(
                    false,
                    clock.instant(),
                    timeout.toMillis(),
                    "no answer from the database within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            last = new Result(false, clock.instant(), (System.nanoTime() - started) / 1_000_000, reason(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            last = new Result(false, clock.instant(), 0, "interrupted while checking the database");
        }
        return last;
    }

    private long selectOne() throws Exception {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
            statement.execute("SELECT 1");
            return 1;
        }
    }

    private static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message =
                root.getMessage() == null ? "" : ": " + root.getMessage().strip();
        return root.getClass().getSimpleName() + message;
    }

    @Override
    public void close() {
        checks.shutdownNow();
    }
}
