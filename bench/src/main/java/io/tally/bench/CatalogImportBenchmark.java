package io.tally.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Catalog import benchmark (bench/README.md): listings per second through {@code POST /api/catalog/listings} (one CSV
 * file, all or nothing) against the baseline measured in the same run, one {@code PUT /api/listings/{store}/{ref}}
 * per listing from concurrent clients. Every listing is a new master listing with a level, so each one also creates
 * and seeds its stock item and is pushed to the store's sink.
 *
 * <p>Options: {@code --hub-url=} {@code --token=} (or TALLY_ADMIN_TOKEN) {@code --store=bench} {@code --rows=10000}
 * {@code --rounds=3} {@code --baseline-listings=2000} {@code --baseline-clients=4} {@code --warmup-rounds=3}
 * {@code --sink-port=9999}. Other options (those run-with-hub.sh gives the ingest benchmark) are ignored.
 */
public final class CatalogImportBenchmark {

    private final HubClient hub;
    private final String store;
    private final int rows;
    private final int rounds;
    private final int baselineListings;
    private final int baselineClients;
    private final int warmupRounds;
    private final String runId = "c" + Long.toString(System.currentTimeMillis(), 36);

    private CatalogImportBenchmark(String[] args) {
        String hubUrl = NamedArgs.value(args, "hub-url", "http://127.0.0.1:8080");
        String token = NamedArgs.value(args, "token", System.getenv().getOrDefault("TALLY_ADMIN_TOKEN", "bench-token"));
        this.hub = new HubClient(URI.create(hubUrl), token);
        this.store = NamedArgs.value(args, "store", "bench");
        this.rows = Integer.parseInt(NamedArgs.value(args, "rows", "10000"));
        this.rounds = Integer.parseInt(NamedArgs.value(args, "rounds", "3"));
        this.baselineListings = Integer.parseInt(NamedArgs.value(args, "baseline-listings", "2000"));
        this.baselineClients = Integer.parseInt(NamedArgs.value(args, "baseline-clients", "4"));
        this.warmupRounds = Integer.parseInt(NamedArgs.value(args, "warmup-rounds", "3"));
    }

    public static void main(String[] args) throws Exception {
        int sinkPort = Integer.parseInt(NamedArgs.value(args, "sink-port", "9999"));
        try (PushSink sink = PushSink.start(sinkPort)) {
            new CatalogImportBenchmark(args).run();
            System.out.printf(Locale.ROOT, "pushes received by the sink: %,d%n", sink.pushesReceived());
        }
    }

    private void run() throws Exception {
        hub.checkReady(store);
        System.out.println("machine: " + MachineInfo.describe());
        // Warm-up: the same two paths, smaller, until the JIT has compiled them (numbers not kept).
        for (int w = 0; w < warmupRounds; w++) {
            imported(csv("w" + w, rows / 2), false);
            perRequest("w" + w, Math.max(100, baselineListings / 4));
        }
        System.out.printf(Locale.ROOT, "warm-up: %d rounds of %,d rows imported and %,d listings declared one by one%n",
                warmupRounds, rows / 2, Math.max(100, baselineListings / 4));

        List<Double> baseline = new ArrayList<>();
        List<Double> bulk = new ArrayList<>();
        List<Double> dryRuns = new ArrayList<>();
        List<Double> reimports = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            // Interleaved, so both see the same machine (shared and noisy) and the same table sizes.
            baseline.add(perRequest("b" + round, baselineListings));
            String file = csv("m" + round, rows);
            dryRuns.add(imported(file, true));
            bulk.add(imported(file, false));
            reimports.add(imported(file, false));
            System.out.printf(Locale.ROOT,
                    "round %d: one by one %,.0f listings/s; file of %,d rows: dry run %,.0f, import %,.0f, "
                            + "re-import %,.0f rows/s%n",
                    round + 1, baseline.get(round), rows, dryRuns.get(round), bulk.get(round), reimports.get(round));
        }
        double base = median(baseline);
        System.out.println();
        System.out.printf(Locale.ROOT, "baseline, PUT per listing (%d clients): median %,.0f listings/s%n",
                baselineClients, base);
        report("import, new listings", bulk, base);
        report("dry run", dryRuns, base);
        report("re-import, every listing updated", reimports, base);
    }

    private static void report(String what, List<Double> rates, double base) {
        double median = median(rates);
        System.out.printf(Locale.ROOT, "%s: median %,.0f rows/s = %.1f x the baseline (rounds: %s)%n",
                what, median, median / base, rates.stream().map(r -> String.format(Locale.ROOT, "%,.0f", r)).toList());
    }

    /** Rows per second of one import (or dry run) of the file. */
    private double imported(String csv, boolean dryRun) throws Exception {
        long lines = csv.chars().filter(c -> c == '\n').count() - 1;
        long start = System.nanoTime();
        JsonNode answer = hub.importListings(csv, dryRun);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (answer.path("rows").asLong() != lines || answer.path("applied").asBoolean() == dryRun) {
            throw new IllegalStateException("unexpected import answer: " + answer);
        }
        return lines / seconds;
    }

    /** Listings per second declared one request each, {@code baselineClients} at a time. */
    private double perRequest(String prefix, int count) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(baselineClients);
        try {
            long start = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String ref = runId + "-" + prefix + "-" + i;
                done.add(pool.submit(() -> {
                    hub.declareMasterListing(store, ref, ref, 25);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            return count / ((System.nanoTime() - start) / 1e9);
        } finally {
            pool.shutdown();
        }
    }

    /** A listings file of new master listings with a level (each one creates and seeds its item). */
    private String csv(String prefix, int count) {
        StringBuilder b = new StringBuilder(count * 48).append("store,ref,sku,master,level\r\n");
        for (int i = 0; i < count; i++) {
            String ref = runId + "-" + prefix + "-" + i;
            b.append(store).append(',').append(ref).append(',').append(ref).append(",true,25\r\n");
        }
        return b.toString();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

}
