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
        Map<String, StoreProperties> stores) {

    public TallyProperties {
        stores = stores == null ? Map.of() : new LinkedHashMap<>(stores);
    }

    public record EmbeddedDb(@DefaultValue("./data/pg") Path dataDir, @DefaultValue("0") int port) {
    }

    /** Timings are in milliseconds because the YAML routes read them as plain numbers. */
    public record Ledger(
            @DefaultValue("true") boolean applyEnabled,
            @DefaultValue("200") int batchSize,
            @DefaultValue("20") long batchIntervalMs,
            @DefaultValue("16") int partitions,
            @DefaultValue("4") int applyThreads,
            @DefaultValue("10000") long recoveryIntervalMs) {
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
}
