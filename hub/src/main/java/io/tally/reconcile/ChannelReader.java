package io.tally.reconcile;

import io.tally.catalog.Listing;
import io.tally.policy.StoreProperties;
import java.util.List;

/** Reads a channel store's listings and levels through the channel's own API (one implementation per channel). */
public interface ChannelReader {

    boolean supports(StoreProperties store);

    /**
     * @param known the store's listings Tally has, for channels that can only be asked listing by listing
     * @return the listings the channel has now
     */
    Snapshot read(String store, List<Listing> known);

    /**
     * @param complete the snapshot is the store's whole catalog, so a known listing missing from it is gone from
     *                 the channel; false when only levels of known listings were read
     */
    record Snapshot(List<ChannelListing> listings, boolean complete) {}
}
