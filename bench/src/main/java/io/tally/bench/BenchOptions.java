package io.tally.bench;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/** Command-line options of the benchmark: {@code --name=value} or {@code --name value}; flags alone mean true. */
final class BenchOptions {

    static final String USAGE = """
            Tally ingest benchmark: 32 closed-loop HTTP senders against a running hub, plus a
            one-transaction-per-event baseline on the hub's own PostgreSQL.

            Options (defaults in brackets):
              --hub-url=URL             hub base URL [http://127.0.0.1:8080]
              --event-urls=URL,URL      hubs the senders post events to, sender i to URL i mod n: replicas
                                        behind one database (reads and the ledger pause go to --hub-url)
                                        [--hub-url]
              --token=TOKEN             admin bearer token [$TALLY_ADMIN_TOKEN, else change-me]
              --store=ID                hub store with channel http to post events to [bench]
              --events=N                events per measured phase [20000]
              --skus=N                  SKUs in the spread phase [1000]
              --senders=N               concurrent HTTP senders, and baseline JDBC threads [32]
              --warmup-events=N         events per warm-up round (sent and awaited, not reported);
                                        0 skips the warm-up [10000]
              --warmup-rounds=N         at most this many warm-up rounds [20]
              --hub-metrics-url=URL     the hub's Prometheus endpoint (management port), e.g.
                                        http://127.0.0.1:8081/actuator/prometheus: warm-up rounds go on
                                        until the hub's JIT is nearly idle (--warmup-jit), and each phase
                                        reports the JIT activity it still saw [none: a single round]
              --warmup-jit=X            JIT compile seconds per second below which the hub counts as
                                        warm [0.25]
              --phases=LIST             which measured phases to run: hot,spread [hot,spread]
              --no-backlog              skip the backlog phases (ledger paused while sending, then resumed)
              --sink-port=PORT          port of the built-in push sink (the store's push-url) [9999]
              --no-sink                 do not start the push sink (push-url points elsewhere)
              --jdbc-url=URL            the hub's PostgreSQL, for the baseline
                                        [jdbc:postgresql://127.0.0.1:5432/postgres]
              --db-user=USER            [postgres]
              --db-password=PASSWORD    [postgres]
              --no-baseline             skip the JDBC baseline (and pgbench)
              --baseline-sync-commit=M  synchronous_commit for the baseline sessions:
                                        server|on|off [server = whatever the server is set to]
              --pgbench=MODE            also run pgbench simple-update: auto|on|off [auto = if on PATH]
              --pgbench-seconds=N       pgbench run time [10]
              --pgbench-clients=N       pgbench clients (issue 16 compares against 8) [8]
              --poll-ms=N               ledger poll interval while waiting for events to apply [20]
              --stall-seconds=N         give up waiting when an item's on-hand has not moved for this long [30]
              --help
            """;

    final URI hubUrl;
    final java.util.List<URI> eventUrls;
    final String token;
    final String store;
    final int events;
    final int skus;
    final int senders;
    final int warmupEvents;
    final int warmupRounds;
    final URI hubMetricsUrl;
    final double warmupJitBusy;
    final boolean runHotPhase;
    final boolean runSpreadPhase;
    final boolean runBacklogPhases;
    final boolean startSink;
    final int sinkPort;
    final String jdbcUrl;
    final String dbUser;
    final String dbPassword;
    final boolean runBaseline;
    final String baselineSyncCommit;
    final String pgbenchMode;
    final int pgbenchSeconds;
    final int pgbenchClients;
    final int pollMillis;
    final int stallSeconds;

