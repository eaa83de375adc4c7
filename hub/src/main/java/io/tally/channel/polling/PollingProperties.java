package io.tally.channel.polling;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings shared by the channel pollers ({@code tally.polling.*}).
 *
 * @param initialBackoffMs after a failed poll, a store's next polls are skipped for this long, doubling with each
 *                         failure in a row; 0 (the default) sends every poll to the channel, which is what lets a
 *                         poller notice the end of an outage within one interval
 * @param maxBackoffMs     the longest such pause
 */
@ConfigurationProperties("tally.polling")
public record PollingProperties(long initialBackoffMs, long maxBackoffMs) {

    public PollingProperties {
        if (initialBackoffMs < 0 || maxBackoffMs < initialBackoffMs) {
            throw new IllegalArgumentException("tally.polling: need 0 <= initial-backoff-ms <= max-backoff-ms");
        }
    }

    /** How long polls pause after {@code failuresInARow} failures (0: not at all). */
    long backoffMs(int failuresInARow) {
        if (initialBackoffMs == 0 || failuresInARow < 1) {
            return 0;
        }
        return Math.min(maxBackoffMs, initialBackoffMs << Math.min(failuresInARow - 1, 20));
    }
}
