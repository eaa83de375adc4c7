package io.tally.policy;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** Everything under {@code tally.*}; README.md documents every key. */
@ConfigurationProperties("tally")
public record TallyProperties(
        String adminToken,
        String masterTag,
        String hiddenTag,
        @DefaultValue EmbeddedDb embeddedDb,
        @DefaultValue Ledger ledger,
        @DefaultValue Push push,
        @DefaultValue Http http,
        @DefaultValue Shopify shopify,
        @DefaultValue Reconcile reconcile,
        @DefaultValue Alerts alerts,
        Map<String, StoreProperties> stores) {

    public TallyProperties {
        stores = stores == null ? Map.of() : new LinkedHashMap<>(stores);
    }

    public record EmbeddedDb(Path dataDir, int port) {}

    /**
     * Alerts POSTed to {@code url} (none sent without one; they are still listed by GET /api/alerts).
     *
     * @param token                     sent as {@code Authorization: Bearer} when set
     * @param intervalMs                how often conditions are scanned and undelivered alerts retried
     * @param pollerStoppedAfterMs      a poller with no successful poll for this long is reported stopped
     * @param reconciliationCorrections a reconciliation run correcting more listings than this is reported
     */
    public record Alerts(
            String url,
            String token,
            long intervalMs,
            long timeoutMs,
            long pollerStoppedAfterMs,
            int reconciliationCorrections) {}

    /**
     * Timings are in milliseconds because the YAML routes read them as plain numbers.
     *
     * @param observationSettleMs how long a level change seen on a marketplace waits before it is judged, so the
     *                            order or refund that caused it (sent at the same moment, in any order) is booked
     *                            first and the change is recognised as its consequence
     * @param readSettleMs        the same for a level Tally read itself (after a failed compare-and-set, or in a
     *                            reconciliation): a read races orders whose webhooks are not even sent yet, so it
     *                            waits longer
     */
    public record Ledger(
            boolean applyEnabled,
            int batchSize,
            long batchIntervalMs,
            int partitions,
            int applyThreads,
            long recoveryIntervalMs,
            long observationSettleMs,
            long readSettleMs) {}

    public record Push(
            int maxRetries,
            long initialBackoffMs,
            long maxBackoffMs,
            long sweepIntervalMs,
            long timeoutMs,
            int concurrency) {}

    /** {@code maxImportBytes} bounds a catalog file (POST /api/catalog/...); every other body has the smaller limit. */
    public record Http(long maxBodyBytes, long maxImportBytes) {}

    /** Shopify connector settings shared by every Shopify store. */
    public record Shopify(String apiVersion, int catalogPageSize, long timeoutMs, long maxThrottleWaitMs) {}

    /** Reconciliation: every store's levels are read and compared with Tally's targets. */
    public record Reconcile(long intervalMs) {}
}
