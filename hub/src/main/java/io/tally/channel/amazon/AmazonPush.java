package io.tally.channel.amazon;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.catalog.Listing;
import io.tally.catalog.ListingRepository;
import io.tally.connector.ChannelPush;
import io.tally.connector.PushCommand;
import io.tally.connector.PushOutcome;
import io.tally.push.RejectedPushException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Sets a listing's merchant-fulfilled quantity with {@code patchListingsItem}: {@code fulfillment_availability} of the
 * {@code DEFAULT} channel, an absolute level (naturally idempotent; Amazon has no compare-and-set, which is why the
 * planner carries nothing over such a push, see {@link AmazonConnector#traits()}). Amazon answers
 * {@code ACCEPTED} and applies it asynchronously; {@code INVALID} is a refusal for good. Calls are paced by the
 * seller's patchListingsItem bucket in {@link SpApiClient} (5/s, burst 5 by default), whatever the store's
 * {@code max-pushes-per-second}.
 */
@Component("amazonPush")
public class AmazonPush implements ChannelPush {

    static final String LISTINGS_PATH = "/listings/2021-08-01/items/";

    private final SpApiClient client;
    private final AmazonStores stores;
    private final AmazonProperties properties;
    private final ListingRepository listings;

    /**
     * Results (5xx and 429 from {@link SpApiClient} included) are counted and logged for every channel alike, from
     * the route (io.tally.ops.PushMetricsNotifier).
     */
    public AmazonPush(
            SpApiClient client, AmazonStores stores, AmazonProperties properties, ListingRepository listings) {
        this.client = client;
        this.stores = stores;
        this.properties = properties;
        this.listings = listings;
    }

    /** @return confirmed without a channel time: Amazon reports none for the change */
    @Override
    public PushOutcome push(PushCommand command) {
        String store = command.store();
        String productType = listings.findById(command.listingId())
                .map(Listing::channelProduct)
                .filter(t -> !t.isBlank())
                .orElse(properties.productType());
        Map<String, Object> availability = new LinkedHashMap<>();
        availability.put("fulfillment_channel_code", "DEFAULT");
        availability.put("quantity", Math.max(0, command.level()));
        Map<String, Object> body = Map.of(
                "productType",
                productType,
                "patches",
                List.of(Map.of(
                        "op",
                        properties.patchOp(),
                        "path",
                        "/attributes/fulfillment_availability",
                        "value",
                        List.of(availability))));
        JsonNode answer = client.patch(
                store,
                AmazonProperties.PATCH_LISTINGS_ITEM,
                LISTINGS_PATH + SpApiClient.enc(stores.sellerId(store)) + "/" + SpApiClient.enc(command.ref()),
                Map.of("marketplaceIds", stores.marketplaceId(store)),
                body);
        String status = answer.path("status").asText("");
        if (!"ACCEPTED".equals(status)) {
            throw new RejectedPushException("Amazon refused the quantity " + command.level() + " for SKU "
                    + command.ref() + " of store " + store + " (" + (status.isEmpty() ? "no status" : status) + "): "
                    + answer.path("issues"));
        }
        return PushOutcome.confirmed();
    }
}
