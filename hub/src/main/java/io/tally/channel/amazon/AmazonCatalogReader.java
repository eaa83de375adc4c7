package io.tally.channel.amazon;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.catalog.Listing;
import io.tally.dispatch.Dispatch;
import io.tally.policy.StoreProperties;
import io.tally.reconcile.ChannelListing;
import io.tally.reconcile.ChannelReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Reads a seller's listings for import and reconciliation: {@code searchListingsItems} pages through the catalog
 * (SKU, ASIN, product type and the {@code DEFAULT} fulfillment quantity); Amazon pages through at most 1,000 SKUs, so
 * beyond that known listings not seen are read one by one with {@code getListingsItem} and the snapshot is not
 * complete (nothing is unlinked for being missing).
 *
 * <p>Before levels are read, the seller's orders are polled and handed to the ledger, so a sale that lowered Amazon's
 * level is booked before that level is judged (the observation settle window covers the rest). A level read within
 * {@code tally.amazon.listing-processing-ms} of a push is not reported: Amazon applies an ACCEPTED patch
 * asynchronously, so it may not show yet and would look like an edit made on Amazon.
 */
@Component
public class AmazonCatalogReader implements ChannelReader {

    private static final int SEARCH_LIMIT = 1000;

    private final SpApiClient client;
    private final AmazonStores stores;
    private final AmazonProperties properties;
    private final AmazonOrderPoller poller;
    private final Dispatch dispatch;

    public AmazonCatalogReader(
            SpApiClient client,
            AmazonStores stores,
            AmazonProperties properties,
            AmazonOrderPoller poller,
            Dispatch dispatch) {
        this.client = client;
        this.stores = stores;
        this.properties = properties;
        this.poller = poller;
        this.dispatch = dispatch;
    }

    @Override
    public boolean supports(StoreProperties store) {
        return store.isOn(AmazonConnector.CHANNEL);
    }

    @Override
    public Snapshot read(String store, List<Listing> known) {
        dispatch.applyEvents(poller.poll(store));
        String seller = stores.sellerId(store);
        String marketplace = stores.marketplaceId(store);
        Map<String, Listing> knownByRef = new LinkedHashMap<>();
        known.forEach(l -> knownByRef.put(l.ref(), l));
        List<ChannelListing> seen = new ArrayList<>();
        Set<String> seenRefs = new HashSet<>();
        String pageToken = null;
        int total = 0;
        do {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("marketplaceIds", marketplace);
            query.put("includedData", "summaries,fulfillmentAvailability");
            query.put("pageSize", String.valueOf(properties.catalogPageSize()));
            if (pageToken != null) {
                query.put("pageToken", pageToken);
            }
            JsonNode page = client.get(
                    store,
                    AmazonProperties.SEARCH_LISTINGS_ITEMS,
                    AmazonPush.LISTINGS_PATH + SpApiClient.enc(seller),
                    query);
            total = page.path("numberOfResults").asInt(0);
            for (JsonNode item : page.path("items")) {
                ChannelListing listing =
                        listing(item, knownByRef.get(AmazonOrderMapper.text(item, "sku")), marketplace);
                if (listing != null && seenRefs.add(listing.ref())) {
                    seen.add(listing);
                }
            }
            pageToken = AmazonOrderMapper.text(page.path("pagination"), "nextToken");
        } while (pageToken != null);
        boolean complete = total <= SEARCH_LIMIT;
        if (!complete) {
            for (Listing listing : known) {
                if (seenRefs.contains(listing.ref())) {
                    continue;
                }
                try {
                    JsonNode item = client.get(
                            store,
                            AmazonProperties.GET_LISTINGS_ITEM,
                            AmazonPush.LISTINGS_PATH + SpApiClient.enc(seller) + "/" + SpApiClient.enc(listing.ref()),
                            Map.of("marketplaceIds", marketplace, "includedData", "summaries,fulfillmentAvailability"));
                    ChannelListing read = listing(item, listing, marketplace);
                    if (read != null) {
                        seen.add(read);
                    }
                } catch (SpApiClient.AmazonApiException e) {
                    if (e.status() != 404) {
                        throw e;
                    }
                }
            }
        }
        return new Snapshot(seen, complete);
    }

    private ChannelListing listing(JsonNode item, Listing known, String marketplace) {
        String sku = AmazonOrderMapper.text(item, "sku");
        if (sku == null) {
            return null;
        }
        JsonNode summary = item.path("summaries").path(0);
        for (JsonNode s : item.path("summaries")) {
            if (marketplace.equals(s.path("marketplaceId").asText())) {
                summary = s;
            }
        }
        Long level = null;
        for (JsonNode availability : item.path("fulfillmentAvailability")) {
            if ("DEFAULT".equals(availability.path("fulfillmentChannelCode").asText())
                    && availability.path("quantity").canConvertToLong()) {
                level = availability.path("quantity").asLong();
            }
        }
        if (known != null && pushedRecently(known)) {
            level = null;
        }
        // Amazon has no master or hidden flag of its own: what was declared in Tally stays.
        return new ChannelListing(
                sku,
                sku,
                null,
                null,
                known != null && known.master(),
                known != null && known.hidden(),
                level,
                null,
                AmazonOrderMapper.text(summary, "asin"),
                marketplace,
                AmazonOrderMapper.text(summary, "productType"));
    }

    private boolean pushedRecently(Listing listing) {
        Instant pushedAt = listing.lastPushedAt();
        return listing.inflightLevel() != null
                || (pushedAt != null && pushedAt.isAfter(Instant.now().minusMillis(properties.listingProcessingMs())));
    }
}
