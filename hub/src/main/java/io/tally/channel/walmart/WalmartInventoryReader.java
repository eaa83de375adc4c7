package io.tally.channel.walmart;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.catalog.Listing;
import io.tally.channel.walmart.WalmartApiClient.Operation;
import io.tally.policy.StoreProperties;
import io.tally.reconcile.ChannelListing;
import io.tally.reconcile.ChannelReader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Reconciliation for Walmart stores: Walmart is asked the level of every listing Tally knows
 * ({@code GET /v3/inventory?sku=}, paced by the inventory read limit). Listings are declared to Tally
 * ({@code PUT /api/listings/{store}/{sku}}); this reader does not import the catalog, so the snapshot is partial.
 */
@Component
public class WalmartInventoryReader implements ChannelReader {

    private static final Logger log = LoggerFactory.getLogger(WalmartInventoryReader.class);

    private final WalmartApiClient api;

    public WalmartInventoryReader(WalmartApiClient api) {
        this.api = api;
    }

    @Override
    public boolean supports(StoreProperties store) {
        return store.isOn(WalmartConnector.CHANNEL);
    }

    @Override
    public Snapshot read(String store, List<Listing> known) {
        List<ChannelListing> seen = new ArrayList<>();
        for (Listing listing : known) {
            if (listing.hidden() || listing.itemKey() == null) {
                continue;
            }
            JsonNode answer;
            try {
                answer = api.get(
                        store,
                        Operation.GET_INVENTORY,
                        "/v3/inventory?sku="
                                + URLEncoder.encode(listing.ref(), StandardCharsets.UTF_8)
                                        .replace("+", "%20"));
            } catch (WalmartNotFoundException e) {
                log.warn(
                        "Walmart store {} has no item with SKU '{}' (listing {}): not reconciled",
                        store,
                        listing.ref(),
                        listing.id());
                continue;
            }
            JsonNode amount = answer.path("quantity").path("amount");
            Long level = amount.isNumber() ? amount.asLong() : null;
            seen.add(new ChannelListing(
                    listing.ref(),
                    listing.sku(),
                    listing.barcode(),
                    listing.handle(),
                    listing.master(),
                    listing.hidden(),
                    level,
                    null,
                    listing.channelItem(),
                    listing.channelLocation(),
                    listing.channelProduct()));
        }
        return new Snapshot(seen, false);
    }
}
