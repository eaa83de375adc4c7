package io.tally.bench;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Catalog-scale check (bench/README.md): imports {@code --items} stock items listed on each of {@code --stores}
 * through the CSV import, then times the admin API's calls (the status page's among them) and reads the hub's
 * resident memory, now and at its peak ({@code VmRSS} and {@code VmHWM} of {@code /proc/$HUB_PID/status}).
 *
 * <p>Options: {@code --hub-url=} {@code --token=} {@code --items=100000} {@code --stores=bench,s2,s3,s4}
 * {@code --file-rows=50000} {@code --tries=3}. The stores must be configured on the hub (run-with-hub.sh: HUB_ARGS).
 * Every listing is declared with the level its item gets (25), so nothing is left to push and the timings see the
 * API alone.
 */
public final class CatalogScaleCheck {

    public static void main(String[] args) throws Exception {
        HubClient hub = new HubClient(
                URI.create(NamedArgs.value(args, "hub-url", "http://127.0.0.1:8080")),
                NamedArgs.value(args, "token", System.getenv().getOrDefault("TALLY_ADMIN_TOKEN", "bench-token")));
        int items = Integer.parseInt(NamedArgs.value(args, "items", "100000"));
        List<String> stores = List.of(NamedArgs.value(args, "stores", "bench,s2,s3,s4").split(","));
        int fileRows = Integer.parseInt(NamedArgs.value(args, "file-rows", "50000"));
        int tries = Integer.parseInt(NamedArgs.value(args, "tries", "3"));
        String hubPid = System.getenv("HUB_PID");
        hub.checkReady(stores.get(0));
        System.out.println("machine: " + MachineInfo.describe());
        System.out.println("hub memory before the import: " + memory(hubPid));

        long start = System.nanoTime();
        for (String store : stores) {
            for (int from = 0; from < items; from += fileRows) {
                StringBuilder csv = new StringBuilder(fileRows * 40).append("store,ref,sku,master,level\r\n");
                for (int i = from; i < Math.min(items, from + fileRows); i++) {
                    String sku = String.format(Locale.ROOT, "scale-%07d", i);
                    csv.append(store).append(',').append(sku).append(',').append(sku).append(',')
                            .append(store.equals(stores.get(0))).append(",25\r\n");
                }
                hub.importListings(csv.toString(), false);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "imported %,d items x %d stores = %,d listings in %.1f s (%,.0f rows/s)%n",
                items, stores.size(), (long) items * stores.size(), seconds, items * stores.size() / seconds);
        System.out.println("hub memory after the import: " + memory(hubPid));

        String key = "scale-" + String.format(Locale.ROOT, "%07d", items / 2);
        List<String> calls = new ArrayList<>(List.of(
                "/api/listings",
                "/api/listings?store=" + stores.get(stores.size() - 1),
                "/api/items",
                "/api/items/" + key,
                "/api/items/" + key + "/ledger",
                "/api/items/" + key + "/history?minutes=60",
                "/api/stores",
                "/api/stores/" + stores.get(0) + "/missing-skus",
                "/api/stores/" + stores.get(0) + "/pushes?minutes=60",
                "/api/events?status=pending",
                "/api/dead-letters?status=open",
                "/api/reconciliations",
                "/api/alerts",
                "/api/ledger"));
        // A page deep in the listings: the Link of the first page, followed 20 times.
        String deep = "/api/listings";
        for (int i = 0; i < 20 && deep != null; i++) {
            deep = hub.timedGet(deep).nextLink();
        }
        if (deep != null) {
            calls.add(deep);
        }
        System.out.println();
        System.out.println("| call | status | bytes | median ms | max ms |");
        System.out.println("|---|---|---|---|---|");
        double worst = 0;
        for (String call : calls) {
            List<Double> ms = new ArrayList<>();
            HubClient.Timed last = null;
            for (int t = 0; t < tries; t++) {
                last = hub.timedGet(call);
                ms.add(last.millis());
            }
            ms.sort(null);
            worst = Math.max(worst, ms.get(ms.size() - 1));
            System.out.printf(Locale.ROOT, "| `%s` | %d | %,d | %.0f | %.0f |%n",
                    call.length() > 70 ? call.substring(0, 70) + "…" : call, last.status(), last.bytes(),
                    ms.get(ms.size() / 2), ms.get(ms.size() - 1));
        }
        HubClient.Timed export = hub.timedGet("/api/catalog/listings");
        System.out.printf(Locale.ROOT, "%nslowest API call: %.0f ms; full CSV export of every listing: %,d bytes in %.1f s%n",
                worst, export.bytes(), export.millis() / 1000);
        System.out.println("hub memory after the calls: " + memory(hubPid));
    }

    /** The hub's resident set now and at its peak, from /proc (Linux); "unknown" without HUB_PID. */
    private static String memory(String pid) {
        if (pid == null || pid.isBlank()) {
            return "unknown (HUB_PID not set)";
        }
        try {
            String rss = "?";
            String peak = "?";
            for (String line : Files.readAllLines(Path.of("/proc", pid.trim(), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = line.substring(6).trim();
                } else if (line.startsWith("VmHWM:")) {
                    peak = line.substring(6).trim();
                }
            }
            return "RSS " + rss + ", peak " + peak;
        } catch (java.io.IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

}
