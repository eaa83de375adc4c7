package io.tally.reconcile;

import java.time.Instant;

/**
 * One listing as a channel's API describes it now: how it links to a stock item, and its level.
 *
 * @param level   what the channel shows as available at the synced location; null when it does not say
 * @param levelAt the channel's own time of that level, when it reports one
 * @param title   the listing's human name in the channel's catalog (Shopify: product / variant title); null if none
 */
public record ChannelListing(
        String ref,
        String sku,
        String barcode,
        String handle,
        boolean master,
        boolean hidden,
        Long level,
        Instant levelAt,
        String channelItem,
        String channelLocation,
        String channelProduct,
        String title) {

    /** A listing whose channel gives it no title (Amazon, Walmart: named by their SKU). */
    public ChannelListing(
            String ref,
            String sku,
            String barcode,
            String handle,
            boolean master,
            boolean hidden,
            Long level,
            Instant levelAt,
            String channelItem,
            String channelLocation,
            String channelProduct) {
        this(
                ref,
                sku,
                barcode,
                handle,
                master,
                hidden,
                level,
                levelAt,
                channelItem,
                channelLocation,
                channelProduct,
                null);
    }
}
