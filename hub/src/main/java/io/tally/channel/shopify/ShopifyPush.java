package io.tally.channel.shopify;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.connector.ChannelPush;
import io.tally.connector.PushCommand;
import io.tally.connector.PushOutcome;
import io.tally.event.Observations;
import io.tally.push.RejectedPushException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Writes a listing's target to Shopify with {@code inventorySetQuantities}: compare-and-set against the level Tally
 * last knew ({@code changeFromQuantity}), under an idempotency key derived from the push, so a retried request
 * after a timeout is applied once. A stale compare means Shopify's level moved without Tally hearing of it yet:
 * the level is read and recorded as an observation (judged after the settle window, by the store's adjustment
 * policy), and the push is planned again from there.
 */
@Component("shopifyPush")
public class ShopifyPush implements ChannelPush {

    private static final Logger log = LoggerFactory.getLogger(ShopifyPush.class);

    private static final String SET_AVAILABLE = """
            mutation TallySetAvailable($input: InventorySetQuantitiesInput!) {
              inventorySetQuantities(input: $input) @idempotent(key: "%s") {
                inventoryAdjustmentGroup { createdAt }
                userErrors { code field message }
              }
            }
            """;
    private static final double MUTATION_COST = 10;

    private final ShopifyAdminClient client;
    private final ShopifyCatalogReader reader;
    private final Observations observations;

    /**
     * Results (5xx and throttling from {@link ShopifyAdminClient} included) are counted and logged for every channel
     * alike, from the route (io.tally.ops.PushMetricsNotifier).
     */
    public ShopifyPush(ShopifyAdminClient client, ShopifyCatalogReader reader, Observations observations) {
        this.client = client;
        this.reader = reader;
        this.observations = observations;
    }

    /** @return confirmed at Shopify's time of the change, or stale with the level read since */
    @Override
    public PushOutcome push(PushCommand command) {
        if (command.channelItem() == null || command.channelLocation() == null) {
            throw new RejectedPushException("listing " + command.ref() + " of store " + command.store()
                    + " has no Shopify inventory item yet; reconcile the store (POST /api/reconcile/"
                    + command.store() + ")");
        }
        Map<String, Object> quantity = new HashMap<>();
        quantity.put("inventoryItemId", command.channelItem());
        quantity.put("locationId", command.channelLocation());
        quantity.put("quantity", command.level());
        // Explicit null opts out of the check: only when Tally has never seen the level.
        quantity.put("changeFromQuantity", command.knownLevel());
        Map<String, Object> input = Map.of(
                "name",
                "available",
                "reason",
                "correction",
                "referenceDocumentUri",
                "gid://tally/Listing/" + command.listingId() + "?version=" + command.version(),
                "quantities",
                List.of(quantity));
        String key = UUID.nameUUIDFromBytes((command.listingId() + ":" + command.version() + ":" + command.knownLevel()
                                + ":" + command.level())
                        .getBytes(StandardCharsets.UTF_8))
                .toString();
        JsonNode result = client.execute(
                        command.store(), SET_AVAILABLE.formatted(key), Map.of("input", input), MUTATION_COST)
                .path("inventorySetQuantities");
        JsonNode errors = result.path("userErrors");
        if (errors.isArray() && !errors.isEmpty()) {
            for (JsonNode error : errors) {
                if ("CHANGE_FROM_QUANTITY_STALE".equals(error.path("code").asText())) {
                    return stale(command);
                }
            }
            throw new RejectedPushException("Shopify refused the level for listing " + command.ref() + ": " + errors);
        }
        return PushOutcome.confirmed(ShopifyCatalogReader.time(
                result.path("inventoryAdjustmentGroup").path("createdAt")));
    }

    private PushOutcome stale(PushCommand command) {
        ShopifyCatalogReader.Level level =
                reader.readLevel(command.store(), command.channelItem(), command.channelLocation());
        log.info(
                "push to store={} sku={} ref={} stale: Shopify's level moved ({} expected, {} now); recorded, push"
                        + " re-planned",
                command.store(),
                command.sku(),
                command.ref(),
                command.knownLevel(),
                level.available());
        if (level.available() != null) {
            observations.recordRead(
                    command.store(), "shopify", command.ref(), level.available(), level.at(), "compare-and-set");
        }
        return PushOutcome.stale(level.available(), level.at());
    }
}
