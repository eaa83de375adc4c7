package io.tally.bench;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Optional second baseline: PostgreSQL's own pgbench, built-in "simple-update" script
 * (one transaction = update one account row, select it, insert a history row), with the same
 * number of clients, in a scratch database {@code bench_pgbench} that is created and dropped here.
 */
final class PgBench {

    record Result(double transactionsPerSecond, int clients, int seconds, String pgbenchVersion) {}

    private static final String DATABASE = "bench_pgbench";
    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");

    private final BenchOptions options;
    private final String host;
    private final int port;

    PgBench(BenchOptions options) {
        this.options = options;
        // jdbc:postgresql://host:port/database?params → a URI the JDK can take apart.
        URI uri = URI.create(options.jdbcUrl.replaceFirst("^jdbc:", ""));
        this.host = uri.getHost() == null ? "127.0.0.1" : uri.getHost();
        this.port = uri.getPort() < 0 ? 5432 : uri.getPort();
    }

    static Optional<String> findOnPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String directory : path.split(File.pathSeparator)) {
            File candidate = new File(directory, "pgbench");
            if (candidate.canExecute()) {
                return Optional.of(candidate.getPath());
            }
        }
        return Optional.empty();
    }

    Result run(String pgbench) throws IOException, InterruptedException, SQLException {
        recreateDatabase();
        try {
            runProcess(List.of(pgbench, "--initialize", "--scale=1", "--quiet"), 300);
            String output = runProcess(
                    List.of(
                            pgbench,
                            "--builtin=simple-update",
                            "--client=" + options.pgbenchClients,
                            "--jobs=2",
                            "--time=" + options.pgbenchSeconds),
                    options.pgbenchSeconds + 120L);
            Matcher tps = TPS.matcher(output);
            if (!tps.find()) {
                throw new IOException("no tps line in pgbench output:\n" + output);
            }
            // "pgbench (PostgreSQL) 15.18 (Debian ...)" → "15.18"
            String[] versionWords =
                    runProcess(List.of(pgbench, "--version"), 30).trim().split("\\s+");
            String version = versionWords.length > 2 ? versionWords[2] : String.join(" ", versionWords);
            return new Result(
                    Double.parseDouble(tps.group(1)), options.pgbenchClients, options.pgbenchSeconds, version);
        } finally {
            dropDatabase();
        }
    }

    private String runProcess(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(command);
        if (!command.contains("--version")) {
            full.addAll(List.of("--host=" + host, "--port=" + port, "--username=" + options.dbUser, DATABASE));
        }
        ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true);
        builder.environment().put("PGPASSWORD", options.dbPassword);
        Process process = builder.start();
        // pgbench's output is a few KB and it stops by itself (--time), so reading to the end is safe;
        // the timeout below only guards against a pgbench that closes its output and then hangs.
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("pgbench did not finish in " + timeoutSeconds + " s");
        }
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited " + process.exitValue() + ":\n" + output);
        }
        return output;
    }

    private void recreateDatabase() throws SQLException {
        try (Connection connection = DriverManager.getConnection(options.jdbcUrl, options.dbUser, options.dbPassword);
                Statement statement = connection.createStatement()) {
            statement.execute("drop database if exists " + DATABASE);
            statement.execute("create database " + DATABASE);
        }
    }

    private void dropDatabase() throws SQLException {
        try (Connection connection = DriverManager.getConnection(options.jdbcUrl, options.dbUser, options.dbPassword);
                Statement statement = connection.createStatement()) {
            statement.execute("drop database if exists " + DATABASE);
        }
    }
}