    private BenchOptions(Map<String, String> args) {
        hubUrl = URI.create(stripTrailingSlash(args.getOrDefault("hub-url", "http://127.0.0.1:8080")));
        eventUrls = args.containsKey("event-urls")
                ? java.util.Arrays.stream(args.get("event-urls").split(","))
                        .map(String::trim)
                        .filter(u -> !u.isEmpty())
                        .map(u -> URI.create(stripTrailingSlash(u)))
                        .toList()
                : java.util.List.of(hubUrl);
        token = args.getOrDefault("token", envOrDefault("TALLY_ADMIN_TOKEN", "change-me"));
        store = args.getOrDefault("store", "bench");
        events = positiveInt(args, "events", 20_000);
        skus = positiveInt(args, "skus", 1_000);
        senders = positiveInt(args, "senders", 32);
        warmupEvents = nonNegativeInt(args, "warmup-events", 10_000);
        warmupRounds = positiveInt(args, "warmup-rounds", 20);
        hubMetricsUrl = args.containsKey("hub-metrics-url") ? URI.create(args.get("hub-metrics-url")) : null;
        warmupJitBusy = Double.parseDouble(args.getOrDefault("warmup-jit", "0.25"));
        String phases = args.getOrDefault("phases", "hot,spread");
        runHotPhase = phases.contains("hot");
        runSpreadPhase = phases.contains("spread");
        runBacklogPhases = !args.containsKey("no-backlog");
        startSink = !args.containsKey("no-sink");
        sinkPort = nonNegativeInt(args, "sink-port", 9999);
        jdbcUrl = args.getOrDefault("jdbc-url", "jdbc:postgresql://127.0.0.1:5432/postgres");
        dbUser = args.getOrDefault("db-user", "postgres");
        dbPassword = args.getOrDefault("db-password", "postgres");
        runBaseline = !args.containsKey("no-baseline");
        baselineSyncCommit = oneOf(args, "baseline-sync-commit", "server", "server", "on", "off");
        pgbenchMode = oneOf(args, "pgbench", "auto", "auto", "on", "off");
        pgbenchSeconds = positiveInt(args, "pgbench-seconds", 10);
        pgbenchClients = positiveInt(args, "pgbench-clients", 8);
        pollMillis = positiveInt(args, "poll-ms", 20);
        stallSeconds = positiveInt(args, "stall-seconds", 30);
        if (!runHotPhase && !runSpreadPhase) {
            throw new IllegalArgumentException("--phases must name hot and/or spread");
        }
    }

    /** Returns null when --help was asked for. */
    static BenchOptions parse(String[] argv) {
        Map<String, String> args = new LinkedHashMap<>();
        for (int i = 0; i < argv.length; i++) {
            String arg = argv[i];
            if (arg.isBlank()) {
                continue; // exec:java passes an empty argument when -Dexec.args is empty
            }
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "' (options start with --)");
            }
            String body = arg.substring(2);
            int eq = body.indexOf('=');
            if (eq >= 0) {
                args.put(body.substring(0, eq), body.substring(eq + 1));
            } else if (i + 1 < argv.length && !argv[i + 1].startsWith("--") && !isFlag(body)) {
                args.put(body, argv[++i]);
            } else {
                args.put(body, "true");
            }
        }
        if (args.containsKey("help")) {
            return null;
        }
        return new BenchOptions(args);
    }

    private static boolean isFlag(String name) {
        return name.equals("help") || name.equals("no-sink") || name.equals("no-baseline") || name.equals("no-backlog");
    }

    private static String envOrDefault(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static int positiveInt(Map<String, String> args, String name, int fallback) {
        int value = nonNegativeInt(args, name, fallback);
        if (value == 0) {
            throw new IllegalArgumentException("--" + name + " must be at least 1");
        }
        return value;
    }

    private static int nonNegativeInt(Map<String, String> args, String name, int fallback) {
        String raw = args.get(name);
        if (raw == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw.replace("_", "").replace(",", ""));
            if (value < 0) {
                throw new IllegalArgumentException("--" + name + " must not be negative");
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, got '" + raw + "'");
        }
    }

    private static String oneOf(Map<String, String> args, String name, String fallback, String... allowed) {
        String value = args.getOrDefault(name, fallback);
        for (String candidate : allowed) {
            if (candidate.equals(value)) {
                return value;
            }
        }
        throw new IllegalArgumentException(
                "--" + name + " must be one of " + String.join("|", allowed) + ", got '" + value + "'");
    }
}
