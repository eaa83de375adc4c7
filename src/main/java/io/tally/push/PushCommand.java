package io.tally.push;

/** One push of one listing's target to its channel. */
public record PushCommand(long listingId, String store, String channel, String ref, String sku, long level,
        long version, String pushUrl, int maxPerSecond) {
}
