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
        @DefaultValue("inventory-master") String masterTag,
        @DefaultValue("tally-hidden") String hiddenTag,
        @DefaultValue EmbeddedDb embeddedDb,
        @DefaultValue Ledger ledger,
        @DefaultValue Push push,
        @DefaultValue Http http,
        @DefaultValue Shopify shopify,
        @DefaultValue Reconcile reconcile,
        Map<String, StoreProperties> stores) {

    public TallyProperties {
        stores = stores == null ? Map.of() : new LinkedHashMap<>(stores);
    }

    public record EmbeddedDb(@DefaultValue("./data/pg") Path dataDir, @DefaultValue("0") int port) {
    }

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
            @DefaultValue("true") boolean applyEnabled,
            @DefaultValue("200") int batchSize,
            @DefaultValue("20") long batchIntervalMs,
            @DefaultValue("16") int partitions,
            @DefaultValue("4") int applyThreads,
            @DefaultValue("10000") long recoveryIntervalMs,
            @DefaultValue("3000") long observationSettleMs,
            @DefaultValue("10000") long readSettleMs) {
    }

    public record Push(
            @DefaultValue("5") int maxRetries,
            @DefaultValue("500") long initialBackoffMs,
            @DefaultValue("30000") long maxBackoffMs,
            @DefaultValue("30000") long sweepIntervalMs,
            @DefaultValue("5000") long timeoutMs,
            @DefaultValue("8") int concurrency) {
    }

    public record Http(@DefaultValue("1048576") long maxBodyBytes) {
    }

    /** Shopify connector settings shared by every Shopify store. */
    public record Shopify(
            @DefaultValue("2026-04") String apiVersion,
            @DefaultValue("100") int catalogPageSize,
            @DefaultValue("10000") long timeoutMs,
            @DefaultValue("60000") long maxThrottleWaitMs) {
    }

    /** Reconciliation: every store's levels are read and compared with Tally's targets. */
    public record Reconcile(@DefaultValue("900000") long intervalMs) {
    }
}
